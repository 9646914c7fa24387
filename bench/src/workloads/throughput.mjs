// Workload: cached getToken, sequential and with concurrent callers: throughput without per-call timing,
// then latency with it (the clock reads would otherwise weigh on the fastest implementation's throughput).
import { performance } from "node:perf_hooks";
import { percentile } from "../lib/stats.mjs";

/** Calls between clock reads in the throughput passes. */
const BATCH = 50;
/** At most this many latency samples per pass (memory). */
const MAX_SAMPLES = 2_000_000;

/**
 * @param {{ getToken(scope: string): Promise<unknown> }} credential
 * @param {{ scope: string, durationMs: number, concurrency: number, warmupMs: number }} params
 */
export async function run(credential, { scope, durationMs, concurrency, warmupMs }) {
  await credential.getToken(scope); // the one network exchange
  await throughput(credential, scope, 1, warmupMs); // lets the JIT compile the cached path
  return {
    sequential: {
      callsPerSecond: await throughput(credential, scope, 1, durationMs),
      ...(await latency(credential, scope, 1, durationMs)),
    },
    concurrent: {
      callers: concurrency,
      callsPerSecond: await throughput(credential, scope, concurrency, durationMs),
      ...(await latency(credential, scope, concurrency, durationMs)),
    },
  };
}

/**
 * Calls per second by `callers` loops. A cached call may never leave the microtask queue, so the loops
 * read the clock themselves: a timer would never get to fire.
 * @param {{ getToken(scope: string): Promise<unknown> }} credential
 * @param {string} scope @param {number} callers @param {number} durationMs
 */
async function throughput(credential, scope, callers, durationMs) {
  let calls = 0;
  const startedAt = performance.now();
  const end = startedAt + durationMs;
  const loop = async () => {
    while (performance.now() < end) {
      for (let i = 0; i < BATCH; i += 1) await credential.getToken(scope);
      calls += BATCH;
    }
  };
  await Promise.all(Array.from({ length: callers }, loop));
  return calls / ((performance.now() - startedAt) / 1000);
}

/**
 * p50 and p99 of single calls, in microseconds, timed by `callers` loops.
 * @param {{ getToken(scope: string): Promise<unknown> }} credential
 * @param {string} scope @param {number} callers @param {number} durationMs
 */
async function latency(credential, scope, callers, durationMs) {
  const samples = new Float64Array(MAX_SAMPLES);
  let count = 0;
  const end = performance.now() + durationMs;
  const loop = async () => {
    for (;;) {
      const started = performance.now();
      if (started >= end || count >= MAX_SAMPLES) return;
      await credential.getToken(scope);
      if (count < MAX_SAMPLES) samples[count++] = performance.now() - started;
    }
  };
  await Promise.all(Array.from({ length: callers }, loop));
  const sorted = samples.subarray(0, count).sort();
  return {
    samples: count,
    p50Micros: (percentile(sorted, 50) ?? NaN) * 1000,
    p99Micros: (percentile(sorted, 99) ?? NaN) * 1000,
  };
}

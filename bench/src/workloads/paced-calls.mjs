// Workload: one getToken per interval for a duration, each call awaited before the next (a tick missed
// while a call was still running is skipped, as a real poller would). Says "ready" just before the first
// call, so the parent can time its faults from then.
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { describeError } from "../probes/report.cjs";
import { median } from "../lib/stats.mjs";

/**
 * @param {{ getToken(scope: string): Promise<unknown> }} credential
 * @param {{ scope: string, intervalMs: number, durationMs: number, countFailuresAfterMs?: number }} params
 * @param {(message: Record<string, unknown>) => void} send
 */
export async function run(credential, { scope, intervalMs, durationMs, countFailuresAfterMs }, send) {
  /** @type {{ atMs: number, ms: number, error?: ReturnType<typeof describeError> }[]} */
  const calls = [];
  send({ type: "ready" });
  const startedAt = performance.now();
  for (let tick = 0; tick * intervalMs < durationMs;) {
    const wait = startedAt + tick * intervalMs - performance.now();
    if (wait > 0) await sleep(wait);
    const callAt = performance.now();
    try {
      await credential.getToken(scope);
      calls.push({ atMs: callAt - startedAt, ms: performance.now() - callAt });
    } catch (error) {
      calls.push({ atMs: callAt - startedAt, ms: performance.now() - callAt, error: describeError(error) });
    }
    tick = Math.max(tick + 1, Math.ceil((performance.now() - startedAt) / intervalMs));
  }
  const failures = calls.filter((c) => c.error !== undefined);
  /** @type {Record<string, number>} */
  const errors = {};
  /** @type {Record<string, string>} */
  const examples = {};
  for (const { error } of failures) {
    const key = error?.aadsts ?? error?.code ?? error?.name ?? "Error";
    errors[key] = (errors[key] ?? 0) + 1;
    examples[key] ??= error?.message ?? "";
  }
  return {
    calls: calls.length,
    ticks: Math.ceil(durationMs / intervalMs),
    failed: failures.length,
    failedAfter:
      countFailuresAfterMs === undefined
        ? undefined
        : failures.filter((c) => c.atMs >= countFailuresAfterMs).length,
    errors,
    examples,
    firstError: failures[0]?.error,
    failedAtSeconds: failures.map((c) => Math.round(c.atMs / 100) / 10),
    medianCallMs: median(calls.map((c) => c.ms)),
    slowestCallMs: Math.max(0, ...calls.map((c) => c.ms)),
    // The first call is also the credential's first exchange (and ours' msal-node load).
    slowestCallAfterFirstMs: Math.max(0, ...calls.slice(1).map((c) => c.ms)),
    // When the slow calls happened says whether a caller waited for a refresh, and when.
    slowestCalls: [...calls]
      .sort((a, b) => b.ms - a.ms)
      .slice(0, 5)
      .map((c) => ({
        atSeconds: Math.round(c.atMs / 100) / 10,
        ms: Math.round(c.ms),
        failed: c.error !== undefined,
      })),
  };
}

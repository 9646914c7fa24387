// Measurement 3: cached getToken, sequential and with 100 concurrent callers: calls/s, p50 and p99; one
// fresh process per implementation and round, medians of the rounds.
import { DEFAULT_ADAPTERS, SCOPE } from "../lib/constants.mjs";
import { runProbe } from "../lib/child-process.mjs";
import { srcPath } from "../lib/paths.mjs";
import { progress } from "../lib/progress.mjs";
import { median } from "../lib/stats.mjs";
import { formatMicros, formatRate } from "../report/format.mjs";
import { cell, row } from "../report/row.mjs";
import { atLeastTimesIdentity } from "../report/targets.mjs";

const SECTION = "Cached getToken";

/** @param {{ options: import("../cli/options.mjs").Options, env: Record<string, string> }} context */
export async function measureThroughput({ options, env }) {
  const runs = await throughputRuns(options, env, DEFAULT_ADAPTERS, "cached getToken throughput");
  const rows = [];
  for (const mode of /** @type {const} */ (["sequential", "concurrent"])) {
    const rate = throughputRow(SECTION, runs, mode, options.throughput.concurrency);
    rate.target = atLeastTimesIdentity(rate, 20);
    rows.push(rate);
    for (const [field, name] of [
      ["p50Micros", "p50"],
      ["p99Micros", "p99"],
    ]) {
      rows.push(
        row(SECTION, `latency ${name}, ${modeLabel(mode, options.throughput.concurrency)}`, (id) => {
          const value = median((runs[id] ?? []).map((r) => r[mode][field]));
          return cell(value, formatMicros(value));
        }),
      );
    }
  }
  const first = rows[0];
  if (first) first.raw = runs;
  return { rows, notes: [] };
}

/**
 * The throughput workload in a fresh process per adapter and round, the adapters interleaved in each round.
 * @param {import("../cli/options.mjs").Options} options
 * @param {Record<string, string>} env
 * @param {readonly import("../lib/constants.mjs").Adapter[]} adapters
 * @param {string} name for the progress lines
 * @returns {Promise<Record<string, any[]>>} each round's summary, by column id
 */
export async function throughputRuns(options, env, adapters, name) {
  const params = JSON.stringify({ scope: SCOPE, ...options.throughput });
  /** @type {Record<string, any[]>} */
  const runs = Object.fromEntries(adapters.map(({ id }) => [id, []]));
  for (let round = 1; round <= options.rounds; round += 1) {
    for (const { id, label, adapter } of adapters) {
      progress(`${name}: round ${round}/${options.rounds}, ${label}`);
      runs[id]?.push(await runProbe(srcPath("probes/workload.mjs"), [adapter, "throughput", params], env));
    }
  }
  return runs;
}

/**
 * The median calls per second of one pass, sequential or concurrent.
 * @param {string} section @param {Record<string, any[]>} runs
 * @param {"sequential" | "concurrent"} mode @param {number} callers
 */
export function throughputRow(section, runs, mode, callers) {
  return row(section, `throughput, ${modeLabel(mode, callers)}`, (id) => {
    if (runs[id] === undefined) return undefined;
    const value = median(runs[id].map((r) => r[mode].callsPerSecond));
    return cell(value, formatRate(value));
  });
}

/** @param {"sequential" | "concurrent"} mode @param {number} callers */
function modeLabel(mode, callers) {
  return mode === "sequential" ? "sequential" : `${callers} concurrent callers`;
}

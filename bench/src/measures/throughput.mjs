// Measurement 3: cached getToken, sequential and with 100 concurrent callers: calls/s, p50 and p99; one
// fresh process per implementation and round, medians of the rounds.
import { IMPLEMENTATIONS, SCOPE } from "../lib/constants.mjs";
import { runProbe } from "../lib/child-process.mjs";
import { srcPath } from "../lib/paths.mjs";
import { progress } from "../lib/progress.mjs";
import { median } from "../lib/stats.mjs";
import { formatMicros, formatRate } from "../report/format.mjs";
import { cell, row } from "../report/row.mjs";
import { atLeastTimesIdentity } from "../report/targets.mjs";

/** @param {{ options: import("../cli/options.mjs").Options, env: Record<string, string> }} context */
export async function measureThroughput({ options, env }) {
  const params = JSON.stringify({ scope: SCOPE, ...options.throughput });
  /** @type {Record<string, any[]>} */
  const runs = Object.fromEntries(IMPLEMENTATIONS.map(({ id }) => [id, []]));
  for (let round = 1; round <= options.rounds; round += 1) {
    for (const { id, label } of IMPLEMENTATIONS) {
      progress(`cached getToken throughput: round ${round}/${options.rounds}, ${label}`);
      runs[id]?.push(await runProbe(srcPath("probes/workload.mjs"), [id, "throughput", params], env));
    }
  }

  const rows = [];
  const callers = options.throughput.concurrency;
  for (const [mode, label] of [
    ["sequential", "sequential"],
    ["concurrent", `${callers} concurrent callers`],
  ]) {
    /** @param {string} id @param {string} field */
    const pick = (id, field) => median((runs[id] ?? []).map((r) => r[mode][field]));
    const rate = row("Cached getToken", `throughput, ${label}`, (id) => {
      const value = pick(id, "callsPerSecond");
      return cell(value, formatRate(value));
    });
    rate.target = atLeastTimesIdentity(rate, 20);
    rows.push(rate);
    for (const [field, name] of [
      ["p50Micros", "p50"],
      ["p99Micros", "p99"],
    ]) {
      rows.push(
        row("Cached getToken", `latency ${name}, ${label}`, (id) => {
          const value = pick(id, field);
          return cell(value, formatMicros(value));
        }),
      );
    }
  }
  const first = rows[0];
  if (first) first.raw = runs;
  return { rows, notes: [] };
}

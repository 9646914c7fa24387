// Measurement 4: token requests caused by 200 concurrent calls on a cold credential, counted by the
// emulator; a fresh process per implementation and round.
import { DEFAULT_ADAPTERS, SCOPE } from "../lib/constants.mjs";
import { runProbe } from "../lib/child-process.mjs";
import { srcPath } from "../lib/paths.mjs";
import { progress } from "../lib/progress.mjs";
import { median } from "../lib/stats.mjs";
import { cell, row } from "../report/row.mjs";
import { exactly } from "../report/targets.mjs";

/**
 * @param {{
 *   options: import("../cli/options.mjs").Options,
 *   env: Record<string, string>,
 *   emulator: import("@workload-identity/emulator").Emulator,
 * }} context
 */
export async function measureColdBurst({ options, env, emulator }) {
  const { calls } = options.coldBurst;
  const runs = await coldBurstRuns(
    options,
    env,
    emulator,
    DEFAULT_ADAPTERS,
    ["token"],
    `${calls} concurrent cold calls`,
  );
  const r = coldBurstRow("Concurrency", `token requests for ${calls} concurrent cold calls`, runs, "token");
  r.target = exactly(r, 1);
  r.raw = runs;
  return { rows: [r], notes: [] };
}

/**
 * The cold-burst workload in a fresh process per adapter and round, with what `emulator` counted on each of
 * `endpoints` during that process's run.
 * @param {import("../cli/options.mjs").Options} options
 * @param {Record<string, string>} env
 * @param {import("@workload-identity/emulator").Emulator} emulator
 * @param {readonly import("../lib/constants.mjs").Adapter[]} adapters
 * @param {readonly import("@workload-identity/emulator").Endpoint[]} endpoints
 * @param {string} name for the progress lines
 * @returns {Promise<Record<string, { failed: number, elapsedMs: number, requests: Record<string, number> }[]>>}
 *   by column id
 */
export async function coldBurstRuns(options, env, emulator, adapters, endpoints, name) {
  const params = JSON.stringify({ scope: SCOPE, calls: options.coldBurst.calls });
  /** @type {Record<string, any[]>} */
  const runs = Object.fromEntries(adapters.map(({ id }) => [id, []]));
  for (let round = 1; round <= options.rounds; round += 1) {
    progress(`${name}: round ${round}/${options.rounds}`);
    for (const { id, adapter } of adapters) {
      emulator.stats.reset();
      const result = await runProbe(srcPath("probes/workload.mjs"), [adapter, "cold-burst", params], env);
      const requests = Object.fromEntries(
        endpoints.map((endpoint) => [endpoint, emulator.stats.count({ endpoint })]),
      );
      runs[id]?.push({ ...result, requests });
    }
  }
  return runs;
}

/**
 * The median of the requests counted on `endpoint`, and how many calls failed in the worst round.
 * @param {string} section @param {string} measurement
 * @param {Record<string, { failed: number, requests: Record<string, number> }[]>} runs
 * @param {string} endpoint
 */
export function coldBurstRow(section, measurement, runs, endpoint) {
  return row(section, measurement, (id) => {
    const list = runs[id];
    if (list === undefined) return undefined;
    const requests = median(list.map((x) => x.requests[endpoint]));
    const failed = Math.max(0, ...list.map((x) => x.failed));
    return cell(requests, `${String(requests)}${failed > 0 ? ` (${failed} calls failed)` : ""}`);
  });
}

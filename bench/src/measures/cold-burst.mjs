// Measurement 4: token requests caused by 200 concurrent calls on a cold credential, counted by the
// emulator; a fresh process per implementation and round.
import { IMPLEMENTATIONS, SCOPE } from "../lib/constants.mjs";
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
  const params = JSON.stringify({ scope: SCOPE, calls });
  /** @type {Record<string, { tokenRequests: number, failed: number, elapsedMs: number }[]>} */
  const runs = Object.fromEntries(IMPLEMENTATIONS.map(({ id }) => [id, []]));
  for (let round = 1; round <= options.rounds; round += 1) {
    progress(`${calls} concurrent cold calls: round ${round}/${options.rounds}`);
    for (const { id } of IMPLEMENTATIONS) {
      emulator.stats.reset();
      const result = await runProbe(srcPath("probes/workload.mjs"), [id, "cold-burst", params], env);
      runs[id]?.push({ ...result, tokenRequests: emulator.stats.count({ endpoint: "token" }) });
    }
  }
  const r = row("Concurrency", `token requests for ${calls} concurrent cold calls`, (id) => {
    const list = runs[id] ?? [];
    const requests = median(list.map((x) => x.tokenRequests));
    const failed = Math.max(0, ...list.map((x) => x.failed));
    return cell(requests, `${String(requests)}${failed > 0 ? ` (${failed} calls failed)` : ""}`);
  });
  r.target = exactly(r, 1);
  r.raw = runs;
  return { rows: [r], notes: [] };
}

// Measurement 5a: one getToken on a fresh credential in a fresh process while the token endpoint misbehaves:
// success or failure, and the time from the call to its outcome. The fault set is renewed for every run.
import { IMPLEMENTATIONS, SCOPE } from "../lib/constants.mjs";
import { runProbe } from "../lib/child-process.mjs";
import { srcPath } from "../lib/paths.mjs";
import { progress } from "../lib/progress.mjs";
import { median } from "../lib/stats.mjs";
import { formatMs } from "../report/format.mjs";
import { cell, row } from "../report/row.mjs";

const CASES = [
  {
    name: "first 2 token requests 429, Retry-After: 1",
    rule: { status: 429, retryAfterSeconds: 1, first: 2 },
  },
  { name: "first 3 token requests 503", rule: { status: 503, first: 3 } },
  { name: "one connection reset", rule: { reset: true, first: 1 } },
];

/**
 * @param {{
 *   options: import("../cli/options.mjs").Options,
 *   env: Record<string, string>,
 *   emulator: import("@workload-identity/emulator").Emulator,
 * }} context
 */
export async function measureFaults({ options, env, emulator }) {
  const params = JSON.stringify({ scope: SCOPE });
  const rows = [];
  /** @type {string[]} */
  const fromStart = [];
  for (const fault of CASES) {
    /** @type {Record<string, any[]>} */
    const runs = Object.fromEntries(IMPLEMENTATIONS.map(({ id }) => [id, []]));
    for (let round = 1; round <= options.rounds; round += 1) {
      progress(`fault "${fault.name}": round ${round}/${options.rounds}`);
      for (const { id } of IMPLEMENTATIONS) {
        emulator.faults.clear();
        emulator.faults.add({ endpoint: "token", ...fault.rule });
        emulator.stats.reset();
        const result = await runProbe(srcPath("probes/workload.mjs"), [id, "single-call", params], env);
        runs[id]?.push({ ...result, tokenRequests: emulator.stats.count({ endpoint: "token" }) });
      }
    }
    emulator.faults.clear();
    rows.push(faultRow(fault.name, runs));
    fromStart.push(
      `${fault.name}: ${IMPLEMENTATIONS.map(({ id, label }) => `${label} ${formatMs(median((runs[id] ?? []).map((r) => r.sinceProcessStartMs)))}`).join(", ")}`,
    );
  }
  return {
    rows,
    notes: [
      `Fault cases are timed from the getToken call to its outcome, on a fresh credential in a fresh process: ours loads msal-node during that first call, @azure/identity and msal-node loaded it at import. The same outcomes timed from process start (medians): ${fromStart.join("; ")}.`,
    ],
  };
}

/**
 * A case's row: the median time of the runs when every run succeeded, else the failure.
 * @param {string} name @param {Record<string, any[]>} runs
 */
function faultRow(name, runs) {
  /** @param {string} id */
  const outcome = (id) => {
    const list = runs[id] ?? [];
    const ms = median(list.map((r) => r.elapsedMs));
    const failed = list.filter((r) => !r.ok);
    if (failed.length === 0) return { ok: true, ms };
    const error = failed[0].error;
    return {
      ok: false,
      ms,
      why: `${failed.length}/${list.length} failed: ${error?.aadsts ?? error?.code ?? error?.name}`,
    };
  };
  const r = row("Faults (one call, fresh credential)", name, (id) => {
    const o = outcome(id);
    return o.ok ? cell(o.ms, `ok, ${formatMs(o.ms)}`) : cell(undefined, `${o.why} (${formatMs(o.ms)})`);
  });
  const ours = outcome("ours");
  const identity = outcome("identity");
  r.target = {
    text: "succeeds, no slower than @azure/identity",
    met: ours.ok && (!identity.ok || (ours.ms ?? Infinity) <= (identity.ms ?? 0)),
  };
  r.raw = runs;
  return r;
}

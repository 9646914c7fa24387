// Measurement 2: process start to the first token, in a fresh process per round, loading each package as
// ESM and as CommonJS; plus the floor: the same exchange with a bare fetch; plus, from instrumented runs in the
// same rounds, where the time goes (first-token-breakdown.mjs).
import { DEFAULT_ADAPTERS, IMPLEMENTATIONS, SCOPE } from "../lib/constants.mjs";
import { runProbe } from "../lib/child-process.mjs";
import { srcPath } from "../lib/paths.mjs";
import { progress } from "../lib/progress.mjs";
import { median } from "../lib/stats.mjs";
import { formatMs } from "../report/format.mjs";
import { cell, row } from "../report/row.mjs";
import { atMostTimesIdentity } from "../report/targets.mjs";
import { breakdownTable, runBreakdown } from "./first-token-breakdown.mjs";

export const FORMATS = /** @type {const} */ ([
  { id: "esm", label: "ESM", probe: "probes/first-token.mjs" },
  { id: "cjs", label: "CommonJS", probe: "probes/first-token.cjs" },
]);

/** @param {{ options: import("../cli/options.mjs").Options, env: Record<string, string> }} context */
export async function measureFirstToken({ options, env }) {
  const rows = [];
  /** @type {import("./first-token-breakdown.mjs").Column[]} */
  const columns = [];
  for (const format of FORMATS) {
    /** @type {Record<string, { firstTokenMs: number, loadedMs: number }[]>} */
    const runs = Object.fromEntries(IMPLEMENTATIONS.map(({ id }) => [id, []]));
    /** @type {Record<string, import("./first-token-breakdown.mjs").Breakdown[]>} */
    const breakdowns = Object.fromEntries(IMPLEMENTATIONS.map(({ id }) => [id, []]));
    for (let round = 1; round <= options.rounds; round += 1) {
      progress(`first token (${format.label}): round ${round}/${options.rounds}, then instrumented`);
      await firstTokenRound(format, env, DEFAULT_ADAPTERS, runs);
      for (const { id } of IMPLEMENTATIONS) breakdowns[id]?.push(await runBreakdown(format.id, id, env));
    }
    const r = firstTokenRow("Start-up", format, runs);
    r.target = atMostTimesIdentity(r, 0.6);
    r.raw = runs;
    rows.push(r);
    for (const { id, label } of IMPLEMENTATIONS) {
      columns.push({
        id: `${id}-${format.id}`,
        label: `${label}, ${format.label}`,
        runs: breakdowns[id] ?? [],
        uninstrumentedMs: r.cells[id]?.value,
      });
    }
  }
  // Columns by implementation, then format: ours ESM, ours CommonJS, @azure/identity ESM...
  const order = (/** @type {string} */ id) => IMPLEMENTATIONS.findIndex((i) => id.startsWith(`${i.id}-`));
  columns.sort((a, b) => order(a.id) - order(b.id));

  const floor = [];
  for (let round = 1; round <= options.rounds; round += 1) {
    progress(`first token floor (bare fetch): round ${round}/${options.rounds}`);
    floor.push((await runProbe(srcPath("probes/fetch-floor.mjs"), [SCOPE], env)).firstTokenMs);
  }
  const floorMs = median(floor);
  return {
    rows,
    notes: [
      `Floor for "process start to first token": ${formatMs(floorMs)} (median), the same exchange with nothing but \`fetch\` in an ESM script.`,
    ],
    tables: [breakdownTable(columns)],
    raw: {
      fetchFloorMs: floor,
      breakdown: Object.fromEntries(columns.map(({ id, runs }) => [id, runs])),
    },
  };
}

/**
 * One round: a fresh process per adapter, from its start to its first token.
 * @param {(typeof FORMATS)[number]} format
 * @param {Record<string, string>} env
 * @param {readonly import("../lib/constants.mjs").Adapter[]} adapters
 * @param {Record<string, { firstTokenMs: number, loadedMs: number }[]>} runs by column id, appended to
 */
export async function firstTokenRound(format, env, adapters, runs) {
  for (const { id, adapter } of adapters)
    runs[id]?.push(await runProbe(srcPath(format.probe), [adapter, SCOPE], env));
}

/**
 * The median of the rounds.
 * @param {string} section @param {(typeof FORMATS)[number]} format
 * @param {Record<string, { firstTokenMs: number }[]>} runs
 */
export function firstTokenRow(section, format, runs) {
  return row(section, `process start to first token, ${format.label}`, (id) => {
    if (runs[id] === undefined) return undefined;
    const ms = median(runs[id].map((x) => x.firstTokenMs));
    return cell(ms, formatMs(ms));
  });
}

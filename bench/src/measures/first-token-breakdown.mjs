// Where "process start to first token" goes: the first-token probe with marks, in runs of its own (the
// instrumentation costs a little, so these are never the headline number), and a table of phases by
// implementation and module format.
import { SCOPE } from "../lib/constants.mjs";
import { runProbe } from "../lib/child-process.mjs";
import { srcPath } from "../lib/paths.mjs";
import { redact } from "../lib/redact.mjs";
import { median } from "../lib/stats.mjs";
import { PHASES, phasesOf } from "./first-token-phases.mjs";

const INSTRUMENT = ["--require", srcPath("probes/breakdown/instrument.cjs")];

/** @typedef {ReturnType<typeof phasesOf> & { error?: string }} Breakdown */
/** @typedef {{ id: string, label: string, runs: Breakdown[], uninstrumentedMs: number | undefined }} Column */

/**
 * One instrumented first token in a fresh process. A failure is kept on the result rather than thrown: the
 * breakdown explains the headline rows and must not cost them.
 * @param {"esm" | "cjs"} format @param {string} id @param {Record<string, string>} env
 * @returns {Promise<Breakdown>}
 */
export async function runBreakdown(format, id, env) {
  const probe = srcPath(`probes/first-token-breakdown.${format === "esm" ? "mjs" : "cjs"}`);
  try {
    const { timeline } = await runProbe(probe, [id, SCOPE], env, { nodeArgs: INSTRUMENT });
    return phasesOf(timeline);
  } catch (error) {
    const message = redact(String(error instanceof Error ? error.message : error)).split("\n")[0] ?? "";
    return { phases: {}, totalMs: undefined, outsideMs: undefined, error: message };
  }
}

/**
 * The breakdown table: one row per phase, one column per implementation and format; medians of the rounds,
 * of the start, the end and the duration each (so a duration need not be exactly end minus start).
 * @param {Column[]} columns
 * @returns {import("../report/results.mjs").Table}
 */
export function breakdownTable(columns) {
  /** @param {Column} column @param {(run: Breakdown) => number | undefined} pick */
  const medianOf = (column, pick) => median(column.runs.map(pick));
  const phaseRows = PHASES.map(({ id, label }) => ({
    id,
    label,
    cells: Object.fromEntries(
      columns.map((column) => {
        const startMs = medianOf(column, (run) => run.phases[id]?.[0]);
        const endMs = medianOf(column, (run) => run.phases[id]?.[1]);
        const durationMs = medianOf(column, (run) => {
          const interval = run.phases[id];
          return interval === undefined ? undefined : interval[1] - interval[0];
        });
        const text =
          durationMs === undefined || startMs === undefined || endMs === undefined
            ? "-"
            : `${ms(durationMs)} (${ms(startMs)} → ${ms(endMs)})`;
        return [column.id, { startMs, endMs, durationMs, text }];
      }),
    ),
  }));
  /** @param {string} id @param {string} label @param {(column: Column) => number | undefined} value */
  const totalRow = (id, label, value) => ({
    id,
    label,
    cells: Object.fromEntries(
      columns.map((column) => {
        const durationMs = value(column);
        return [column.id, { durationMs, text: durationMs === undefined ? "-" : ms(durationMs) }];
      }),
    ),
  });
  const failed = columns.flatMap(({ label, runs }) =>
    runs.flatMap(({ error }) => (error === undefined ? [] : [`${label}: ${error}`])),
  );
  const runs = columns.reduce((n, column) => n + column.runs.length, 0);
  return {
    id: "first-token-breakdown",
    title: "Process start to first token, where the time goes: ms from process start, medians of the rounds",
    columns: columns.map(({ id, label }) => ({ id, label })),
    rows: [
      ...phaseRows,
      totalRow("outside", "in no phase above (JavaScript between phases)", (c) =>
        medianOf(c, (r) => r.outsideMs),
      ),
      totalRow("total", "getToken resolved, instrumented (these runs)", (c) => medianOf(c, (r) => r.totalMs)),
      totalRow("headline", "first token, uninstrumented (the table's rows)", (c) => c.uninstrumentedMs),
    ],
    notes: [
      "Each cell: duration (start → end). Phases overlap or nest where the implementation does (@azure/identity loads msal-node inside its import). @azure/identity's ESM build imports msal-node statically, which Node's module tracing channels do not report: that load is inside its import, and msal-node's own import time is in the import rows of the table above.",
      "Separate runs from the headline rows, in the same rounds: probes/first-token-breakdown.{mjs,cjs} with probes/breakdown/instrument.cjs preloaded. It marks msal-node's load (the tracing:module.require and tracing:module.import channels), the token-file read (fs/promises open and readFile, wrapped), fetch's first call (wrapped), the socket's connect and secureConnect, and each HTTP request (node:diagnostics_channel: undici's channels for fetch, node:http's for @azure/core-rest-pipeline).",
      ...(failed.length === 0
        ? []
        : [`${failed.length} of ${runs} instrumented runs failed; the first: ${failed[0]}`]),
    ],
  };
}

/** Whole milliseconds, one decimal under 10: the noise between rounds is larger. @param {number} value */
function ms(value) {
  return value < 10 && value !== 0 ? value.toFixed(1) : String(Math.round(value));
}

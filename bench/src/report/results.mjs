// The run's results as one document, and where it is written: bench/results/latest.{json,md}.
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { IMPLEMENTATIONS } from "../lib/constants.mjs";
import { BENCH_DIR } from "../lib/paths.mjs";
import { jsonText } from "./json-text.mjs";
import { ratioToOurs } from "./row.mjs";

/**
 * @typedef {{
 *   generatedAt: string,
 *   mode: string,
 *   rounds: number,
 *   measurements: string[],
 *   machine: ReturnType<typeof import("../lib/machine.mjs").machine>,
 *   packages: Record<string, string>,
 *   rows: import("./row.mjs").Row[],
 *   notes: string[],
 *   tables: Table[],
 *   raw: Record<string, unknown>,
 * }} Results
 */

/**
 * A table of its own, after the main one's notes, for a measurement whose columns are not the implementations
 * (the first-token breakdown: implementation and module format). Cells carry their numbers and their text.
 * @typedef {{ durationMs?: number, startMs?: number, endMs?: number, text: string }} TableCell
 * @typedef {{
 *   id: string,
 *   title: string,
 *   columns: { id: string, label: string }[],
 *   rows: { id: string, label: string, cells: Record<string, TableCell> }[],
 *   notes: string[],
 * }} Table
 */

/**
 * Writes the JSON (rows with their ratios and raw runs) and the Markdown; returns the directory.
 * @param {Results} results @param {string} markdown
 */
export async function writeResults(results, markdown) {
  const dir = join(BENCH_DIR, "results");
  await mkdir(dir, { recursive: true });
  const json = {
    ...results,
    rows: results.rows.map((r) => ({
      ...r,
      ratios: Object.fromEntries(
        IMPLEMENTATIONS.filter(({ id }) => id !== "ours").map(({ id }) => [id, ratioToOurs(r, id) ?? null]),
      ),
    })),
  };
  await writeFile(join(dir, "latest.json"), jsonText(json));
  await writeFile(join(dir, "latest.md"), markdown);
  return dir;
}

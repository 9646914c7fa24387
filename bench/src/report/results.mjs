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
 *   raw: Record<string, unknown>,
 * }} Results
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

// Measurement 1: time and RSS added by loading each package, ESM against ESM and CommonJS against CommonJS,
// each load in a fresh process; medians of the rounds.
import { IMPLEMENTATIONS } from "../lib/constants.mjs";
import { runProbe } from "../lib/child-process.mjs";
import { srcPath } from "../lib/paths.mjs";
import { progress } from "../lib/progress.mjs";
import { median } from "../lib/stats.mjs";
import { formatMiB, formatMs } from "../report/format.mjs";
import { cell, row } from "../report/row.mjs";
import { atMostTimesIdentity } from "../report/targets.mjs";

const FORMATS = [
  { id: "esm", label: "ESM", probe: "probes/import.mjs" },
  { id: "cjs", label: "CommonJS", probe: "probes/import.cjs" },
];

/** @param {{ options: import("../cli/options.mjs").Options, env: Record<string, string> }} context */
export async function measureImport({ options, env }) {
  const rows = [];
  for (const format of FORMATS) {
    /** @type {Record<string, { importMs: number, rssBytes: number }[]>} */
    const runs = Object.fromEntries(IMPLEMENTATIONS.map(({ id }) => [id, []]));
    for (let round = 1; round <= options.rounds; round += 1) {
      progress(`import (${format.label}): round ${round}/${options.rounds}`);
      // Interleaved, so a noisy moment on the machine spreads over all three.
      for (const { id } of IMPLEMENTATIONS) runs[id]?.push(await runProbe(srcPath(format.probe), [id], env));
    }
    const time = row("Start-up", `import time, ${format.label}`, (id) => {
      const ms = median((runs[id] ?? []).map((r) => r.importMs));
      return cell(ms, formatMs(ms));
    });
    time.target = atMostTimesIdentity(time, 0.25);
    time.raw = runs;
    const rss = row("Start-up", `RSS added by the import, ${format.label}`, (id) => {
      const bytes = median((runs[id] ?? []).map((r) => r.rssBytes));
      return cell(bytes, formatMiB(bytes));
    });
    rss.target = atMostTimesIdentity(rss, 0.5);
    rows.push(time, rss);
  }
  return { rows, notes: [] };
}

// Adds up the jest totals recorded in a summary file; prints "N passed, N failed" and fails on failures or zero tests.
import { readFileSync, existsSync } from "node:fs";

const [file, label = "tests"] = process.argv.slice(2);
const lines = file && existsSync(file) ? readFileSync(file, "utf8").split("\n").filter(Boolean) : [];
const runs = lines.map((line) => JSON.parse(line));
const total = (key) => runs.reduce((sum, run) => sum + run[key], 0);
const passed = total("passed");
const failed = total("failed");
const versions = [...new Set(runs.map((run) => run.node))].join(", ") || "none";

console.log(`${label} (node ${versions}, ${runs.length} jest runs):`);
console.log(`${passed} passed, ${failed} failed, ${total("skipped")} skipped`);
if (passed === 0) {
  console.error(`${label}: no test ran; refusing to pass.`);
  process.exit(1);
}
if (failed > 0) process.exit(1);

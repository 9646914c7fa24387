// Marks a tsc CommonJS output folder as CommonJS inside a "type": "module" package.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const dir = process.argv[2];
if (!dir) throw new Error("usage: write-cjs-package-json.mjs <dir>");
mkdirSync(dir, { recursive: true });
writeFileSync(join(dir, "package.json"), JSON.stringify({ type: "commonjs" }) + "\n");

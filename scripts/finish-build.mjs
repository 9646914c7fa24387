// After tsc: marks the CommonJS output folder as CommonJS inside a "type": "module" package. (A package's bin
// is a committed file under bin/ that imports dist/esm/cli.js, so nothing built needs an executable bit.)
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const cjsDir = process.argv[2] ?? "dist/cjs";
mkdirSync(cjsDir, { recursive: true });
writeFileSync(join(cjsDir, "package.json"), JSON.stringify({ type: "commonjs" }) + "\n");

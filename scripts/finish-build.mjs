// After tsc: marks the CommonJS output folder as CommonJS inside a "type": "module" package, and makes the
// package's bin files executable (tsc writes them 0644, and npm chmods bins only at install, before any build).
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const cjsDir = process.argv[2] ?? "dist/cjs";
mkdirSync(cjsDir, { recursive: true });
writeFileSync(join(cjsDir, "package.json"), JSON.stringify({ type: "commonjs" }) + "\n");

const manifest = JSON.parse(readFileSync("package.json", "utf8"));
const bins = typeof manifest.bin === "string" ? [manifest.bin] : Object.values(manifest.bin ?? {});
for (const bin of bins) {
  if (!existsSync(bin)) throw new Error(`bin ${bin} was not built`);
  chmodSync(bin, 0o755);
}

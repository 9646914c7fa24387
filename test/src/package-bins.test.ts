// The bins of cli, emulator and imds-proxy, the files their manifests name: they run the built CLI, and in a
// checkout that is not built yet (npm links bins at install, before any build) they name the fix in one line.
import { copyFile, mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { runNode } from "./support/child-process.js";

const BINS = [
  ["@workload-identity/cli", "workload-identity"],
  ["@workload-identity/emulator", "workload-identity-emulator"],
  ["@workload-identity/imds-proxy", "workload-identity-imds-proxy"],
] as const;

async function binFile(pkg: string, name: string): Promise<string> {
  const manifestPath = require.resolve(`${pkg}/package.json`);
  const manifest = JSON.parse(await readFile(manifestPath, "utf8")) as { bin: Record<string, string> };
  const bin = manifest.bin[name];
  if (bin === undefined) throw new Error(`${pkg} has no bin ${name}`);
  return join(dirname(manifestPath), bin);
}

let scratch: string;
beforeEach(async () => {
  scratch = await mkdtemp(join(tmpdir(), "package-bins-"));
});
afterEach(() => rm(scratch, { recursive: true, force: true }));

it.each(BINS)("%s's bin %s runs the built CLI: --help prints the usage and exits 0", async (pkg, name) => {
  const result = await runNode([await binFile(pkg, name), "--help"], {});
  expect(result.stderr).toBe("");
  expect(result.stdout).toMatch(new RegExp(`^Usage: ${name} `));
  expect(result.code).toBe(0);
});

it.each(BINS)(
  "%s's bin %s, before a build, says to run `npm run build` in one line and exits 1",
  async (pkg, name) => {
    // The bin file alone, where the package's dist would be: a fresh checkout after `npm ci`.
    const copy = join(scratch, "bin", `${name}.mjs`);
    await mkdir(dirname(copy));
    await copyFile(await binFile(pkg, name), copy);
    const result = await runNode([copy, "--help"], {});
    expect(result.stdout).toBe("");
    expect(result.stderr).toBe(`${name}: ${pkg} is not built: run \`npm run build\` first\n`);
    expect(result.code).toBe(1);
  },
);

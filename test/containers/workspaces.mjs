// Which workspace packages each image's workspace is built from, read from the manifests, and whether the
// Dockerfile copies their manifests (npm ci in the image installs only for the workspaces whose manifests it has).
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

function readJson(path) {
  return JSON.parse(readFileSync(path, "utf8"));
}

/** Map of workspace package name -> its directory relative to the repository ("packages/klog"). */
function workspaceDirs(repoDir) {
  const dirs = new Map();
  for (const parent of ["packages", "samples"]) {
    for (const entry of readdirSync(join(repoDir, parent))) {
      const manifest = join(repoDir, parent, entry, "package.json");
      if (existsSync(manifest)) dirs.set(readJson(manifest).name, `${parent}/${entry}`);
    }
  }
  return dirs;
}

/** The directories of the workspace packages `workspaceDir` depends on at run time, transitively. */
export function runtimeWorkspaces(repoDir, workspaceDir) {
  const dirs = workspaceDirs(repoDir);
  const found = new Set();
  const visit = (dir) => {
    for (const name of Object.keys(readJson(join(repoDir, dir, "package.json")).dependencies ?? {})) {
      const dep = dirs.get(name);
      if (dep !== undefined && !found.has(dep)) {
        found.add(dep);
        visit(dep);
      }
    }
  };
  visit(workspaceDir);
  return [...found];
}

export function checkDockerfileManifests(repoDir, workspaceDirs) {
  const dockerfile = readFileSync(join(repoDir, "Dockerfile.samples"), "utf8");
  const copied = new Set([...dockerfile.matchAll(/^COPY\s+(\S+\/package\.json)\s/gm)].map((m) => m[1]));
  const needed = new Set(workspaceDirs.flatMap((dir) => [dir, ...runtimeWorkspaces(repoDir, dir)]));
  const missing = [...needed].filter((dir) => !copied.has(`${dir}/package.json`));
  assert.deepEqual(
    missing,
    [],
    `Dockerfile.samples must COPY ${missing.join(", ")}/package.json before npm ci`,
  );
}

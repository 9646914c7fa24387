// Checks on a built image that need no emulator: its configuration, and that it carries production files only.
import assert from "node:assert/strict";
import { podmanOk, RUNTIME_FLAGS } from "../../scripts/containers/podman.mjs";

const LABELS = [
  "org.opencontainers.image.title",
  "org.opencontainers.image.description",
  "org.opencontainers.image.source",
  "org.opencontainers.image.licenses",
];

/** `main` is the entrypoint's script, relative to /app; `cmd` the default arguments, if the image has any. */
export async function checkImageConfig(reference, { target, main, cmd = [], exposes }) {
  const { stdout } = await podmanOk(["image", "inspect", "--format", "json", reference]);
  const config = JSON.parse(stdout)[0].Config;
  assert.equal(config.User, "65532:65532", "USER must be numeric so Kubernetes runAsNonRoot can check it");
  assert.deepEqual(config.Entrypoint, ["/nodejs/bin/node", `/app/${main}`]);
  assert.deepEqual(config.Cmd ?? [], cmd);
  for (const label of LABELS) assert.ok(config.Labels?.[label], `label ${label} is missing`);
  assert.equal(config.Labels["org.opencontainers.image.title"], target);
  assert.deepEqual(Object.keys(config.ExposedPorts ?? {}), exposes);
}

// Runs inside the image (no shell there): what /app holds, as JSON.
const SURVEY = `
const { readdirSync, existsSync } = require("node:fs");
const { join } = require("node:path");
const files = [];
const walk = (dir) => { for (const e of readdirSync(dir, { withFileTypes: true })) {
  const path = join(dir, e.name);
  if (e.isDirectory()) walk(path); else files.push(path);
} };
walk("/app");
const modules = readdirSync("/app/node_modules").flatMap((n) =>
  n.startsWith("@") ? readdirSync(join("/app/node_modules", n)).map((m) => n + "/" + m) : [n]);
console.log(JSON.stringify({
  node: process.version,
  uid: process.getuid(),
  files: files.length,
  sources: files.filter((f) => !f.includes("/node_modules/") && /\\.(ts|mts|cts)$/.test(f) && !/\\.d\\.[mc]?ts$/.test(f)),
  addons: files.filter((f) => f.endsWith(".node")),
  lockfile: existsSync("/app/package-lock.json"),
  modules,
  top: readdirSync("/app"),
  workspaces: ["packages", "samples"].flatMap((parent) =>
    existsSync(join("/app", parent)) ? readdirSync(join("/app", parent)).map((n) => parent + "/" + n) : []),
}));
`;

const DEV_ONLY = [
  "typescript",
  "turbo",
  "jest",
  "eslint",
  "prettier",
  "@swc/core",
  "@workload-identity/emulator",
];

/**
 * Returns the survey, after checking it: no sources, no dev tools, no native addons, and of the repository's
 * workspaces only `workspaces` (the image's own and those it links, as directories: "packages/klog").
 */
export async function checkProductionFiles(reference, { workspaces }) {
  const { stdout } = await podmanOk([
    "run",
    "--rm",
    ...RUNTIME_FLAGS,
    "--network",
    "none",
    "--read-only",
    "--pull=never",
    "--entrypoint",
    "/nodejs/bin/node",
    reference,
    "-e",
    SURVEY,
  ]);
  const survey = JSON.parse(stdout);
  assert.match(survey.node, /^v24\./);
  assert.equal(survey.uid, 65532);
  assert.deepEqual(survey.sources, [], "the workspaces' TypeScript sources are in the image");
  // node_modules is built once on the build platform and copied into every target platform's image.
  assert.deepEqual(survey.addons, [], "native addons would tie node_modules to the build platform");
  assert.equal(survey.lockfile, false, "the lockfile lists dev dependencies the image does not hold");
  assert.deepEqual(
    DEV_ONLY.filter((name) => survey.modules.includes(name)),
    [],
    "development packages in the image",
  );
  assert.deepEqual([...survey.workspaces].sort(), [...workspaces].sort());
  const parents = new Set(workspaces.map((dir) => dir.split("/")[0]));
  assert.deepEqual(
    [...survey.top].sort(),
    ["node_modules", "package.json", ...parents].sort(),
    "/app holds something besides the workspaces and their node_modules",
  );
  return survey;
}

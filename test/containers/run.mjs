// `npm run test:containers`: builds every image target of Dockerfile.samples on stand-in base images and runs
// each as its pod would against the emulator; prints "N passed, N failed" and exits 1 on any failure.
// Needs root (podman's default storage), and the npm registry for the `npm ci` inside the build.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { ensureBaseImages } from "../../scripts/containers/base-images.mjs";
import { buildTarget, npmSecrets } from "../../scripts/containers/build-images.mjs";
import { ensureTools } from "../../scripts/containers/ensure-tools.mjs";
import { imageReport, megabytes } from "../../scripts/containers/image-report.mjs";
import { ensureNode24, NODE24_VERSION } from "../../scripts/containers/node24.mjs";
import { doctorChecks } from "./doctor.mjs";
import { graphTenantReaderChecks } from "./graph-tenant-reader.mjs";
import { checkImageConfig, checkProductionFiles } from "./image-checks.mjs";
import { imdsProxyChecks } from "./imds-proxy.mjs";
import { imdsProxyIdentityBindingChecks } from "./imds-proxy-identity-binding.mjs";
import { keyvaultQuickstartChecks } from "./keyvault-quickstart.mjs";
import { keyvaultQuickstartIdentityBindingChecks } from "./keyvault-quickstart-identity-binding.mjs";
import { createRunner, seconds } from "./runner.mjs";
import { checkDockerfileManifests, runtimeWorkspaces } from "./workspaces.mjs";

const repoDir = fileURLToPath(new URL("../..", import.meta.url));
// Each target, the workspace it is built from, and its entrypoint's script relative to /app; `identityBinding`
// runs the image again as an AKS identity-binding pod (the emulator's token proxy, its CA rotating).
const IMAGES = [
  {
    target: "keyvault-quickstart",
    dir: "samples/keyvault-quickstart",
    main: "samples/keyvault-quickstart/dist/main.js",
    exposes: [],
    run: keyvaultQuickstartChecks,
    identityBinding: keyvaultQuickstartIdentityBindingChecks,
  },
  {
    target: "graph-tenant-reader",
    dir: "samples/graph-tenant-reader",
    main: "samples/graph-tenant-reader/dist/main.js",
    exposes: ["8080/tcp"],
    run: graphTenantReaderChecks,
  },
  {
    target: "doctor",
    dir: "packages/cli",
    main: "packages/cli/dist/esm/cli.js",
    cmd: ["doctor"],
    exposes: [],
    run: doctorChecks,
  },
  {
    target: "imds-proxy",
    dir: "packages/imds-proxy",
    main: "packages/imds-proxy/dist/esm/cli.js",
    exposes: ["8000/tcp"],
    run: imdsProxyChecks,
    identityBinding: imdsProxyIdentityBindingChecks,
  },
];

const { check, fail, finish } = createRunner("containers");
const workDir = mkdtempSync(join(tmpdir(), "workload-identity-containers-"));
const measured = { images: {} };
try {
  const TOOLS = "podman, runc and busybox-static are installed";
  await check(TOOLS, () => {
    const installed = ensureTools();
    if (installed.length > 0) console.log(`    installed ${installed.join(", ")}`);
  });
  await check(
    "Dockerfile.samples copies the manifest of every workspace package the images are built from",
    () =>
      checkDockerfileManifests(
        repoDir,
        IMAGES.map((i) => i.dir),
      ),
  );

  const BASES = "stand-in base images: a distroless-like Node 24 runtime and a Node 24 build image with npm";
  const baseImages = await check(
    BASES,
    async () => {
      const started = Date.now();
      const images = await ensureBaseImages({ node: ensureNode24(), nodeVersion: `v${NODE24_VERSION}` });
      measured.bases = { ms: Date.now() - started, built: images.runtime.built || images.build.built };
      return images;
    },
    { needs: [TOOLS] },
  );
  const secrets = npmSecrets(workDir);

  for (const entry of IMAGES) {
    const { target, dir } = entry;
    const m = (measured.images[target] = {});
    const BUILD = `${target}: podman build --target ${target} succeeds`;
    const built = await check(
      BUILD,
      async () => {
        const result = await buildTarget({ repoDir, target, baseImages, secrets });
        m.buildMs = result.ms;
        m.report = await imageReport(result.reference, baseImages.runtime.reference);
        return result.reference;
      },
      { needs: [BASES] },
    );
    await check(
      `${target}: image runs as 65532:65532 with an exec-form node entrypoint and OCI labels`,
      () => checkImageConfig(built, entry),
      { needs: [BUILD] },
    );
    await check(
      `${target}: image holds production files only (no sources, dev tools, lockfile or native addons)`,
      () => checkProductionFiles(built, { workspaces: [dir, ...runtimeWorkspaces(repoDir, dir)] }),
      { needs: [BUILD] },
    );
    try {
      await entry.run({ check, needs: [BUILD], image: built, repoDir, workDir, measured: m });
    } catch (error) {
      fail(`${target}: emulator and container setup`, error);
    }
    if (entry.identityBinding) {
      const binding = (m.identityBinding = {});
      const started = Date.now();
      try {
        await entry.identityBinding({
          check,
          needs: [BUILD],
          image: built,
          repoDir,
          workDir,
          measured: binding,
        });
      } catch (error) {
        fail(`${target} (identity binding): emulator and container setup`, error);
      } finally {
        binding.totalMs = Date.now() - started; // what the identity-binding pod adds to the run
      }
    }
  }
} catch (error) {
  fail("container test harness", error);
} finally {
  rmSync(workDir, { recursive: true, force: true });
}

console.log(
  "\nmeasurements (stand-in bases: the image totals are not distroless's; the app layers are real):",
);
if (measured.bases) {
  console.log(
    `  stand-in base images: ${measured.bases.built ? "built" : "reused"} in ${seconds(measured.bases.ms)}`,
  );
}
for (const [target, m] of Object.entries(measured.images)) {
  const parts = [];
  if (m.buildMs !== undefined) parts.push(`build ${seconds(m.buildMs)}`);
  if (m.report) {
    parts.push(`image ${megabytes(m.report.bytes)} (base ${megabytes(m.report.baseBytes)})`);
    for (const layer of m.report.layers)
      parts.push(`app layer ${megabytes(layer.bytes)}: ${layer.createdBy}`);
  }
  if (m.firstSuccessMs !== undefined)
    parts.push(`first success ${seconds(m.firstSuccessMs)} after podman run`);
  if (m.readyMs !== undefined) parts.push(`ready ${seconds(m.readyMs)} after podman run`);
  if (m.doctorMs !== undefined) parts.push(`podman run to exit ${seconds(m.doctorMs)} (every check passing)`);
  if (m.successLines !== undefined) {
    parts.push(`${m.successLines} success lines, ${m.tokenExchanges} token exchanges across rotation`);
  } else if (m.tokenExchanges !== undefined) {
    const plural = m.tokenExchanges === 1 ? "" : "s";
    parts.push(`${m.tokenExchanges} token exchange${plural} for two token requests`);
  }
  if (m.memory) parts.push(`memory ${m.memory}`);
  if (m.stopMs !== undefined) parts.push(`SIGTERM to exit ${seconds(m.stopMs)}`);
  console.log(`  ${target}: ${parts.join("; ")}`);
  if (m.identityBinding)
    console.log(`  ${target} (identity binding): ${bindingParts(m.identityBinding).join("; ")}`);
}
process.exitCode = finish();

function bindingParts(b) {
  const parts = [];
  if (b.firstSuccessMs !== undefined)
    parts.push(`first success ${seconds(b.firstSuccessMs)} after podman run`);
  if (b.readyMs !== undefined) parts.push(`ready ${seconds(b.readyMs)} after podman run`);
  if (b.successLines !== undefined) parts.push(`${b.successLines} success lines`);
  if (b.proxyExchanges !== undefined) {
    parts.push(`${b.proxyExchanges} exchanges through the token proxy across ${b.caRotations} CA rotations`);
  }
  if (b.totalMs !== undefined)
    parts.push(`${seconds(b.totalMs)} in all, emulator start to container removal`);
  return parts;
}

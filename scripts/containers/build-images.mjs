// Builds a target of Dockerfile.samples with podman on the stand-in bases, passing npm's CA as build secrets.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { rootCertificates } from "node:tls";
import { podmanOk, RUNTIME_FLAGS } from "./podman.mjs";

const DEFAULT_REGISTRY = "https://registry.npmjs.org/";

function npmConfig(key) {
  const value = spawnSync("npm", ["config", "get", key], { encoding: "utf8" }).stdout.trim();
  return value === "" || value === "null" || value === "undefined" ? undefined : value;
}

/**
 * The CA file npm on this machine trusts: its `cafile`, else `NODE_EXTRA_CA_CERTS`, which Node adds to its roots
 * and is how npm trusts a TLS-intercepting proxy when `npm` runs under a Node whose prefix holds no npmrc (CI's
 * Node 24: `/usr/bin/npm` then reads that Node's `etc/npmrc`, not the machine's). npm's `cafile` replaces the roots,
 * so that case gets a bundle of Node's roots plus those CAs, written in `secretsDir`.
 */
function trustedCaFile(secretsDir) {
  const cafile = npmConfig("cafile");
  if (cafile !== undefined && existsSync(cafile)) return cafile;
  const extra = process.env.NODE_EXTRA_CA_CERTS;
  if (!extra || !existsSync(extra)) return undefined;
  const bundle = join(secretsDir, "ca.crt");
  writeFileSync(bundle, `${[...rootCertificates, readFileSync(extra, "utf8")].join("\n")}\n`, {
    mode: 0o600,
  });
  return bundle;
}

/**
 * The `--secret` flags that let npm inside the build trust the CA this machine's npm trusts (a TLS-intercepting
 * proxy's, here): the CA bundle itself, and an .npmrc pointing at where the Dockerfile mounts it. The .npmrc
 * also names the registry when it is not the default one; it never holds credentials. No CA, no secrets.
 */
export function npmSecrets(secretsDir) {
  const cafile = trustedCaFile(secretsDir);
  if (cafile === undefined) return [];
  const registry = npmConfig("registry");
  const npmrc = join(secretsDir, "npmrc");
  writeFileSync(
    npmrc,
    "cafile=/run/secrets/ca.crt\n" +
      (registry && registry !== DEFAULT_REGISTRY ? `registry=${registry}\n` : ""),
    { mode: 0o600 },
  );
  return ["--secret", `id=npmrc,src=${npmrc}`, "--secret", `id=ca,src=${cafile}`];
}

/** `podman build --target <target>`; resolves with the image reference and how long the build took. */
export async function buildTarget({ repoDir, target, baseImages, secrets, echo = true }) {
  const reference = `localhost/workload-identity/${target}:dev`;
  const started = Date.now();
  await podmanOk(
    [
      "build",
      ...RUNTIME_FLAGS,
      "--network",
      "host",
      "--pull=never", // the stand-ins are local; nothing may be fetched from an image registry
      "--build-arg",
      `BUILD_IMAGE=${baseImages.build.reference}`,
      "--build-arg",
      `RUNTIME_IMAGE=${baseImages.runtime.reference}`,
      ...secrets,
      "--target",
      target,
      "-t",
      reference,
      "-f",
      join(repoDir, "Dockerfile.samples"),
      repoDir,
    ],
    { echo },
  );
  return { reference, ms: Date.now() - started };
}

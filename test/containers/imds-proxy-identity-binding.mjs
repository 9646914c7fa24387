// The IMDS proxy's image as an AKS identity-binding sidecar against the emulator: the same image and manifest args,
// the webhook v1.6 volume and variables; ready, then IMDS token answers through the token proxy with its CA
// hard-swapped before each new exchange, and no failure line.
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { startPod } from "../../scripts/containers/pod-run.mjs";
import { freePort, httpGet } from "./http-get.mjs";
import {
  BINDING_DIR,
  identityBindingEnv,
  proxyCounts,
  startBindingEmulator,
} from "./identity-binding-pod.mjs";
import { JWT_SHAPE, START, tokenAnswer, withPort } from "./imds-proxy.mjs";
import { imdsProxySidecar } from "./manifests.mjs";

// Three resources: three exchanges, each over a new connection after a CA swap.
const RESOURCES = ["https://vault.azure.net", "https://management.azure.com", "https://storage.azure.com"];
const FAILURE_LINE = /^[WEF]\d{4} .*$/gm;

function claimsOf(token) {
  return JSON.parse(Buffer.from(token.split(".")[1], "base64url").toString("utf8"));
}

export async function imdsProxyIdentityBindingChecks({ check, needs, image, repoDir, workDir, measured }) {
  const manifest = imdsProxySidecar(repoDir);
  const { emulator, projectionDir } = await startBindingEmulator({ workDir, name: "imds-proxy-binding" });
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const startedAt = Date.now();
  const pod = image
    ? startPod({
        image,
        name: `workload-identity-test-imds-proxy-binding-${process.pid}`,
        projectionDir,
        tokenDir: BINDING_DIR,
        caCertPath: emulator.caCertPath,
        env: identityBindingEnv(emulator, projectionDir),
        args: withPort(manifest.args, port),
      })
    : undefined;
  try {
    await check(
      "imds-proxy (identity binding): the same image and manifest args, with the webhook v1.6 volume and AZURE_KUBERNETES_* variables, starts and is ready (its credential read the projected CA)",
      async () => {
        await pod.waitFor(START, 30_000);
        const readyz = await httpGet(`${base}/readyz`);
        measured.readyMs = Date.now() - startedAt;
        assert.equal(readyz.status, 200, readyz.body);
      },
      { needs },
    );
    await check(
      `imds-proxy (identity binding): answers IMDS token requests for ${RESOURCES.length} resources through the token proxy, its CA hard-swapped before each`,
      async () => {
        for (const [index, resource] of RESOURCES.entries()) {
          await emulator.rotateProxyCa();
          const url = `${base}/metadata/identity/oauth2/token?api-version=2018-02-01&resource=${resource}`;
          const answer = tokenAnswer(await httpGet(url, { headers: { Metadata: "true" } }));
          assert.equal(answer.resource, resource);
          assert.equal(answer.client_id, emulator.env.AZURE_CLIENT_ID);
          const claims = claimsOf(answer.access_token);
          assert.equal(claims.aud, resource);
          assert.equal(claims.appid, emulator.env.AZURE_CLIENT_ID);
          const counts = proxyCounts(emulator);
          assert.equal(counts.proxyOk, index + 1, `${counts.proxyOk} exchanges through the proxy`);
          assert.equal(counts.entra, counts.proxyAll, "a token request went to Entra directly");
        }
        measured.proxyExchanges = proxyCounts(emulator).proxyOk;
        measured.caRotations = emulator.identityBinding.caRotations - 1; // the first CA is made at start
      },
      { needs },
    );
    await check(
      "imds-proxy (identity binding): a klog line per token request with status=200, no warning or error line, never a token",
      async () => {
        // Each line is written after its answer is sent, so the last one may still be on its way.
        await pod.waitFor(
          new RegExp(`(?:"token request" [^\\n]* status=200 [\\s\\S]*?){${RESOURCES.length}}`),
          5_000,
        );
        const output = pod.output();
        assert.equal(output.match(/"token request" .* status=200 /g)?.length, RESOURCES.length);
        assert.deepEqual(output.match(FAILURE_LINE) ?? [], []);
        assert.ok(!JWT_SHAPE.test(output), "a token appears in the proxy's output");
      },
      { needs },
    );
  } finally {
    await pod?.remove();
    await emulator.close();
  }
}

// The Key Vault quickstart's image as an AKS identity-binding pod against the emulator: the same image, the webhook
// v1.6 volume and variables, the msal-go line with tokens from the token proxy, and no failure while the proxy's
// CA is hard-swapped every 2 s.
import assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";
import { startPod } from "../../scripts/containers/pod-run.mjs";
import {
  BINDING_DIR,
  identityBindingEnv,
  proxyCounts,
  startBindingEmulator,
} from "./identity-binding-pod.mjs";
import { SUCCESS } from "./keyvault-quickstart.mjs";

const CA_ROTATION_SECONDS = 2;
// 4 s access tokens: the credential exchanges again about every 2 s, so exchanges meet fresh CAs.
const ACCESS_TOKEN_SECONDS = 4;
const ROTATIONS = 2;
const FAILURE_LINE = /^[WEF]\d{4} .*$/gm;

export async function keyvaultQuickstartIdentityBindingChecks({ check, needs, image, workDir, measured }) {
  const { emulator, projectionDir } = await startBindingEmulator({
    workDir,
    name: "keyvault-quickstart-binding",
    config: {
      entra: { accessTokenLifetimeSeconds: ACCESS_TOKEN_SECONDS },
      identityBinding: { caRotationSeconds: CA_ROTATION_SECONDS },
    },
  });
  const rotations = () => emulator.identityBinding.caRotations;
  const startedAt = Date.now();
  const pod = image
    ? startPod({
        image,
        name: `workload-identity-test-keyvault-quickstart-binding-${process.pid}`,
        projectionDir,
        tokenDir: BINDING_DIR,
        caCertPath: emulator.caCertPath,
        env: {
          ...identityBindingEnv(emulator, projectionDir),
          KEYVAULT_URL: emulator.env.KEYVAULT_URL,
          SECRET_NAME: emulator.env.SECRET_NAME,
          POLL_INTERVAL_SECONDS: "1",
        },
      })
    : undefined;
  const successLines = () => (pod.output().match(new RegExp(SUCCESS.source, "gm")) ?? []).length;
  const lastLines = () => pod.output().trim().split("\n").slice(-5).join("\n");
  try {
    await check(
      "keyvault-quickstart (identity binding): the same image, with the webhook v1.6 volume and AZURE_KUBERNETES_* variables, logs the success line with a token from the token proxy",
      async () => {
        await pod.waitFor(SUCCESS, 60_000);
        measured.firstSuccessMs = Date.now() - startedAt;
        const counts = proxyCounts(emulator);
        assert.ok(counts.proxyOk >= 1, "no token came through the token proxy");
        assert.equal(counts.entra, counts.proxyAll, "a token request went to Entra directly");
      },
      { needs },
    );
    await check(
      `keyvault-quickstart (identity binding): keeps getting the secret across ${ROTATIONS} hard swaps of the proxy's CA (every ${CA_ROTATION_SECONDS} s), with no warning, error or fatal line`,
      async () => {
        const from = rotations();
        const deadline = Date.now() + 30_000;
        while (rotations() < from + ROTATIONS && Date.now() < deadline && pod.running()) await sleep(100);
        assert.ok(rotations() >= from + ROTATIONS, `${rotations() - from} CA rotations within 30 s`);
        // After the last swap, a new exchange (the credential made a new connection: only the new CA verifies the
        // proxy's certificate) and a new success line.
        const before = { ...proxyCounts(emulator), lines: successLines() };
        const waiting = () =>
          proxyCounts(emulator).proxyOk === before.proxyOk || successLines() === before.lines;
        while (waiting() && Date.now() < deadline && pod.running()) await sleep(100);
        assert.ok(pod.running(), `the container exited:\n${lastLines()}`);
        const after = proxyCounts(emulator);
        assert.ok(after.proxyOk > before.proxyOk, "no exchange through the token proxy after the CA rotated");
        assert.ok(successLines() > before.lines, `no success line after the CA rotated:\n${lastLines()}`);
        assert.equal(after.proxyAll, after.proxyOk, "the token proxy refused a request");
        assert.equal(after.entra, after.proxyAll, "a token request went to Entra directly");
        assert.deepEqual(pod.output().match(FAILURE_LINE) ?? [], []);
        Object.assign(measured, {
          successLines: successLines(),
          proxyExchanges: after.proxyOk,
          caRotations: rotations() - 1, // the first CA is made at start
        });
      },
      { needs },
    );
  } finally {
    await pod?.remove();
    await emulator.close();
  }
}

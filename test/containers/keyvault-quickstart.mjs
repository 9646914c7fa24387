// The Key Vault quickstart's image, run as a pod against the emulator: the msal-go line, rotation, SIGTERM.
import assert from "node:assert/strict";
import { readlinkSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { createEmulator } from "@workload-identity/emulator";
import { startPod, webhookEnv } from "../../scripts/containers/pod-run.mjs";
import { checkCleanStop } from "./clean-stop.mjs";

// Short lifetimes so kubelet-style rotation happens, and matters, within seconds: the first projected token
// expires after 8 s (rotated at 80%), and 10 s access tokens make the credential exchange again soon after.
const SERVICE_ACCOUNT_TOKEN_SECONDS = 8;
const ACCESS_TOKEN_SECONDS = 10;
export const SUCCESS =
  /^I\d{4} \d\d:\d\d:\d\d\.\d{6}\s+1 main\.js:\d+\] "successfully got secret" secret="Hello!"$/m;

export async function keyvaultQuickstartChecks({ check, needs, image, workDir, measured }) {
  const projectionDir = join(workDir, "keyvault-quickstart-token");
  const emulator = await createEmulator({
    stateDir: join(workDir, "keyvault-quickstart-state"),
    projectionDir,
    config: {
      serviceAccount: { lifetimeSeconds: SERVICE_ACCOUNT_TOKEN_SECONDS },
      entra: { accessTokenLifetimeSeconds: ACCESS_TOKEN_SECONDS },
    },
  });
  const firstTokenExpiresAt = Date.now() + SERVICE_ACCOUNT_TOKEN_SECONDS * 1000;
  const firstGeneration = readlinkSync(join(projectionDir, "..data"));
  const tokenCounts = () => ({
    ok: emulator.stats.count({ endpoint: "token", status: 200 }),
    all: emulator.stats.count({ endpoint: "token" }),
  });
  const startedAt = Date.now();
  const pod = image
    ? startPod({
        image,
        name: `workload-identity-test-keyvault-quickstart-${process.pid}`,
        projectionDir,
        caCertPath: emulator.caCertPath,
        env: {
          ...webhookEnv(emulator),
          KEYVAULT_URL: emulator.env.KEYVAULT_URL,
          SECRET_NAME: emulator.env.SECRET_NAME,
          POLL_INTERVAL_SECONDS: "1",
        },
      })
    : undefined;
  try {
    await check(
      'keyvault-quickstart: logs msal-go\'s `"successfully got secret" secret="Hello!"` as pid 1, user 65532, read-only root',
      async () => {
        await pod.waitFor(SUCCESS, 60_000);
        measured.firstSuccessMs = Date.now() - startedAt;
        assert.ok(emulator.stats.count({ endpoint: "keyvault", status: 200 }) >= 1);
      },
      { needs },
    );
    await check(
      "keyvault-quickstart: keeps getting the secret after kubelet rotates the token (the directory is mounted, not the file)",
      async () => {
        await sleep(Math.max(0, firstTokenExpiresAt + 500 - Date.now()));
        const before = tokenCounts();
        const deadline = Date.now() + 30_000;
        while (tokenCounts().ok === before.ok && Date.now() < deadline && pod.running()) await sleep(250);
        assert.notEqual(
          readlinkSync(join(projectionDir, "..data")),
          firstGeneration,
          "the token was never rotated",
        );
        assert.ok(
          pod.running(),
          `the container exited:\n${pod.output().trim().split("\n").slice(-5).join("\n")}`,
        );
        const after = tokenCounts();
        assert.ok(after.ok > before.ok, "no token exchange after the first projected token expired");
        assert.equal(after.all, after.ok, "Entra refused an assertion: the container read a stale token");
        const lines = pod.output().match(new RegExp(SUCCESS.source, "gm")) ?? [];
        measured.successLines = lines.length;
        measured.tokenExchanges = after.ok;
      },
      { needs },
    );
    await checkCleanStop({ check, needs, pod, target: "keyvault-quickstart", measured });
  } finally {
    await pod?.remove();
    await emulator.close();
  }
}

// The doctor's image, run as its Job runs it (a one-off pod) against the emulator: every check passing and
// exit 0; then, without AZURE_CLIENT_ID, exit 1 and the line that names the missing annotation.
import assert from "node:assert/strict";
import { join } from "node:path";
import { createEmulator } from "@workload-identity/emulator";
import { startPod, webhookEnv } from "../../scripts/containers/pod-run.mjs";
import { doctorJob } from "./manifests.mjs";

const JWT_SHAPE = /eyJ[A-Za-z0-9_-]+\.eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+/;
const TITLES = [
  "AZURE_CLIENT_ID",
  "AZURE_TENANT_ID",
  "AZURE_FEDERATED_TOKEN_FILE",
  "AZURE_AUTHORITY_HOST",
  "token file",
  "token claims",
  "issuer discovery",
  "issuer JWKS",
  "token exchange",
];

function lineOf(output, title) {
  const line = output.split("\n").find((l) => l.slice(2).startsWith(`${title} `));
  assert.ok(line !== undefined, `no "${title}" line in:\n${output}`);
  return line;
}

export async function doctorChecks({ check, needs, image, repoDir, workDir, measured }) {
  const job = doctorJob(repoDir);
  const projectionDir = join(workDir, "doctor-token");
  const emulator = await createEmulator({ stateDir: join(workDir, "doctor-state"), projectionDir });
  const pods = [];
  /** One pod, run to completion: its exit code, everything it printed, and how long it took. */
  const runOnce = async (suffix, env, args) => {
    const startedAt = Date.now();
    const pod = startPod({
      image,
      name: `workload-identity-test-doctor-${suffix}-${process.pid}`,
      projectionDir,
      caCertPath: emulator.caCertPath,
      env,
      args,
    });
    pods.push(pod);
    const code = await pod.wait(60_000);
    const output = pod.output();
    assert.ok(!JWT_SHAPE.test(output), "a token appears in the doctor's output");
    return { code, output, ms: Date.now() - startedAt };
  };
  try {
    await check(
      `doctor: with the Job's args ${JSON.stringify(job.args)} as user ${job.runAsUser}, read-only root: every check ✔, the token exchange included, exit 0`,
      async () => {
        assert.equal(job.runAsUser, 65532, "the Job runs as another user than the image and this test");
        const { code, output, ms } = await runOnce("pass", webhookEnv(emulator), job.args);
        measured.doctorMs = ms;
        assert.equal(code, 0, `exit code ${code}; output:\n${output}`);
        for (const title of TITLES) assert.ok(lineOf(output, title).startsWith("✔ "), lineOf(output, title));
        assert.match(lineOf(output, "token file"), /: a JWT readable by uid 65532, expires in /);
        assert.match(
          lineOf(output, "token exchange"),
          /^✔ token exchange\s+got an access token for https:\/\/management\.azure\.com\/\.default, expiring in /,
        );
        assert.match(output, /^9 checks: 9 passed\. Workload Identity works here\.$/m);
        assert.equal(emulator.stats.count({ endpoint: "token", status: 200 }), 1);
      },
      { needs },
    );
    await check(
      "doctor: with the image's default CMD and no AZURE_CLIENT_ID: exit 1, a ✘ AZURE_CLIENT_ID line naming the azure.workload.identity/client-id annotation, the exchange skipped",
      async () => {
        const { AZURE_CLIENT_ID, ...env } = webhookEnv(emulator);
        assert.ok(AZURE_CLIENT_ID);
        const { code, output } = await runOnce("fail", env, []);
        assert.equal(code, 1, `exit code ${code}; output:\n${output}`);
        assert.match(
          lineOf(output, "AZURE_CLIENT_ID"),
          /^✘ AZURE_CLIENT_ID\s+not set → fix: annotate the pod's service account azure\.workload\.identity\/client-id: /,
        );
        assert.match(lineOf(output, "token exchange"), /^- token exchange\s+skipped: /);
        assert.match(output, /Workload Identity is not working here\.$/m);
      },
      { needs },
    );
  } finally {
    for (const pod of pods) await pod.remove();
    await emulator.close();
  }
}

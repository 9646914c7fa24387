// The IMDS proxy's image, run as its sidecar manifest runs it, against the emulator: the start line, the
// postStart probe, IMDS's token answer and its refusal without `Metadata: true`, one exchange, SIGTERM.
import assert from "node:assert/strict";
import { join } from "node:path";
import { createEmulator } from "@workload-identity/emulator";
import { startPod, webhookEnv } from "../../scripts/containers/pod-run.mjs";
import { checkCleanStop } from "./clean-stop.mjs";
import { podman } from "../../scripts/containers/podman.mjs";
import { freePort, httpGet } from "./http-get.mjs";
import { imdsProxySidecar } from "./manifests.mjs";

const RESOURCE = "https://vault.azure.net";
export const START =
  /^I\d{4} [\d:.]+\s+1 cli\.js:\d+\] "serving IMDS token requests" address="127\.0\.0\.1" port=(\d+)$/m;
export const JWT_SHAPE = /eyJ[A-Za-z0-9_-]+\.eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+/;
const IMDS_FIELDS = [
  "access_token",
  "client_id",
  "expires_in",
  "expires_on",
  "ext_expires_in",
  "not_before",
  "resource",
  "token_type",
];

/** The manifest's `--proxy-port` value, in either `--flag value` or `--flag=value` form, swapped for `port`. */
export function withPort(args, port) {
  return args.map((arg, i) =>
    args[i - 1] === "--proxy-port" ? String(port) : arg.replace(/^--proxy-port=.*$/, `--proxy-port=${port}`),
  );
}

/** Parses an answer that holds a token; a parse error must not quote the body, so it gets none. */
export function tokenAnswer(response) {
  assert.equal(response.status, 200, `status ${response.status}: ${response.body.slice(0, 300)}`);
  try {
    return JSON.parse(response.body);
  } catch {
    throw new Error("the 200 answer is not JSON");
  }
}

export async function imdsProxyChecks({ check, needs, image, repoDir, workDir, measured }) {
  const manifest = imdsProxySidecar(repoDir);
  const projectionDir = join(workDir, "imds-proxy-token");
  const emulator = await createEmulator({ stateDir: join(workDir, "imds-proxy-state"), projectionDir });
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const tokenUrl = `${base}/metadata/identity/oauth2/token?api-version=2018-02-01&resource=${RESOURCE}`;
  const name = `workload-identity-test-imds-proxy-${process.pid}`;
  const exchanges = () => emulator.stats.count({ endpoint: "token" });
  const startedAt = Date.now();
  const pod = image
    ? startPod({
        image,
        name,
        projectionDir,
        caCertPath: emulator.caCertPath,
        env: webhookEnv(emulator),
        args: withPort(manifest.args, port),
      })
    : undefined;
  try {
    await check(
      "imds-proxy: with the sidecar manifest's args (--proxy-port swapped for a free port), logs its klog start line as pid 1, user 65532, read-only root",
      async () => {
        const [, listening] = await pod.waitFor(START, 30_000);
        assert.equal(Number(listening), port);
      },
      { needs },
    );
    await check(
      "imds-proxy: /readyz and /healthz answer 200",
      async () => {
        const readyz = await httpGet(`${base}/readyz`);
        measured.readyMs = Date.now() - startedAt;
        assert.equal(readyz.status, 200, readyz.body);
        assert.equal((await httpGet(`${base}/healthz`)).status, 200);
        assert.doesNotMatch(pod.output(), /not ready/);
      },
      { needs },
    );
    await check(
      `imds-proxy: the sidecar manifest's postStart command (--probe) succeeds in the running container as its user ${manifest.runAsUser}`,
      async () => {
        const { stdout } = await podman([
          "image",
          "inspect",
          "--format",
          "{{json .Config.Entrypoint}}",
          image,
        ]);
        assert.deepEqual(
          manifest.postStart.slice(0, 2),
          JSON.parse(stdout),
          "the postStart command must start with the image's entrypoint",
        );
        assert.ok(manifest.postStart.includes("--probe"), "the postStart command lacks --probe");
        const user = `${manifest.runAsUser}:${manifest.runAsUser}`;
        const probe = await podman(["exec", "--user", user, name, ...withPort(manifest.postStart, port)]);
        const output = `${probe.stdout}${probe.stderr}`.trim();
        assert.equal(probe.code, 0, `exit code ${probe.code}: ${output}`);
        assert.match(output, /"proxy is ready" url="http:\/\/127\.0\.0\.1:\d+\/readyz"/);
      },
      { needs },
    );
    await check(
      `imds-proxy: GET /metadata/identity/oauth2/token?resource=${RESOURCE} with Metadata: true answers 200 in IMDS's JSON shape, twice, with one token exchange`,
      async () => {
        assert.equal(exchanges(), 0, "the proxy exchanged a token before any request");
        const first = tokenAnswer(await httpGet(tokenUrl, { headers: { Metadata: "true" } }));
        assert.deepEqual(Object.keys(first).sort(), IMDS_FIELDS);
        assert.ok(JWT_SHAPE.test(first.access_token), "access_token is not a JWT");
        assert.equal(first.resource, RESOURCE);
        assert.equal(first.token_type, "Bearer");
        assert.equal(first.client_id, emulator.env.AZURE_CLIENT_ID);
        assert.match(first.expires_on, /^\d+$/);
        assert.ok(Number(first.expires_on) > Date.now() / 1000 + 60, `expires_on ${first.expires_on}`);
        const second = tokenAnswer(await httpGet(tokenUrl, { headers: { Metadata: "true" } }));
        assert.ok(second.access_token === first.access_token, "the second request got another token");
        assert.equal(exchanges(), 1, `${exchanges()} token exchanges for two requests`);
        assert.equal(emulator.stats.count({ endpoint: "token", status: 200 }), 1);
        measured.tokenExchanges = exchanges();
      },
      { needs },
    );
    await check(
      "imds-proxy: the same request without the Metadata header answers 400 (Required metadata header not specified)",
      async () => {
        const response = await httpGet(tokenUrl);
        assert.equal(response.status, 400);
        assert.equal(JSON.parse(response.body).error_description, "Required metadata header not specified");
        assert.equal(exchanges(), 1);
      },
      { needs },
    );
    await check(
      "imds-proxy: logs a klog line per token request (status=200 twice, status=400 once) and never a token",
      async () => {
        // Each line is written after its answer is sent, so the last one may still be on its way.
        await pod.waitFor(/"token request" .* status=400 /, 5_000);
        const output = pod.output();
        assert.equal(output.match(/"token request" .* status=200 /g)?.length, 2);
        assert.equal(output.match(/"token request" .* status=400 /g)?.length, 1);
        assert.ok(!JWT_SHAPE.test(output), "a token appears in the proxy's output");
      },
      { needs },
    );
    await checkCleanStop({ check, needs, pod, target: "imds-proxy", measured });
  } finally {
    await pod?.remove();
    await emulator.close();
  }
}

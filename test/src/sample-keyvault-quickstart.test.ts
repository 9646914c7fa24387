// The Key Vault quickstart as a process, against the emulator: msal-go's lines, its exits, rotation, SIGTERM,
// and an AKS identity-binding pod (the token proxy's CA rotating under it).
import type { Emulator } from "@workload-identity/emulator";
import { spawn } from "node:child_process";
import { join } from "node:path";
import { podEnvironment } from "./support/child-process.js";
import { OutputWatcher, REPO_ROOT, exitOf, startSample, stopAndTime } from "./support/samples.js";
import { startTrustedEmulator } from "./support/trusted-emulator.js";

const SUCCESS =
  /^I\d{4} \d\d:\d\d:\d\d\.\d{6} +\d+ main\.js:\d+\] "successfully got secret" secret="Hello!"$/;
const OUTSIDER = "55555555-6666-4777-8888-999999999999";
let emulator: Emulator;

beforeAll(async () => {
  emulator = await startTrustedEmulator({
    applications: [{}, { clientId: OUTSIDER, displayName: "not-a-reader" }],
  });
});
afterAll(() => emulator.close());

it("logs msal-go's success line at each interval and exits 0 within a second of SIGTERM", async () => {
  const child = startSample("keyvault-quickstart", { ...emulator.env, POLL_INTERVAL_SECONDS: "1" });
  const output = new OutputWatcher(child);
  await output.waitFor(SUCCESS, 2);
  const { code, ms } = await stopAndTime(child);
  expect(code).toBe(0);
  expect(ms).toBeLessThan(1000);
  expect(output.lines(/^E/)).toEqual([]);
});

it("exits 0 on SIGINT too", async () => {
  const child = startSample("keyvault-quickstart", { ...emulator.env, POLL_INTERVAL_SECONDS: "1" });
  const output = new OutputWatcher(child);
  await output.waitFor(SUCCESS);
  expect((await stopAndTime(child, "SIGINT")).code).toBe(0);
});

it.each([
  "KEYVAULT_URL",
  "SECRET_NAME",
  "AZURE_CLIENT_ID",
  "AZURE_TENANT_ID",
  "AZURE_FEDERATED_TOKEN_FILE",
  "AZURE_AUTHORITY_HOST",
])("exits 1 with a fatal line naming %s when it is missing", async (name) => {
  const env = Object.fromEntries(Object.entries(emulator.env).filter(([key]) => key !== name));
  const child = startSample("keyvault-quickstart", env);
  const output = new OutputWatcher(child);
  expect(await exitOf(child)).toBe(1);
  expect(output.lines(/^F/)).toEqual([
    expect.stringMatching(new RegExp(`"environment variable is not set" name="${name}"$`)),
  ]);
});

it("logs msal-go's failure line for a missing secret and exits 1", async () => {
  const child = startSample("keyvault-quickstart", { ...emulator.env, SECRET_NAME: "no-such-secret" });
  const output = new OutputWatcher(child);
  expect(await exitOf(child)).toBe(1);
  const [line] = output.lines(/^E/);
  expect(line).toMatch(
    /"failed to get secret from keyvault" err=".*no-such-secret was not found.*" keyvault="https:\/\/127\.0\.0\.1:\d+\/" secretName="no-such-secret"$/,
  );
});

it("logs the 403 for an identity without read permission and exits 1, printing no secret", async () => {
  const child = startSample("keyvault-quickstart", { ...emulator.env, AZURE_CLIENT_ID: OUTSIDER });
  const output = new OutputWatcher(child);
  expect(await exitOf(child)).toBe(1);
  expect(output.lines(/^E/)[0]).toMatch(/"failed to get secret from keyvault" err=".*not authorized.*"/);
  expect(output.text).not.toContain("Hello!");
});

it("keeps succeeding across projected-token rotations and short-lived access tokens", async () => {
  const own = await startTrustedEmulator({
    serviceAccount: { lifetimeSeconds: 3, rotateAtFraction: 0.5 },
    entra: { accessTokenLifetimeSeconds: 4 },
  });
  try {
    const child = startSample("keyvault-quickstart", { ...own.env, POLL_INTERVAL_SECONDS: "1" });
    const output = new OutputWatcher(child);
    await output.waitFor(SUCCESS, 7, 30_000);
    expect((await stopAndTime(child)).code).toBe(0);
    expect(output.lines(/^E/)).toEqual([]);
    // Over 6+ seconds the first projected token expired: the sample presented rotated ones.
    expect(own.projection.rotations).toBeGreaterThanOrEqual(4);
    expect(own.stats.count({ endpoint: "token", status: 200 })).toBeGreaterThanOrEqual(2);
  } finally {
    await own.close();
  }
});

it("in an identity-binding pod, gets the secret through the token proxy while its CA rotates every 2 s", async () => {
  const own = await startTrustedEmulator({
    // 4 s access tokens: the credential exchanges again every 2 s or so, each time past a fresh CA.
    entra: { accessTokenLifetimeSeconds: 4 },
    identityBinding: { caRotationSeconds: 2 },
  });
  try {
    // Nothing but the pod's environment: AZURE_KUBERNETES_TOKEN_PROXY turns the credential's switch on.
    expect(own.env.AZURE_KUBERNETES_TOKEN_PROXY).toMatch(/^https:/);
    const rotationsAtStart = own.identityBinding?.caRotations ?? 0;
    const child = startSample("keyvault-quickstart", { ...own.env, POLL_INTERVAL_SECONDS: "1" });
    const output = new OutputWatcher(child);
    await output.waitFor(SUCCESS, 8, 30_000);
    expect((await stopAndTime(child)).code).toBe(0);
    expect(output.lines(/^[EF]/)).toEqual([]);
    expect((own.identityBinding?.caRotations ?? 0) - rotationsAtStart).toBeGreaterThanOrEqual(3);
    // Every exchange went through the proxy and succeeded (a proxied request is also counted as Entra's). A
    // background refresh under way when the sample was stopped is cut off (recorded with status 0): at most one.
    const viaProxy = own.stats.count({ endpoint: "token-proxy", status: 200 });
    const cutOff = own.stats.count({ endpoint: "token-proxy", status: 0 });
    expect(viaProxy).toBeGreaterThanOrEqual(3);
    expect(cutOff).toBeLessThanOrEqual(1);
    expect(own.stats.count({ endpoint: "token-proxy" })).toBe(viaProxy + cutOff);
    expect(own.stats.count({ endpoint: "token" })).toBeGreaterThanOrEqual(viaProxy);
    expect(own.stats.count({ endpoint: "token" })).toBeLessThanOrEqual(viaProxy + cutOff);
  } finally {
    await own.close();
  }
});

it("in an identity-binding pod whose service account may not use the identity, fails naming the missing ClusterRole", async () => {
  const own = await startTrustedEmulator({ identityBinding: { allow: [], caRotationSeconds: null } });
  try {
    const child = startSample("keyvault-quickstart", { ...own.env, POLL_INTERVAL_SECONDS: "1" });
    const output = new OutputWatcher(child);
    expect(await exitOf(child)).toBe(1);
    const [line] = output.lines(/^E/);
    // The sample README's row for this cause quotes this line.
    expect(line).toMatch(
      /"failed to get secret from keyvault" err="The token proxy https:\/\/127\.0\.0\.1:\d+ refused the request \(HTTP 403\): the pod's service account is likely not allowed to use this client id\. .*use-managed-identity.*"/,
    );
    expect(output.text).not.toContain("Hello!");
  } finally {
    await own.close();
  }
});

it("npm start's demo runner shows the success line and stops cleanly on Ctrl-C", async () => {
  const child = spawn(process.execPath, [join(REPO_ROOT, "scripts", "demo.mjs")], {
    env: podEnvironment({ POLL_INTERVAL_SECONDS: "1" }),
    stdio: ["ignore", "pipe", "pipe"],
  });
  const output = new OutputWatcher(child);
  await output.waitFor(SUCCESS);
  const { code, ms } = await stopAndTime(child, "SIGINT");
  expect(code).toBe(0);
  expect(ms).toBeLessThan(3000);
});

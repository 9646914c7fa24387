// The Graph tenant reader as a process, against the emulator: the tenant logged and served, a 403 explained, and
// an AKS identity-binding pod (tokens through the token proxy).
import type { Emulator } from "@workload-identity/emulator";
import { OutputWatcher, exitOf, freePort, startSample, stopAndTime } from "./support/samples.js";
import { startTrustedEmulator } from "./support/trusted-emulator.js";

const NO_ROLES = "66666666-7777-4888-8999-aaaaaaaaaaaa";
let emulator: Emulator;

beforeAll(async () => {
  emulator = await startTrustedEmulator({
    applications: [{}, { clientId: NO_ROLES, displayName: "no-graph-roles", graphRoles: [] }],
  });
});
afterAll(() => emulator.close());

it("logs the tenant, serves it as JSON and HTML, is ready, and exits 0 within a second of SIGTERM", async () => {
  const port = await freePort();
  const child = startSample("graph-tenant-reader", {
    ...emulator.env,
    PORT: String(port),
    POLL_INTERVAL_SECONDS: "1",
  });
  const output = new OutputWatcher(child);
  await output.waitFor(
    new RegExp(
      `^I.*"read tenant" displayName="Contoso \\(emulated\\)" id="${emulator.env.AZURE_TENANT_ID}"$`,
    ),
    2,
  );
  const base = `http://127.0.0.1:${port}`;
  expect(await (await fetch(`${base}/api/organization`)).json()).toMatchObject({
    id: emulator.env.AZURE_TENANT_ID,
    displayName: "Contoso (emulated)",
  });
  expect((await fetch(`${base}/readyz`)).status).toBe(200);
  expect((await fetch(`${base}/healthz`)).status).toBe(200);
  expect(await (await fetch(`${base}/`)).text()).toContain("<h1>Contoso (emulated)</h1>");
  const { code, ms } = await stopAndTime(child);
  expect(code).toBe(0);
  expect(ms).toBeLessThan(1000);
});

it("explains a 403 with the Graph permission to grant, stays alive and is not ready", async () => {
  const port = await freePort();
  const child = startSample("graph-tenant-reader", {
    ...emulator.env,
    AZURE_CLIENT_ID: NO_ROLES,
    PORT: String(port),
    POLL_INTERVAL_SECONDS: "1",
  });
  const output = new OutputWatcher(child);
  const [line] = await output.waitFor(/^E.*"failed to read the organization from Microsoft Graph"/);
  expect(line).toContain("Insufficient privileges");
  expect(line).toContain("Organization.Read.All");
  expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(503);
  expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
  expect((await stopAndTime(child)).code).toBe(0);
});

it("exits 1 naming a missing variable", async () => {
  const env = Object.fromEntries(
    Object.entries(emulator.env).filter(([key]) => key !== "AZURE_FEDERATED_TOKEN_FILE"),
  );
  const child = startSample("graph-tenant-reader", env);
  const output = new OutputWatcher(child);
  expect(await exitOf(child)).toBe(1);
  expect(output.lines(/^F/)[0]).toContain('name="AZURE_FEDERATED_TOKEN_FILE"');
});

it("in an identity-binding pod, reads the tenant with tokens from the token proxy, past a CA rotation", async () => {
  const own = await startTrustedEmulator({
    entra: { accessTokenLifetimeSeconds: 4 },
    identityBinding: { caRotationSeconds: null },
  });
  try {
    const port = await freePort();
    const child = startSample("graph-tenant-reader", {
      ...own.env,
      PORT: String(port),
      POLL_INTERVAL_SECONDS: "1",
    });
    const output = new OutputWatcher(child);
    const READ = /^I.*"read tenant" displayName="Contoso \(emulated\)"/;
    await output.waitFor(READ);
    await own.rotateProxyCa();
    const viaProxyBefore = own.stats.count({ endpoint: "token-proxy", status: 200 });
    // 4 s tokens: within a few reads the credential exchanges again, over TLS only the new CA verifies.
    const deadline = Date.now() + 15_000;
    while (
      own.stats.count({ endpoint: "token-proxy", status: 200 }) === viaProxyBefore &&
      Date.now() < deadline
    ) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const reads = output.lines(READ).length;
    await output.waitFor(READ, reads + 1);
    expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);
    expect((await stopAndTime(child)).code).toBe(0);
    expect(output.lines(/^[EF]/)).toEqual([]);
    const viaProxy = own.stats.count({ endpoint: "token-proxy", status: 200 });
    expect(viaProxy).toBeGreaterThan(viaProxyBefore);
    // A refresh under way when the reader was stopped is cut off (status 0); Entra may have answered it.
    const cutOff = own.stats.count({ endpoint: "token-proxy", status: 0 });
    expect(cutOff).toBeLessThanOrEqual(1);
    expect(own.stats.count({ endpoint: "token" })).toBeGreaterThanOrEqual(viaProxy);
    expect(own.stats.count({ endpoint: "token" })).toBeLessThanOrEqual(viaProxy + cutOff);
  } finally {
    await own.close();
  }
});

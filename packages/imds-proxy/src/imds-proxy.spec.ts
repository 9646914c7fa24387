import {
  AuthenticationError,
  CredentialUnavailableError,
  TokenFileUnavailableError,
} from "@workload-identity/credential";
import { createKlog } from "@workload-identity/klog";
import type { TokenSource } from "./credential-registry.js";
import { createImdsProxy, type ImdsProxy } from "./imds-proxy.js";

const CLIENT_ID = "0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0";
const OTHER_CLIENT_ID = "11111111-2222-3333-4444-555555555555";
const NOW = 1_800_000_000_000;
const TOKEN = "header.eyJuYmYiOjE4MDAwMDAwMDB9.secret-signature";
const TOKEN_PATH = "/metadata/identity/oauth2/token";

let lines: string[];
let scopes: { clientId: string | undefined; scope: string }[];
let made: (string | undefined)[];
let failWith: Error | undefined;
let hang: boolean;
let proxy: ImdsProxy;
let base: string;

beforeEach(async () => {
  lines = [];
  scopes = [];
  made = [];
  failWith = undefined;
  hang = false;
  proxy = createImdsProxy({
    port: 0,
    env: { AZURE_CLIENT_ID: CLIENT_ID },
    createCredential: (clientId): TokenSource => {
      if (clientId === undefined) {
        throw new CredentialUnavailableError("ERR_MISSING_CONFIGURATION", "AZURE_CLIENT_ID is not set.");
      }
      made.push(clientId);
      return {
        getToken: (scope) => {
          scopes.push({ clientId, scope });
          if (hang) return new Promise(() => undefined);
          return failWith === undefined
            ? Promise.resolve({ token: TOKEN, expiresOnTimestamp: NOW + 3_600_000 })
            : Promise.reject(failWith);
        },
      };
    },
    log: createKlog({ write: (line) => lines.push(line) }),
    now: () => NOW,
  });
  base = (await proxy.listen()).url;
});
afterEach(() => proxy.close());

const token = (query: string, headers: Record<string, string> = { Metadata: "true" }, path = TOKEN_PATH) =>
  fetch(`${base}${path}?${query}`, { headers });

it("answers a token request in IMDS's shape with the default identity", async () => {
  const response = await token("api-version=2018-02-01&resource=https%3A%2F%2Fvault.azure.net");
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toBe("application/json; charset=utf-8");
  expect(await response.json()).toEqual({
    access_token: TOKEN,
    client_id: CLIENT_ID,
    expires_in: "3600",
    expires_on: "1800003600",
    ext_expires_in: "3600",
    not_before: "1800000000",
    resource: "https://vault.azure.net",
    token_type: "Bearer",
  });
  expect(scopes).toEqual([{ clientId: CLIENT_ID, scope: "https://vault.azure.net/.default" }]);
});

it("logs one klog line per token request, without the query or the token", async () => {
  await token("resource=https://management.azure.com/&api-version=2018-02-01");
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(
    /^I\d{4} [\d:.]+ +\d+ handler\.(ts|js):\d+\] "token request" method="GET" path="\/metadata\/identity\/oauth2\/token" resource="https:\/\/management.azure.com\/" clientId="0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0" status=200 durationMs=\d+\n$/,
  );
  expect(lines.join("")).not.toContain("signature");
});

it("uses the client_id the request names, one credential per identity", async () => {
  await Promise.all([
    token(`resource=api://a&client_id=${OTHER_CLIENT_ID}`),
    token(`resource=api://b&client_id=${OTHER_CLIENT_ID}`),
    token("resource=api://a"),
    token(`resource=api://a&client_id=${CLIENT_ID.toUpperCase()}`),
  ]);
  expect(made.sort()).toEqual([CLIENT_ID, OTHER_CLIENT_ID].sort());
  expect(scopes).toContainEqual({ clientId: OTHER_CLIENT_ID, scope: "api://b/.default" });
});

it.each([
  "/Metadata/identity/oauth2/token",
  "/METADATA/identity/oauth2/token/",
  "//metadata/identity/oauth2/token/",
])("answers on %s", async (path) => {
  expect((await token("resource=api://a", { Metadata: "true" }, path)).status).toBe(200);
});

it("answers 400 without the Metadata header, as IMDS, and logs a warning", async () => {
  const response = await token("resource=https://vault.azure.net", {});
  expect(response.status).toBe(400);
  expect(await response.json()).toEqual({
    error: "invalid_request",
    error_description: "Required metadata header not specified",
  });
  expect(scopes).toEqual([]);
  expect(lines[0]).toMatch(
    /^W.*"token request".*status=400 .*reason="Required metadata header not specified"/,
  );
});

it("answers 400 without a resource", async () => {
  const response = await token("api-version=2018-02-01");
  expect(response.status).toBe(400);
  expect(await response.json()).toEqual({
    error: "invalid_request",
    error_description: "Required query variable 'resource' is missing",
  });
});

it("answers 500 with the credential's code when the identity is not configured, and logs an error", async () => {
  failWith = new TokenFileUnavailableError(
    "ERR_TOKEN_FILE_NOT_FOUND",
    "/var/run/token",
    "The token file is missing.",
  );
  const response = await token("resource=api://a");
  expect(response.status).toBe(500);
  expect(await response.json()).toEqual({
    error: "server_error",
    error_description: "ERR_TOKEN_FILE_NOT_FOUND: The token file is missing.",
    code: "ERR_TOKEN_FILE_NOT_FOUND",
  });
  expect(lines[0]).toMatch(
    /^E.*"token request" err="ERR_TOKEN_FILE_NOT_FOUND: The token file is missing." .*status=500 .*code="ERR_TOKEN_FILE_NOT_FOUND"/,
  );
});

it("answers 502 when Entra cannot be reached", async () => {
  failWith = new AuthenticationError("ERR_ENTRA_UNAVAILABLE", "Entra answered 503.", { statusCode: 503 });
  expect((await token("resource=api://a")).status).toBe(502);
});

it("answers 500 naming AZURE_CLIENT_ID when neither the request nor the environment gives a client id", async () => {
  await proxy.close();
  proxy = createImdsProxy({ port: 0, env: {}, log: createKlog({ write: (line) => lines.push(line) }) });
  base = (await proxy.listen()).url;
  const response = await token("resource=api://a");
  expect(response.status).toBe(500);
  expect(await response.json()).toMatchObject({
    code: "ERR_MISSING_CONFIGURATION",
    error_description: expect.stringContaining("AZURE_CLIENT_ID is not set"),
  });
});

it("answers 404 elsewhere and 405 to other methods on the token path", async () => {
  const missing = await fetch(`${base}/metadata/instance?api-version=2021-02-01`, {
    headers: { Metadata: "true" },
  });
  expect(missing.status).toBe(404);
  expect(await missing.json()).toEqual({
    error: "not_found",
    error_description: "No such path: /metadata/instance",
  });
  expect(lines[0]).toMatch(/^W.*"unknown path" method="GET" path="\/metadata\/instance" .*status=404/);
  const post = await fetch(`${base}${TOKEN_PATH}?resource=api://a`, {
    method: "POST",
    headers: { Metadata: "true" },
  });
  expect(post.status).toBe(405);
  expect(post.headers.get("allow")).toBe("GET");
});

it("answers /healthz and /readyz without logging successes", async () => {
  const health = await fetch(`${base}/healthz`);
  expect(health.status).toBe(200);
  expect(await health.text()).toBe("ok\n");
  expect((await fetch(`${base}/readyz`)).status).toBe(200);
  expect((await fetch(`${base}/readyz`, { method: "HEAD" })).status).toBe(200);
  expect((await fetch(`${base}/readyz`, { method: "POST" })).status).toBe(405);
  expect(lines).toEqual([]);
  expect(proxy.readiness()).toEqual({ ready: true });
});

it("is alive but not ready when no credential can be made, and says why", async () => {
  await proxy.close();
  proxy = createImdsProxy({ port: 0, env: {}, log: createKlog({ write: (line) => lines.push(line) }) });
  base = (await proxy.listen()).url;
  expect((await fetch(`${base}/healthz`)).status).toBe(200);
  const ready = await fetch(`${base}/readyz`);
  expect(ready.status).toBe(503);
  expect(await ready.text()).toMatch(/^not ready: WorkloadIdentityCredential: AZURE_CLIENT_ID is not set/);
  expect(lines[0]).toMatch(/^W.*"not ready" .*status=503 reason=".*AZURE_CLIENT_ID is not set/);
});

it("closes at once, cutting requests still waiting for a token", async () => {
  hang = true;
  const pending = token("resource=api://a");
  await new Promise((resolve) => setTimeout(resolve, 50));
  const started = Date.now();
  await proxy.close();
  expect(Date.now() - started).toBeLessThan(1000);
  await expect(pending).rejects.toThrow();
  await proxy.close(); // twice is fine
});

it("rejects listen() on a port in use, and a port that is not one", async () => {
  const port = Number(new URL(base).port);
  const second = createImdsProxy({ port, env: {} });
  await expect(second.listen()).rejects.toThrow(/EADDRINUSE/);
  expect(() => createImdsProxy({ port: 70000 })).toThrow("createImdsProxy: port 70000 is not a port number");
});

it("holds no credential after 10,000 requests naming distinct client ids that Entra refuses", async () => {
  failWith = new AuthenticationError("ERR_UNKNOWN_CLIENT", "AADSTS700016: application not found.", {
    statusCode: 400,
  });
  const total = 10_000;
  let next = 0;
  const statuses: number[] = [];
  const worker = async () => {
    while (next < total) {
      const id = `00000000-0000-4000-8000-${String(next).padStart(12, "0")}`;
      next += 1;
      const response = await token(`api-version=2018-02-01&resource=https://vault.azure.net&client_id=${id}`);
      await response.arrayBuffer();
      statuses.push(response.status);
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
  expect(statuses.filter((s) => s === 400)).toHaveLength(total);
  expect(made).toHaveLength(total);
  expect(proxy.identities).toBe(0);
}, 60_000);

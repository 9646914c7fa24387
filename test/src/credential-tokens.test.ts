// WorkloadIdentityCredential against the emulator over real HTTPS: tokens, the cache, single flight, rotation.
import {
  WorkloadIdentityCredential,
  type WorkloadIdentityCredentialOptions,
} from "@workload-identity/credential";
import type { Emulator } from "@workload-identity/emulator";
import { rename } from "node:fs/promises";
import { setTimeout as sleep } from "node:timers/promises";
import { decodeJwt } from "jose";
import { startTrustedEmulator } from "./support/trusted-emulator.js";

const VAULT = "https://vault.azure.net/.default";
const SECOND_TENANT = "7b5d8b2e-1f3c-4a6d-9e8f-0a1b2c3d4e5f";
let emulator: Emulator;

beforeAll(async () => {
  emulator = await startTrustedEmulator({
    tenants: [{}, { id: SECOND_TENANT, displayName: "Fabrikam", domains: ["fabrikam.onmicrosoft.com"] }],
    // A multi-tenant application: the same client id registered in both tenants.
    applications: [{}, { tenantId: SECOND_TENANT }],
  });
});
afterAll(() => emulator.close());
beforeEach(() => {
  emulator.stats.reset();
  emulator.faults.clear();
});

const credential = (options: WorkloadIdentityCredentialOptions = {}) =>
  new WorkloadIdentityCredential({ env: emulator.env, ...options });
const tokenRequests = () => emulator.stats.count({ endpoint: "token" });

it("gets a Key Vault token and a Graph token, each for its own resource", async () => {
  const cred = credential();
  const vault = await cred.getToken(VAULT);
  // Graph's token is for Graph's audience; only the host the client then calls (GRAPH_ENDPOINT) is local.
  const graph = await cred.getToken("https://graph.microsoft.com/.default");
  expect(decodeJwt(vault.token).aud).toBe("https://vault.azure.net");
  expect(decodeJwt(graph.token).aud).toBe("https://graph.microsoft.com");
  expect(vault.tokenType).toBe("Bearer");
  // 3599-second tokens: refresh after half the lifetime, expiry an hour away.
  expect(vault.expiresOnTimestamp - Date.now()).toBeGreaterThan(3590_000);
  expect((vault.refreshAfterTimestamp ?? 0) - Date.now()).toBeGreaterThan(1790_000);
  expect((vault.refreshAfterTimestamp ?? 0) - Date.now()).toBeLessThanOrEqual(1800_000);
  // No metadata downloads: the authority metadata is built in.
  expect(emulator.stats.count({ endpoint: "openid-configuration" })).toBe(0);
  expect(emulator.stats.count({ endpoint: "instance-discovery" })).toBe(0);
});

it("keeps a resource's trailing slash: the scope reaches Entra unchanged, so the aud is what Azure SQL needs", async () => {
  const cred = credential();
  const withSlash = await cred.getToken("https://database.windows.net//.default");
  const withoutSlash = await cred.getToken("https://database.windows.net/.default");
  expect(decodeJwt(withSlash.token).aud).toBe("https://database.windows.net/");
  expect(decodeJwt(withoutSlash.token).aud).toBe("https://database.windows.net");
  expect(tokenRequests()).toBe(2); // two resources, two cache entries
});

it("makes exactly one token request for 200 concurrent calls on a cold credential", async () => {
  const cred = credential();
  const tokens = await Promise.all(Array.from({ length: 200 }, () => cred.getToken(VAULT)));
  expect(new Set(tokens.map((t) => t.token)).size).toBe(1);
  expect(tokenRequests()).toBe(1);
});

it("serves a cached token without touching the file: it succeeds while the file is gone", async () => {
  const cred = credential();
  const first = await cred.getToken(VAULT);
  const file = emulator.env.AZURE_FEDERATED_TOKEN_FILE;
  await rename(file, `${file}.moved`);
  try {
    const again = await cred.getToken([VAULT]);
    expect(again.token).toBe(first.token);
    expect(tokenRequests()).toBe(1);
    // A different scope needs an exchange, and so the file: that one fails, naming it.
    await expect(cred.getToken("https://management.azure.com/.default")).rejects.toMatchObject({
      name: "CredentialUnavailableError",
      code: "ERR_TOKEN_FILE_NOT_FOUND",
      path: file,
    });
  } finally {
    await rename(`${file}.moved`, file);
  }
});

it("goes to Entra for a claims challenge even with a valid cached token, and caches the answer", async () => {
  const cred = credential();
  const first = await cred.getToken(VAULT);
  const challenged = await cred.getToken(VAULT, {
    claims: JSON.stringify({ access_token: { nbf: { essential: true, value: "1" } } }),
  });
  expect(challenged.token).not.toBe(first.token);
  expect(tokenRequests()).toBe(2);
  expect((await cred.getToken(VAULT)).token).toBe(challenged.token);
});

it("makes one token request for 20 concurrent calls answering the same claims challenge", async () => {
  const cred = credential();
  const claims = JSON.stringify({ access_token: { nbf: { essential: true, value: "2" } } });
  const tokens = await Promise.all(Array.from({ length: 20 }, () => cred.getToken(VAULT, { claims })));
  expect(new Set(tokens.map((t) => t.token)).size).toBe(1);
  expect(tokenRequests()).toBe(1);
});

it("asks for the cp1 capability with enableCae, cached apart from non-CAE tokens", async () => {
  const cred = credential();
  const plain = await cred.getToken(VAULT);
  const cae = await cred.getToken(VAULT, { enableCae: true });
  expect(decodeJwt(cae.token).xms_cc).toEqual(["cp1"]);
  expect(decodeJwt(plain.token).xms_cc).toBeUndefined();
  expect(tokenRequests()).toBe(2);
});

it("follows @azure/identity's multi-tenant rules for options.tenantId", async () => {
  await expect(credential().getToken(VAULT, { tenantId: SECOND_TENANT })).rejects.toMatchObject({
    name: "CredentialUnavailableError",
    code: "ERR_TENANT_NOT_ALLOWED",
  });
  const token = await credential({ additionallyAllowedTenants: [SECOND_TENANT] }).getToken(VAULT, {
    tenantId: SECOND_TENANT,
  });
  expect(decodeJwt(token.token).tid).toBe(SECOND_TENANT);
  const any = await credential({ additionallyAllowedTenants: ["*"] }).getToken(VAULT, {
    tenantId: "fabrikam.onmicrosoft.com",
  });
  expect(decodeJwt(any.token).tid).toBe(SECOND_TENANT);
});

it("reads the rotated token at the next exchange: the first one has expired by then", async () => {
  const own = await startTrustedEmulator({ serviceAccount: { lifetimeSeconds: 2, rotateAtFraction: 0.5 } });
  try {
    const cred = new WorkloadIdentityCredential({ env: own.env });
    await cred.getToken(VAULT);
    await sleep(2500); // the first projected token is now expired; kubelet has rotated it twice
    await cred.getToken("https://management.azure.com/.default");
    expect(own.stats.count({ endpoint: "token", status: 200 })).toBe(2);
    expect(own.projection.rotations).toBeGreaterThanOrEqual(3);
  } finally {
    await own.close();
  }
});

it("rejects an already aborted call at once, even on a cache hit", async () => {
  const cred = credential();
  await cred.getToken(VAULT);
  await expect(cred.getToken(VAULT, { abortSignal: AbortSignal.abort() })).rejects.toMatchObject({
    name: "AbortError",
  });
});

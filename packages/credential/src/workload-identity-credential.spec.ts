// What the credential keeps in memory for requests that fail: nothing, or a bounded amount.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TokenCache } from "./cache/token-cache.js";
import { WorkloadIdentityCredential } from "./workload-identity-credential.js";

const CLIENT_ID = "0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0";
const TENANT_ID = "72f988bf-86f1-41af-91ab-2d7cd011db47";
const FAKE_ASSERTION = [
  Buffer.from('{"alg":"RS256"}').toString("base64url"),
  Buffer.from('{"sub":"system:serviceaccount:default:app"}').toString("base64url"),
  "c2ln",
].join(".");

let dir: string;
let tokenFile: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "credential-spec-"));
  tokenFile = join(dir, "token");
  writeFileSync(tokenFile, FAKE_ASSERTION);
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** A credential whose token endpoint refuses connections (port 1 on loopback), retrying nothing. */
function credential(extra: { additionallyAllowedTenants?: string[] } = {}) {
  return new WorkloadIdentityCredential({
    clientId: CLIENT_ID,
    tenantId: TENANT_ID,
    tokenFilePath: tokenFile,
    authorityHost: "https://127.0.0.1:1/",
    retryOptions: { maxRetries: 0 },
    loggingEnabled: false,
    env: {},
    ...extra,
  });
}

/** The credential's private parts, read to count what it keeps. */
function internals(cred: WorkloadIdentityCredential) {
  const inside = cred as unknown as { cache: TokenCache; exchanger: { apps: Map<string, unknown> } };
  return { cacheKeys: inside.cache.size, msalApplications: inside.exchanger.apps.size };
}

it("keeps no cache entry for 10,000 distinct scopes refused before any network call", async () => {
  const cred = credential();
  for (let i = 0; i < 10_000; i += 1) {
    const scopes = i % 2 === 0 ? `https://resource-${i}.example.com` : [`a${i}/.default`, `b${i}/.default`];
    await expect(cred.getToken(scopes)).rejects.toMatchObject({ code: "ERR_INVALID_SCOPE" });
  }
  expect(internals(cred).cacheKeys).toBe(0);
});

it("keeps no cache entry for scopes whose exchange failed", async () => {
  const cred = credential();
  for (let i = 0; i < 300; i += 1) {
    await expect(cred.getToken(`https://resource-${i}.example.com/.default`)).rejects.toMatchObject({
      code: "ERR_NETWORK",
    });
  }
  expect(internals(cred).cacheKeys).toBe(0);
});

it("keeps at most 32 MSAL applications however many tenants are asked for", async () => {
  const cred = credential({ additionallyAllowedTenants: ["*"] });
  for (let i = 0; i < 100; i += 1) {
    await expect(
      cred.getToken("https://vault.azure.net/.default", { tenantId: `tenant-${i}.example.com` }),
    ).rejects.toMatchObject({ code: "ERR_NETWORK" });
  }
  expect(internals(cred)).toEqual({ cacheKeys: 0, msalApplications: 32 });
});

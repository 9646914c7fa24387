// The emulated Key Vault: challenge flow, token checks, RBAC and Key Vault's answer shapes, over real HTTPS.
import { createEmulator, type Emulator } from "@workload-identity/emulator";
import { httpsRequest } from "./support/https.js";
import { accessTokenFor } from "./support/token-request.js";

const OUTSIDER = "33333333-4444-4555-8666-777777777777";
let emulator: Emulator;
let vaultUrl: string;

beforeAll(async () => {
  emulator = await createEmulator({
    config: {
      applications: [{}, { clientId: OUTSIDER, displayName: "not-a-reader" }],
      vaults: [{ name: "team-vault", secrets: { "db-password": "s3cr3t", other: "x" } }],
    },
  });
  vaultUrl = emulator.urls.vaults["team-vault"] ?? "";
});
afterAll(() => emulator.close());

const getSecret = (path: string, token?: string) =>
  httpsRequest(`${vaultUrl}${path}`, {
    ca: emulator.caCertificate,
    headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
  });

it("answers a request without a token with 401 and the challenge naming the tenant's authority and the resource", async () => {
  const response = await getSecret("secrets/db-password?api-version=7.5");
  expect(response.status).toBe(401);
  expect(response.headers["www-authenticate"]).toBe(
    `Bearer authorization="${emulator.urls.authorityHost}${emulator.env.AZURE_TENANT_ID}", resource="https://vault.azure.net"`,
  );
  expect(response.json()).toEqual({
    error: { code: "Unauthorized", message: expect.stringContaining("AKV10000") },
  });
});

it("returns the secret in Key Vault's shape to a reader", async () => {
  const token = await accessTokenFor(emulator, "https://vault.azure.net");
  const response = await getSecret("secrets/db-password?api-version=7.5", token);
  expect(response.status).toBe(200);
  const body = response.json<{ value: string; id: string; attributes: { enabled: boolean } }>();
  expect(body.value).toBe("s3cr3t");
  expect(body.id).toMatch(new RegExp(`^${vaultUrl}secrets/db-password/[0-9a-f]{32}$`));
  expect(body.attributes.enabled).toBe(true);

  const version = body.id.split("/").pop() ?? "";
  expect((await getSecret(`secrets/db-password/${version}?api-version=7.5`, token)).json()).toMatchObject({
    value: "s3cr3t",
  });
});

it("answers 403 ForbiddenByRbac to an identity without read permission", async () => {
  const token = await accessTokenFor(emulator, "https://vault.azure.net", OUTSIDER);
  const response = await getSecret("secrets/db-password?api-version=7.5", token);
  expect(response.status).toBe(403);
  expect(response.json()).toMatchObject({
    error: { code: "Forbidden", innererror: { code: "ForbiddenByRbac" } },
  });
  expect(response.text).toContain(`appid=${OUTSIDER}`);
  expect(response.text).not.toContain("s3cr3t");
});

it("answers 404 SecretNotFound for a missing secret or version", async () => {
  const token = await accessTokenFor(emulator, "https://vault.azure.net");
  const missing = await getSecret("secrets/nope?api-version=7.5", token);
  expect(missing.status).toBe(404);
  expect(missing.json()).toMatchObject({
    error: { code: "SecretNotFound", message: expect.stringContaining("nope") },
  });
  expect((await getSecret("secrets/db-password/0123?api-version=7.5", token)).status).toBe(404);
});

// Azure/go-autorest#525: "AKV10022: Invalid audience. Expected https://vault.azure.net, found: https://vault.azure.net/."
it("rejects a token whose audience has a trailing slash with 401 AKV10022 naming what it found", async () => {
  const token = await accessTokenFor(emulator, "https://vault.azure.net/");
  const response = await getSecret("secrets/db-password?api-version=7.5", token);
  expect(response.status).toBe(401);
  expect(response.json()).toEqual({
    error: {
      code: "Unauthorized",
      message:
        "AKV10022: Invalid audience. Expected https://vault.azure.net, found: https://vault.azure.net/.",
    },
  });
});

it("rejects a token for another resource with 401 AKV10022 and the challenge", async () => {
  const token = await accessTokenFor(emulator, "https://management.azure.com");
  const response = await getSecret("secrets/db-password?api-version=7.5", token);
  expect(response.status).toBe(401);
  expect(response.headers["www-authenticate"]).toContain('resource="https://vault.azure.net"');
  expect(response.json()).toMatchObject({
    error: { code: "Unauthorized", message: expect.stringContaining("AKV10022") },
  });
});

it("rejects a token that is not Entra's with 401", async () => {
  const forged = await emulator.issuer.sign({
    aud: "https://vault.azure.net",
    exp: Math.floor(Date.now() / 1000) + 60,
  });
  expect((await getSecret("secrets/db-password?api-version=7.5", forged)).status).toBe(401);
});

it("rejects an expired access token with 401", async () => {
  emulator.updateSettings({ accessTokenLifetimeSeconds: 1 });
  try {
    const token = await accessTokenFor(emulator, "https://vault.azure.net");
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const response = await getSecret("secrets/db-password?api-version=7.5", token);
    expect(response.status).toBe(401);
    expect(response.text).toContain("expired");
  } finally {
    emulator.updateSettings({ accessTokenLifetimeSeconds: 3599 });
  }
});

it("requires the api-version query parameter", async () => {
  const token = await accessTokenFor(emulator, "https://vault.azure.net");
  const response = await getSecret("secrets/db-password", token);
  expect(response.status).toBe(400);
  expect(response.json()).toMatchObject({ error: { code: "BadParameter" } });
});

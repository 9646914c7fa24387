// The emulated Key Vault: challenge flow, token checks, RBAC and Key Vault's answers (status, headers, bodies)
// compared with Azure's, over real HTTPS. Sources and dates of each quoted text: packages/emulator/README.md.
import { createEmulator, type Emulator } from "@workload-identity/emulator";
import { httpsRequest, type HttpsResponse } from "./support/https.js";
import { accessTokenFor, projectedToken, requestToken } from "./support/token-request.js";

const OUTSIDER = "33333333-4444-4555-8666-777777777777";
const READER_BY_OBJECT_ID = "22222222-3333-4444-8555-666666666666";
const READER_OBJECT_ID = "12121212-3434-4545-8656-787878787878";
const OTHER_TENANT = "7b5d8b2e-1f3c-4a6d-9e8f-0a1b2c3d4e5f";
const KEY_VAULT_APP_ID = "cfa8b339-82a2-471a-a3c9-0fc0be7a4093";
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
let emulator: Emulator;
let vaultUrl: string;

beforeAll(async () => {
  emulator = await createEmulator({
    config: {
      tenants: [{}, { id: OTHER_TENANT, displayName: "Fabrikam", domains: ["fabrikam.onmicrosoft.com"] }],
      applications: [
        {},
        { clientId: OUTSIDER, displayName: "not-a-reader" },
        { clientId: READER_BY_OBJECT_ID, objectId: READER_OBJECT_ID, displayName: "reader-by-oid" },
        { clientId: OUTSIDER, tenantId: OTHER_TENANT, displayName: "elsewhere" },
      ],
      resources: [KEY_VAULT_APP_ID],
      vaults: [
        {
          name: "team-vault",
          secrets: { "db-password": "s3cr3t", other: "x" },
          readers: ["0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0", READER_OBJECT_ID],
        },
      ],
    },
  });
  vaultUrl = emulator.urls.vaults["team-vault"] ?? "";
});
afterAll(() => emulator.close());

const getSecret = (path: string, token?: string, headers: Record<string, string> = {}) =>
  httpsRequest(`${vaultUrl}${path}`, {
    ca: emulator.caCertificate,
    headers: { ...headers, ...(token === undefined ? {} : { authorization: `Bearer ${token}` }) },
  });

/** The headers every Key Vault answer carries (Azure/azure-sdk-for-js recordings, 2021-12-21; a 403 of 2026-02-07). */
function expectKeyVaultHeaders(response: HttpsResponse): void {
  expect(response.headers).toMatchObject({
    "content-type": "application/json; charset=utf-8",
    "cache-control": "no-cache",
    pragma: "no-cache",
    expires: "-1",
    "x-ms-keyvault-region": "eastus",
    "x-ms-request-id": expect.stringMatching(GUID),
    "x-ms-keyvault-service-version": expect.stringMatching(/^\d+\.\d+\.\d+\.\d+$/),
    "x-ms-keyvault-network-info": "conn_type=Ipv4;addr=127.0.0.1;act_addr_fam=InterNetwork;",
    "strict-transport-security": "max-age=31536000;includeSubDomains",
    "x-content-type-options": "nosniff",
  });
}

describe("the 401 challenge", () => {
  it("answers a request without a token with 401, the challenge, AKV10000 and Key Vault's headers", async () => {
    const response = await getSecret("secrets/db-password?api-version=7.5", undefined, {
      "x-ms-client-request-id": "c4d8ce79-1f7d-42f4-bc9f-261fcb514000",
    });
    expect(response.status).toBe(401);
    expect(response.headers["www-authenticate"]).toBe(
      `Bearer authorization="${emulator.urls.authorityHost}${emulator.env.AZURE_TENANT_ID}", resource="https://vault.azure.net"`,
    );
    expectKeyVaultHeaders(response);
    expect(response.headers["x-ms-client-request-id"]).toBe("c4d8ce79-1f7d-42f4-bc9f-261fcb514000");
    expect(response.text).toBe(
      '{"error":{"code":"Unauthorized","message":"AKV10000: Request is missing a Bearer or PoP token."}}',
    );
  });
});

describe("v1.0 tokens and who the caller is", () => {
  it("returns the secret in Key Vault's shape to a reader's v1.0 token", async () => {
    const token = await accessTokenFor(emulator, "https://vault.azure.net");
    const response = await getSecret("secrets/db-password?api-version=7.5", token);
    expect(response.status).toBe(200);
    expectKeyVaultHeaders(response);
    const body = response.json<{ value: string; id: string; attributes: { enabled: boolean } }>();
    expect(body.value).toBe("s3cr3t");
    expect(body.id).toMatch(new RegExp(`^${vaultUrl}secrets/db-password/[0-9a-f]{32}$`));
    expect(body.attributes.enabled).toBe(true);

    const version = body.id.split("/").pop() ?? "";
    expect((await getSecret(`secrets/db-password/${version}?api-version=7.5`, token)).json()).toMatchObject({
      value: "s3cr3t",
    });
  });

  it("knows a reader by its service principal's object id (oid) as well as by its appid", async () => {
    const token = await accessTokenFor(emulator, "https://vault.azure.net", READER_BY_OBJECT_ID);
    expect((await getSecret("secrets/db-password?api-version=7.5", token)).status).toBe(200);
  });
});

describe("403 ForbiddenByRbac", () => {
  it("answers another identity with Azure's full RBAC text, line for line with \\r\\n", async () => {
    const token = await accessTokenFor(emulator, "https://vault.azure.net", OUTSIDER);
    const response = await getSecret("secrets/db-password?api-version=7.5", token);
    expect(response.status).toBe(403);
    expectKeyVaultHeaders(response);
    expect(response.headers["www-authenticate"]).toBeUndefined();
    const outsider = emulator.config.applications[1];
    const tenant = emulator.env.AZURE_TENANT_ID;
    expect(response.json()).toEqual({
      error: {
        code: "Forbidden",
        message:
          "Caller is not authorized to perform action on resource.\r\n" +
          "If role assignments, deny assignments or role definitions were changed recently, please observe propagation time.\r\n" +
          `Caller: appid=${OUTSIDER};oid=${outsider?.objectId ?? ""};iss=https://sts.windows.net/${tenant}/\r\n` +
          "Action: 'Microsoft.KeyVault/vaults/secrets/getSecret/action'\r\n" +
          "Resource: '/subscriptions/00000000-0000-0000-0000-000000000000/resourcegroups/workload-identity-emulator/providers/microsoft.keyvault/vaults/team-vault/secrets/db-password'\r\n" +
          "Assignment: (not found)\r\n" +
          "DenyAssignmentId: null\r\n" +
          "DecisionReason: 'DeniedWithNoValidRBAC' \r\n" +
          "Vault: team-vault;location=eastus\r\n",
        innererror: { code: "ForbiddenByRbac" },
      },
    });
    expect(response.text).not.toContain("s3cr3t");
  });
});

describe("404 SecretNotFound", () => {
  it("names the secret, or name/version, and ends with the link, no period", async () => {
    const token = await accessTokenFor(emulator, "https://vault.azure.net");
    const missing = await getSecret("secrets/nope?api-version=7.5", token);
    expect(missing.status).toBe(404);
    expectKeyVaultHeaders(missing);
    expect(missing.json()).toEqual({
      error: {
        code: "SecretNotFound",
        message:
          "A secret with (name/id) nope was not found in this key vault. If you recently deleted this secret you may be able to recover it using the correct recovery command. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125182",
      },
    });
    const version = await getSecret("secrets/db-password/0123?api-version=7.5", token);
    expect(version.status).toBe(404);
    expect(version.json<{ error: { message: string } }>().error.message).toMatch(
      /^A secret with \(name\/id\) db-password\/0123 was not found in this key vault\. /,
    );
  });
});

describe("401 AKV10022 and AKV10032", () => {
  it("refuses an audience with a trailing slash by default in the newest form, naming Key Vault's app id", async () => {
    const token = await accessTokenFor(emulator, "https://vault.azure.net/");
    const response = await getSecret("secrets/db-password?api-version=7.5", token);
    expect(response.status).toBe(401);
    expect(response.headers["www-authenticate"]).toContain('resource="https://vault.azure.net"');
    expectKeyVaultHeaders(response);
    expect(response.text).toBe(
      `{"error":{"code":"Unauthorized","message":"AKV10022: Invalid audience. Expected https://vault.azure.net or ${KEY_VAULT_APP_ID}, found: https://vault.azure.net/."}}`,
    );
  });

  it("takes a token whose audience is Key Vault's app id, which that text names", async () => {
    const token = await accessTokenFor(emulator, KEY_VAULT_APP_ID);
    expect((await getSecret("secrets/db-password?api-version=7.5", token)).status).toBe(200);
  });

  it("answers the older form with keyVault.invalidAudienceStyle resource, and then refuses the app id", async () => {
    const older = await createEmulator({
      config: { keyVault: { invalidAudienceStyle: "resource" }, resources: [KEY_VAULT_APP_ID] },
    });
    try {
      const url = older.urls.vaults["quickstart-kv"] ?? "";
      const get = async (resource: string) =>
        httpsRequest(`${url}secrets/my-secret?api-version=7.5`, {
          ca: older.caCertificate,
          headers: { authorization: `Bearer ${await accessTokenFor(older, resource)}` },
        });
      const arm = await get("https://management.azure.com/");
      expect(arm.status).toBe(401);
      expect(arm.json()).toEqual({
        error: {
          code: "Unauthorized",
          message:
            "AKV10022: Invalid audience. Expected https://vault.azure.net, found: https://management.azure.com/.",
        },
      });
      expect((await get(KEY_VAULT_APP_ID)).json()).toEqual({
        error: {
          code: "Unauthorized",
          message: `AKV10022: Invalid audience. Expected https://vault.azure.net, found: ${KEY_VAULT_APP_ID}.`,
        },
      });
    } finally {
      await older.close();
    }
  });

  it("refuses an unknown keyVault.invalidAudienceStyle, naming the setting and the styles it takes", async () => {
    await expect(
      createEmulator({ config: { keyVault: { invalidAudienceStyle: "newest" as "resource" } } }),
    ).rejects.toThrow(
      'Invalid emulator configuration at keyVault.invalidAudienceStyle: must be one of "resource-or-app-id", "resource"',
    );
  });

  it("refuses a token of another tenant with AKV10032 naming the issuers it takes and the one it found", async () => {
    const response = await requestToken(emulator, await projectedToken(emulator), {
      tenant: OTHER_TENANT,
      client_id: OUTSIDER,
    });
    const token = response.json<{ access_token: string }>().access_token;
    const refused = await getSecret("secrets/db-password?api-version=7.5", token);
    expect(refused.status).toBe(401);
    const tenant = emulator.env.AZURE_TENANT_ID;
    expect(refused.json()).toEqual({
      error: {
        code: "Unauthorized",
        message: `AKV10032: Invalid issuer. Expected one of https://sts.windows.net/${tenant}/, ${emulator.urls.authorityHost}${tenant}/v2.0, found https://sts.windows.net/${OTHER_TENANT}/.`,
      },
    });
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

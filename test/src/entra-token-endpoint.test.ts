// Each validation rule of the emulated Entra token endpoint, proved with a real HTTPS request.
import { generateKeyPairSync } from "node:crypto";
import { createEmulator, type Emulator } from "@workload-identity/emulator";
import { createLocalJWKSet, decodeJwt, jwtVerify } from "jose";
import { httpsRequest } from "./support/https.js";
import { projectedToken, requestToken, type EntraErrorBody } from "./support/token-request.js";

const NO_FIC_CLIENT = "11111111-2222-4333-8444-555555555555";
const UNREACHABLE_CLIENT = "22222222-3333-4444-8555-666666666666";
const UNREACHABLE_ISSUER = "https://127.0.0.1:1/unreachable/";

let emulator: Emulator;

beforeAll(async () => {
  emulator = await createEmulator({
    config: {
      applications: [
        {},
        { clientId: NO_FIC_CLIENT, displayName: "no-federation", federatedIdentityCredentials: [] },
        {
          clientId: UNREACHABLE_CLIENT,
          displayName: "private-issuer",
          federatedIdentityCredentials: [
            {
              name: "private",
              issuer: UNREACHABLE_ISSUER,
              subject: "system:serviceaccount:default:workload-identity-sa",
            },
          ],
        },
      ],
    },
  });
});

afterAll(() => emulator.close());
afterEach(() => emulator.updateSettings({ federatedErrorStyle: "per-claim" }));

const now = () => Math.floor(Date.now() / 1000);

/** Claims of a valid projected token, to be spoiled one at a time. */
function claims(overrides: Record<string, unknown> = {}) {
  return {
    iss: emulator.urls.issuer,
    sub: "system:serviceaccount:default:workload-identity-sa",
    aud: ["api://AzureADTokenExchange"],
    iat: now(),
    nbf: now(),
    exp: now() + 3600,
    ...overrides,
  };
}

async function expectEntraError(assertion: string, code: number, error: string, form = {}) {
  const response = await requestToken(emulator, assertion, form);
  const body = response.json<EntraErrorBody>();
  expect({ status: response.status, error: body.error, codes: body.error_codes }).toEqual({
    status: 400,
    error,
    codes: [code],
  });
  expect(body.error_description).toMatch(new RegExp(`^AADSTS${code}: `));
  expect(body.error_description).toMatch(
    /\r\nTrace ID: [0-9a-f-]{36}\r\nCorrelation ID: test-correlation-id\r\nTimestamp: \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$/,
  );
  expect(body.correlation_id).toBe("test-correlation-id");
  expect(body.error_uri).toContain(`error?code=${code}`);
  return body;
}

describe("a valid projected token", () => {
  it("is exchanged for an access token signed by Entra whose audience is the resource", async () => {
    const response = await requestToken(emulator, await projectedToken(emulator));
    expect(response.status).toBe(200);
    const body = response.json<{
      token_type: string;
      expires_in: number;
      ext_expires_in: number;
      access_token: string;
    }>();
    expect(body.token_type).toBe("Bearer");
    expect(body.expires_in).toBe(3599);

    const metadata = await httpsRequest(
      `${emulator.urls.authorityHost}${emulator.env.AZURE_TENANT_ID}/v2.0/.well-known/openid-configuration`,
      { ca: emulator.caCertificate },
    );
    const jwksUri = metadata.json<{ jwks_uri: string }>().jwks_uri;
    const keys = await httpsRequest(jwksUri, { ca: emulator.caCertificate });
    const { payload } = await jwtVerify(body.access_token, createLocalJWKSet(keys.json()));
    expect(payload).toMatchObject({
      aud: "https://vault.azure.net",
      tid: emulator.env.AZURE_TENANT_ID,
      azp: emulator.env.AZURE_CLIENT_ID,
      idtyp: "app",
    });
    expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBe(3599);
  });

  // Microsoft's "Trailing slash and /.default": the resource is the scope minus "/.default", nothing else.
  // MSAL.NET #894: "https://database.windows.net/.default" gives aud "https://database.windows.net", which Azure
  // SQL refuses; "https://database.windows.net//.default" gives "https://database.windows.net/".
  it.each([
    ["https://database.windows.net//.default", "https://database.windows.net/"],
    ["https://database.windows.net/.default", "https://database.windows.net"],
    ["https://vault.azure.net/.default", "https://vault.azure.net"],
    ["https://vault.azure.net//.default", "https://vault.azure.net/"],
  ])("issues scope %s with aud %s: the resource exactly as requested", async (scope, aud) => {
    const response = await requestToken(emulator, await projectedToken(emulator), { scope });
    expect(response.status).toBe(200);
    expect(decodeJwt(response.json<{ access_token: string }>().access_token).aud).toBe(aud);
  });

  it("gets the cp1 capability claim when MSAL asks for CAE", async () => {
    const response = await requestToken(emulator, await projectedToken(emulator), {
      claims: JSON.stringify({ access_token: { xms_cc: { values: ["cp1"] } } }),
    });
    expect(decodeJwt(response.json<{ access_token: string }>().access_token).xms_cc).toEqual(["cp1"]);
  });

  it("is accepted with a verified domain name as the tenant", async () => {
    const response = await requestToken(emulator, await projectedToken(emulator), {
      tenant: "contoso.onmicrosoft.com",
    });
    expect(response.status).toBe(200);
  });

  it("returns refresh_in when it is configured", async () => {
    emulator.updateSettings({ refreshInSeconds: 1800 });
    try {
      const response = await requestToken(emulator, await projectedToken(emulator));
      expect(response.json()).toMatchObject({ refresh_in: 1800 });
    } finally {
      emulator.updateSettings({ refreshInSeconds: null });
    }
  });
});

describe("the issuer, subject and audience must match a federated credential exactly", () => {
  it("rejects a wrong issuer string with AADSTS700211 naming the issuer", async () => {
    const body = await expectEntraError(
      await emulator.issuer.sign(claims({ iss: "https://other.example/" })),
      700211,
      "invalid_client",
    );
    expect(body.error_description).toContain("presented assertion issuer 'https://other.example/'");
  });

  it("rejects an issuer missing its trailing slash", async () => {
    const withoutSlash = emulator.urls.issuer.replace(/\/$/, "");
    const body = await expectEntraError(
      await emulator.issuer.sign(claims({ iss: withoutSlash })),
      700211,
      "invalid_client",
    );
    expect(body.error_description).toContain(`issuer '${withoutSlash}'`);
  });

  it("rejects a wrong subject with AADSTS700213, comparing case-sensitively", async () => {
    const subject = "system:serviceaccount:Default:workload-identity-sa";
    const body = await expectEntraError(
      await emulator.issuer.sign(claims({ sub: subject })),
      700213,
      "invalid_client",
    );
    expect(body.error_description).toContain(`subject '${subject}'`);
  });

  it("rejects a wrong audience with AADSTS700212", async () => {
    await expectEntraError(
      await emulator.issuer.sign(claims({ aud: ["api://SomethingElse"] })),
      700212,
      "invalid_client",
    );
  });

  it("answers the older AADSTS70021 form, naming all three claims, when set to", async () => {
    emulator.updateSettings({ federatedErrorStyle: "aadsts70021" });
    const body = await expectEntraError(
      await emulator.issuer.sign(claims({ sub: "system:serviceaccount:prod:app" })),
      70021,
      "invalid_request",
    );
    expect(body.error_description).toContain(
      `Assertion Issuer: '${emulator.urls.issuer}'. Assertion Subject: 'system:serviceaccount:prod:app'. Assertion Audience: 'api://AzureADTokenExchange'.`,
    );
  });

  it("rejects an application without federated credentials with AADSTS70025", async () => {
    await expectEntraError(await projectedToken(emulator), 70025, "invalid_client", {
      client_id: NO_FIC_CLIENT,
    });
  });
});

describe("the assertion's signature and lifetime", () => {
  const { privateKey: foreignKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });

  it("rejects a token signed by another key under the issuer's kid with AADSTS700027", async () => {
    const forged = await emulator.issuer.sign(claims(), { privateKey: foreignKey });
    await expectEntraError(forged, 700027, "invalid_client");
  });

  it("rejects a kid that is not in the issuer's JWKS with AADSTS700027", async () => {
    const body = await expectEntraError(
      await emulator.issuer.sign(claims(), { privateKey: foreignKey, kid: "rotated-away" }),
      700027,
      "invalid_client",
    );
    expect(body.error_description).toContain("rotated-away");
  });

  it("rejects an expired assertion with AADSTS700024", async () => {
    await expectEntraError(
      await emulator.issuer.sign(claims({ iat: now() - 7200, nbf: now() - 7200, exp: now() - 1 })),
      700024,
      "invalid_client",
    );
  });

  it("rejects an assertion that is not yet valid with AADSTS700024", async () => {
    await expectEntraError(
      await emulator.issuer.sign(claims({ nbf: now() + 600 })),
      700024,
      "invalid_client",
    );
  });

  it("honours the configured clock skew", async () => {
    emulator.updateSettings({ clockSkewSeconds: 300 });
    try {
      const recentlyExpired = await emulator.issuer.sign(claims({ exp: now() - 10 }));
      expect((await requestToken(emulator, recentlyExpired)).status).toBe(200);
    } finally {
      emulator.updateSettings({ clockSkewSeconds: 0 });
    }
  });

  it("rejects an assertion that is not a JWT with AADSTS50027", async () => {
    await expectEntraError("not-a-jwt", 50027, "invalid_client");
  });

  it("rejects an issuer whose discovery document cannot be fetched with AADSTS90061", async () => {
    const body = await expectEntraError(
      await emulator.issuer.sign(claims({ iss: UNREACHABLE_ISSUER })),
      90061,
      "invalid_request",
      { client_id: UNREACHABLE_CLIENT },
    );
    expect(body.error_description).toContain(UNREACHABLE_ISSUER);
  });
});

describe("the request itself", () => {
  it("rejects an unknown tenant with AADSTS90002", async () => {
    await expectEntraError(await projectedToken(emulator), 90002, "invalid_request", {
      tenant: "00000000-0000-4000-8000-000000000000",
    });
  });

  it("rejects an unknown client id with AADSTS700016", async () => {
    await expectEntraError(await projectedToken(emulator), 700016, "unauthorized_client", {
      client_id: "99999999-9999-4999-8999-999999999999",
    });
  });

  it("rejects a scope without /.default with AADSTS1002012", async () => {
    await expectEntraError(await projectedToken(emulator), 1002012, "invalid_scope", {
      scope: "https://vault.azure.net/secrets.read",
    });
  });

  it("rejects scopes of two resources at once with AADSTS70011", async () => {
    await expectEntraError(await projectedToken(emulator), 70011, "invalid_scope", {
      scope: "https://vault.azure.net/.default https://management.azure.com/.default",
    });
  });

  it("rejects a resource the tenant does not know with AADSTS500011", async () => {
    await expectEntraError(await projectedToken(emulator), 500011, "invalid_resource", {
      scope: "https://vault.azure.nett/.default",
    });
  });

  it("rejects a missing assertion with AADSTS7000218", async () => {
    await expectEntraError("", 7000218, "invalid_client");
  });

  it("rejects another grant type with AADSTS70003", async () => {
    await expectEntraError(await projectedToken(emulator), 70003, "unsupported_grant_type", {
      grant_type: "password",
    });
  });
});

describe("the metadata MSAL reads", () => {
  it("serves the tenant's OpenID configuration with the emulator's token endpoint", async () => {
    const response = await httpsRequest(
      `${emulator.urls.authorityHost}contoso.onmicrosoft.com/v2.0/.well-known/openid-configuration`,
      {
        ca: emulator.caCertificate,
      },
    );
    expect(response.json()).toMatchObject({
      token_endpoint: `${emulator.urls.authorityHost}${emulator.env.AZURE_TENANT_ID}/oauth2/v2.0/token`,
      issuer: `${emulator.urls.authorityHost}${emulator.env.AZURE_TENANT_ID}/v2.0`,
    });
  });

  it("answers an unknown tenant's metadata with invalid_tenant AADSTS90002", async () => {
    const response = await httpsRequest(
      `${emulator.urls.authorityHost}nobody.example/v2.0/.well-known/openid-configuration`,
      {
        ca: emulator.caCertificate,
      },
    );
    expect(response.status).toBe(400);
    expect(response.json()).toMatchObject({ error: "invalid_tenant", error_codes: [90002] });
  });

  it("serves instance discovery naming the emulator's host as the only alias", async () => {
    const authorize = `${emulator.urls.authorityHost}${emulator.env.AZURE_TENANT_ID}/oauth2/v2.0/authorize`;
    const response = await httpsRequest(
      `${emulator.urls.authorityHost}common/discovery/instance?api-version=1.1&authorization_endpoint=${encodeURIComponent(authorize)}`,
      { ca: emulator.caCertificate },
    );
    const host = new URL(emulator.urls.authorityHost).host;
    expect(response.json()).toEqual({
      tenant_discovery_endpoint: `${emulator.urls.authorityHost}${emulator.env.AZURE_TENANT_ID}/v2.0/.well-known/openid-configuration`,
      "api-version": "1.1",
      metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
    });
  });

  it("serves the issuer's discovery document and a JWKS that verifies the projected token", async () => {
    const discovery = await httpsRequest(`${emulator.urls.issuer}.well-known/openid-configuration`, {
      ca: emulator.caCertificate,
    });
    const doc = discovery.json<{ issuer: string; jwks_uri: string }>();
    expect(doc.issuer).toBe(emulator.urls.issuer);
    expect(doc.issuer.endsWith("/")).toBe(true);
    const jwks = await httpsRequest(doc.jwks_uri, { ca: emulator.caCertificate });
    const { payload } = await jwtVerify(await projectedToken(emulator), createLocalJWKSet(jwks.json()), {
      issuer: emulator.urls.issuer,
      audience: "api://AzureADTokenExchange",
    });
    expect(payload.sub).toBe("system:serviceaccount:default:workload-identity-sa");
  });
});

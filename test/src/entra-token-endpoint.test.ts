// Each validation rule of the emulated Entra token endpoint, proved with a real HTTPS request.
import { generateKeyPairSync } from "node:crypto";
import { createEmulator, type Emulator } from "@workload-identity/emulator";
import { createLocalJWKSet, decodeJwt, jwtVerify } from "jose";
import { httpsRequest, type HttpsResponse } from "./support/https.js";
import {
  projectedToken,
  requestToken,
  type EntraErrorBody,
  type TokenForm,
} from "./support/token-request.js";

const NO_FIC_CLIENT = "11111111-2222-4333-8444-555555555555";
const UNREACHABLE_CLIENT = "22222222-3333-4444-8555-666666666666";
const UNREACHABLE_ISSUER = "https://127.0.0.1:1/unreachable/";
/** Federated with a lower-case subject, for the subject of Azure/login #515 that differs from it only in case. */
const LOWER_CASE_CLIENT = "33333333-4444-4555-8666-777777777777";
const SUBJECT_7002138 = "repo:CODfreak213421/IsocertsgDashboard23:environment:Production";

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
        {
          clientId: LOWER_CASE_CLIENT,
          displayName: "github-actions",
          federatedIdentityCredentials: [{ name: "gha", subject: SUBJECT_7002138.toLowerCase() }],
        },
      ],
    },
  });
});

afterAll(() => emulator.close());
afterEach(() => emulator.updateSettings({ federatedErrorStyle: "per-claim", descriptionSeparator: "space" }));

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

/** Every invalid_client answer from Entra with a visible status was a 401; the others 400 (see the table below). */
const statusOf = (error: string) => (error === "invalid_client" ? 401 : 400);

async function expectEntraError(assertion: string, code: number, error: string, form: TokenForm = {}) {
  const response = await requestToken(emulator, assertion, form);
  const body = response.json<EntraErrorBody>();
  expect({ status: response.status, error: body.error, codes: body.error_codes }).toEqual({
    status: statusOf(error),
    error,
    codes: [code],
  });
  expect(body.error_description).toMatch(new RegExp(`^AADSTS${code}: `));
  expect(body.error_description).toMatch(
    / Trace ID: [0-9a-f-]{36} Correlation ID: test-correlation-id Timestamp: \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$/,
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
      appid: emulator.env.AZURE_CLIENT_ID,
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

  it("rejects a wrong subject with AADSTS700213", async () => {
    const subject = "system:serviceaccount:prod:workload-identity-sa";
    const body = await expectEntraError(
      await emulator.issuer.sign(claims({ sub: subject })),
      700213,
      "invalid_client",
    );
    expect(body.error_description).toContain(`subject '${subject}'`);
  });

  it("compares the subject case-sensitively: a subject differing only in case gets AADSTS7002138", async () => {
    const subject = "system:serviceaccount:Default:workload-identity-sa";
    const body = await expectEntraError(
      await emulator.issuer.sign(claims({ sub: subject })),
      7002138,
      "invalid_client",
    );
    expect(body.error_description).toContain(
      `subject '${subject}'. The subject matches with case-insensitive`,
    );
  });

  it("rejects a wrong audience with AADSTS700212", async () => {
    await expectEntraError(
      await emulator.issuer.sign(claims({ aud: ["api://SomethingElse"] })),
      700212,
      "invalid_client",
    );
  });

  it.each([
    ["aadsts70021", "invalid_client"],
    ["aadsts70021-2022", "invalid_request"],
  ] as const)(
    "answers the older AADSTS70021 form, naming all three claims, under %s as %s",
    async (style, error) => {
      emulator.updateSettings({ federatedErrorStyle: style });
      const body = await expectEntraError(
        await emulator.issuer.sign(claims({ sub: "system:serviceaccount:prod:app" })),
        70021,
        error,
      );
      expect(body.error_description).toContain(
        `Assertion Issuer: '${emulator.urls.issuer}'. Assertion Subject: 'system:serviceaccount:prod:app'. Assertion Audience: 'api://AzureADTokenExchange'.`,
      );
    },
  );

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

  it("rejects an assertion that is not a JWT with invalid_request AADSTS50027", async () => {
    await expectEntraError("not-a-jwt", 50027, "invalid_request");
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

  it("rejects a request without an assertion or secret with AADSTS7000216", async () => {
    await expectEntraError("", 7000216, "invalid_client", { client_assertion: undefined });
  });

  it("asks for the client credential before it looks at the tenant or the client id", async () => {
    await expectEntraError("", 7000216, "invalid_client", {
      tenant: "undefined",
      client_id: undefined,
      client_assertion: undefined,
      client_assertion_type: undefined,
    });
  });

  it("rejects a client secret with AADSTS7000215: the emulated applications have none", async () => {
    const body = await expectEntraError("", 7000215, "invalid_client", {
      client_assertion: undefined,
      client_assertion_type: undefined,
      client_secret: "a-secret",
    });
    expect(body.error_description).toContain(`for a secret added to app '${emulator.env.AZURE_CLIENT_ID}'.`);
  });

  it.each([["urn:ietf:params:oauth:client-assertion-type:saml2-bearer"], [undefined]])(
    "rejects client_assertion_type %s with invalid_request AADSTS90011",
    async (type) => {
      const body = await expectEntraError(await projectedToken(emulator), 90011, "invalid_request", {
        client_assertion_type: type,
      });
      expect(body.error_description).toMatch(/^AADSTS90011: Unexpected client assertion type\. Trace ID/);
    },
  );

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

// Each answer compared with one Entra sent, quoted verbatim from the cited source. What varies between two
// answers (ids, times, the authority's origin, the subject or issuer presented) is replaced on both sides
// before comparing the raw JSON text, so field order and escaping are compared too.
describe("fidelity with Entra's recorded answers", () => {
  const GUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
  const STAMP = /\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ/g;
  const TICKS = /(?!1970-01-01T00:00:00\.0000000Z)\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z/g;

  function generalize(text: string, literals: Record<string, string> = {}): string {
    let out = text;
    for (const [literal, placeholder] of Object.entries(literals)) out = out.split(literal).join(placeholder);
    return out
      .replace(GUID, "{guid}")
      .replace(/test-correlation-id/g, "{guid}")
      .replace(STAMP, "{timestamp}")
      .replace(TICKS, "{ticks}");
  }
  const ours = (literals: Record<string, string> = {}) => ({
    [emulator.urls.authorityHost.replace(/\/$/, "")]: "{authority}",
    ...literals,
  });
  const theirs = (literals: Record<string, string> = {}) => ({
    "https://login.microsoftonline.com": "{authority}",
    "https://login.windows.net": "{authority}",
    ...literals,
  });

  function expectEntraHeaders(response: HttpsResponse) {
    expect(response.headers["content-type"]).toBe("application/json; charset=utf-8");
    expect(response.headers["cache-control"]).toBe("no-store, no-cache");
    expect(response.headers.pragma).toBe("no-cache");
    expect(response.headers.expires).toBe("-1");
  }

  describe("AADSTS7000216, no client credential: invalid_client, 401", () => {
    // azure-sdk-for-js nock recording of login.microsoftonline.com, 2021-01-15 (evidence §2): reply(401, ...).
    const RECORDED_2021 = String.raw`{"error":"invalid_client","error_description":"AADSTS7000216: 'client_assertion', 'client_secret' or 'request' is required for the 'client_credentials' grant type.\r\nTrace ID: 3d8ee8b9-f124-4696-946e-f1dbbcf03100\r\nCorrelation ID: 086813c5-bebf-4448-b5d1-eb8dd6272fcf\r\nTimestamp: 2021-01-15 08:38:00Z","error_codes":[7000216],"timestamp":"2021-01-15 08:38:00Z","trace_id":"3d8ee8b9-f124-4696-946e-f1dbbcf03100","correlation_id":"086813c5-bebf-4448-b5d1-eb8dd6272fcf","error_uri":"https://login.microsoftonline.com/error?code=7000216"}`;
    // https://github.com/stephaneey/azure-apim-extension/issues/138 (2025-02-18; answer of 2025-02-11).
    const SEEN_2025 = String.raw`{"error":"invalid_client","error_description":"AADSTS7000216: 'client_assertion', 'client_secret' or 'request' is required for the 'client_credentials' grant type. Trace ID: abfa05b1-5722-41e3-a338-a1b169ca2e00 Correlation ID: 9efc89b2-5aae-4b7c-ba79-1184d888d08a Timestamp: 2025-02-11 11:40:29Z","error_codes":[7000216],"timestamp":"2025-02-11 11:40:29Z","trace_id":"abfa05b1-5722-41e3-a338-a1b169ca2e00","correlation_id":"9efc89b2-5aae-4b7c-ba79-1184d888d08a","error_uri":"https://login.windows.net/error?code=7000216"}`;

    it.each([
      ["space", SEEN_2025],
      ["crlf", RECORDED_2021],
    ] as const)(
      "matches Entra's answer with the %s separator, status and headers",
      async (separator, seen) => {
        emulator.updateSettings({ descriptionSeparator: separator });
        const response = await requestToken(emulator, "", { client_assertion: undefined });
        expect(response.status).toBe(401);
        expectEntraHeaders(response);
        expect(response.headers["x-ms-request-id"]).toBe(response.json<EntraErrorBody>().trace_id);
        expect(generalize(response.text, ours())).toBe(generalize(seen, theirs()));
      },
    );
  });

  describe("AADSTS70021, the one-code mismatch: invalid_client 401 (2023) or invalid_request 400 (2022)", () => {
    // https://github.com/external-secrets/external-secrets/issues/2783 (2023-10-13), "reply status code was 401";
    // quoted up to where the search tool cut it.
    const SEEN_2023 = String.raw`{"error":"invalid_client","error_description":"AADSTS70021: No matching federated identity record found for presented assertion. Assertion Issuer: 'https://eastus.oic.prod-aks.azure.com/c90ea95b-aead-4931-b72e-f3e703fc342b/85ee619b-d637-4610-bacd-d4c64ff20348/'. Assertion Subject: 'system:serviceaccount:external-secrets:external-secrets'. Assertion Audience: 'api://AzureADTokenExchange'. https://docs.microsoft.com/en-us/azure/active-directory/develop/workload-identity-federation\r\nTrace ID: 72348f3f-7ab2-4ad1-a3e5-4fdc75f5ae00\r\nCorrelation ID: 21cae4b9-1c21-4751-bd19-5abac7dc93b6\r\nTimestamp: 2023-10-13 19:07:11Z","error_codes":[70021],"timestamp":"2023-10-13 19:07:11Z","trace_id":"72348f3f-7ab2-4ad1-a3e5-4fdc75f5ae00","correlation_id":"`;
    // https://github.com/Azure/azure-workload-identity/issues/616 (2022-10-27), "reply status code was 400"; the
    // Go log's escaping of " and \r\n removed.
    const SEEN_2022 = String.raw`{"error":"invalid_request","error_description":"AADSTS70021: No matching federated identity record found for presented assertion. Assertion Issuer: 'https://kubernetes.default.svc.cluster.local'. Assertion Subject: 'system:serviceaccount:default:workload-identity-sa'. Assertion Audience: 'api://AzureADTokenExchange'. https://docs.microsoft.com/en-us/azure/active-directory/develop/workload-identity-federation\r\nTrace ID: 30b6df93-efd2-459c-ae6a-bad0838f6f00\r\nCorrelation ID: dffc6012-a4af-4f00-80ab-3e831069b3cc\r\nTimestamp: 2022-10-27 23:39:22Z","error_codes":[70021],"timestamp":"2022-10-27 23:39:22Z","trace_id":"30b6df93-efd2-459c-ae6a-bad0838f6f00","correlation_id":"dffc6012-a4af-4f00-80ab-3e831069b3cc","error_uri":"https://login.microsoftonline.com/error?code=70021"}`;
    const AKS_ISSUER =
      "https://eastus.oic.prod-aks.azure.com/c90ea95b-aead-4931-b72e-f3e703fc342b/85ee619b-d637-4610-bacd-d4c64ff20348/";

    it("answers as in 2023 under aadsts70021: invalid_client, 401", async () => {
      emulator.updateSettings({ federatedErrorStyle: "aadsts70021", descriptionSeparator: "crlf" });
      const assertion = await emulator.issuer.sign(
        claims({ sub: "system:serviceaccount:external-secrets:external-secrets" }),
      );
      const response = await requestToken(emulator, assertion);
      expect(response.status).toBe(401);
      expectEntraHeaders(response);
      expect(generalize(response.text, ours({ [emulator.urls.issuer]: "{issuer}" }))).toMatch(
        new RegExp(`^${escapeRegExp(generalize(SEEN_2023, theirs({ [AKS_ISSUER]: "{issuer}" })))}`),
      );
    });

    it("answers as in 2022 under aadsts70021-2022: invalid_request, 400", async () => {
      emulator.updateSettings({ federatedErrorStyle: "aadsts70021-2022", descriptionSeparator: "crlf" });
      // The issuer of the 2022 report, which no federated credential names here either.
      const assertion = await emulator.issuer.sign(
        claims({ iss: "https://kubernetes.default.svc.cluster.local" }),
      );
      const response = await requestToken(emulator, assertion);
      expect(response.status).toBe(400);
      expectEntraHeaders(response);
      expect(generalize(response.text, ours())).toBe(generalize(SEEN_2022, theirs()));
    });

    it("takes the single-space separator with either status when set so", async () => {
      emulator.updateSettings({ federatedErrorStyle: "aadsts70021-2022", descriptionSeparator: "space" });
      const assertion = await emulator.issuer.sign(
        claims({ iss: "https://kubernetes.default.svc.cluster.local" }),
      );
      const response = await requestToken(emulator, assertion);
      const spaced = SEEN_2022.replace(/\\r\\n/g, " ");
      expect(generalize(response.text, ours())).toBe(generalize(spaced, theirs()));
    });
  });

  describe("the per-claim mismatches: invalid_client, 401", () => {
    // Azure/terraform quickstart/101-aks-fleet-hubless/TestRecord.md (commit 146dec5, answer of 2026-01-18):
    // "received HTTP status 401 with response: ...".
    const SEEN_2026 = String.raw`{"error":"invalid_client","error_description":"AADSTS700213: No matching federated identity record found for presented assertion subject 'repository_owner_id:6844498:repository_id:117169328:environment:crontests'. Check your federated identity credential Subject, Audience and Issuer against the presented assertion. https://learn.microsoft.com/entra/workload-id/workload-identity-federation Trace ID: 4ef9c26a-e731-4572-b4d3-f8c0e6362200 Correlation ID: 731cf9a5-5359-45d2-b058-4f8f2570e1fc Timestamp: 2026-01-18 00:16:16Z","error_codes":[700213],"timestamp":"2026-01-18 00:16:16Z","trace_id":"4ef9c26a-e731-4572-b4d3-f8c0e6362200","correlation_id":"731cf9a5-5359-45d2-b058-4f8f2570e1fc","error_uri":"https://login.microsoftonline.com/error?code=700213"}`;
    // https://github.com/Azure/login/issues/453 (2024-05-31): the description only.
    const SEEN_2024 =
      "AADSTS700213: No matching federated identity record found for presented assertion subject 'repo:RMI-PACTA/workflow.transition.monitor:ref:refs/heads/update-scenario-es'. Please check your federated identity credential Subject, Audience and Issuer against the presented assertion. https://docs.microsoft.com/en-us/azure/active-directory/develop/workload-identity-federation Trace ID: 8335980a-8604-4005-a5e1-f678003d5b01 Correlation ID: c3a1f4bb-2b8a-4486-ac4a-fdd45ed43116 Timestamp: 2024-05-31 14:26:23Z";
    // https://github.com/Azure/login/issues/515 (2025-02-22): the description, quoted up to "Trace ID".
    const SEEN_7002138 =
      "AADSTS7002138: No matching federated identity record found for presented assertion subject 'repo:CODfreak213421/IsocertsgDashboard23:environment:Production'. The subject matches with case-insensitive comparison, but not with case-sensitive comparison. Check your federated identity credential Subject, Audience and Issuer against the presented assertion. See documentation at: https://learn.microsoft.com/entra/workload-id/workload-identity-federation. See breaking change notification and remediation at: https://learn.microsoft.com/en-us/entra/identity-platform/reference-breaking-changes#august-2024. ";

    it("answers AADSTS700213 in the 2025 wording by default", async () => {
      const subject = "repository_owner_id:6844498:repository_id:117169328:environment:crontests";
      const response = await requestToken(emulator, await emulator.issuer.sign(claims({ sub: subject })));
      expect(response.status).toBe(401);
      expectEntraHeaders(response);
      expect(generalize(response.text, ours())).toBe(generalize(SEEN_2026, theirs()));
    });

    it("answers in the 2024 wording under per-claim-2024", async () => {
      emulator.updateSettings({ federatedErrorStyle: "per-claim-2024" });
      const subject = "repo:RMI-PACTA/workflow.transition.monitor:ref:refs/heads/update-scenario-es";
      const response = await requestToken(emulator, await emulator.issuer.sign(claims({ sub: subject })));
      expect(response.status).toBe(401);
      expect(generalize(response.json<EntraErrorBody>().error_description)).toBe(generalize(SEEN_2024));
    });

    it("answers AADSTS7002138 for a subject that matches a credential's only when case is ignored", async () => {
      const response = await requestToken(
        emulator,
        await emulator.issuer.sign(claims({ sub: SUBJECT_7002138 })),
        {
          client_id: LOWER_CASE_CLIENT,
        },
      );
      expect(response.status).toBe(401);
      const body = response.json<EntraErrorBody>();
      expect(body.error).toBe("invalid_client");
      expect(body.error_description.startsWith(SEEN_7002138)).toBe(true);
    });
  });

  describe("AADSTS700024, an assertion outside its lifetime: invalid_client, 401", () => {
    // https://github.com/AzureAD/microsoft-authentication-library-for-java/issues/984 (2025-08-29).
    const SEEN_2025 =
      "AADSTS700024: Client assertion is not within its valid time range. Current time: 2025-08-29T05:47:32.1501147Z, assertion valid from 1970-01-01T00:00:00.0000000Z, expiry time of assertion 2025-08-29T00:30:05.0000000Z. Review the documentation at https://learn.microsoft.com/entra/identity-platform/certificate-credentials . Trace ID: 7a84b74b-1889-494f-b408-66e8b36c7400 Correlation ID: d75bd923-d9ca-4d18-b80e-b13851840fa9 Timestamp: 2025-08-29 05:47:32Z";

    it("prints seven fraction digits and a missing nbf as the epoch", async () => {
      const expired = await emulator.issuer.sign(claims({ nbf: undefined, exp: now() - 3600 }));
      const response = await requestToken(emulator, expired);
      expect(response.status).toBe(401);
      expect(generalize(response.json<EntraErrorBody>().error_description)).toBe(generalize(SEEN_2025));
    });
  });

  describe("AADSTS7000215, a client secret: invalid_client, 401", () => {
    // https://github.com/Azure/sap-automation/issues/418 (2023-02-20): "received HTTP status 401 with response".
    const SEEN_2023 = String.raw`{"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '4d856d1f-8648-456c-9bb2-f36273bbe4e3'.\r\nTrace ID: 6bad8289-db4a-49da-8609-0848d8d71700\r\nCorrelation ID: 63b8bb61-5ca6-4ae3-8224-15a4de11cd87\r\nTimestamp: 2023-02-20 07:21:29Z","error_codes":[7000215],"timestamp":"2023-02-20 07:21:29Z","trace_id":"6bad8289-db4a-49da-8609-0848d8d71700","correlation_id":"63b8bb61-5ca6-4ae3-8224-15a4de11cd87","error_uri":"https://login.microsoftonline.com/error?code=7000215"}`;

    it("matches Entra's answer", async () => {
      emulator.updateSettings({ descriptionSeparator: "crlf" });
      const response = await requestToken(emulator, "", {
        client_assertion: undefined,
        client_assertion_type: undefined,
        client_secret: "a-secret",
      });
      expect(response.status).toBe(401);
      expect(generalize(response.text, ours())).toBe(generalize(SEEN_2023, theirs()));
    });
  });

  describe("AADSTS900561, a GET on the token endpoint", () => {
    // The text as quoted in https://github.com/nbarbettini/oidc-debugger/issues/87 (2025-01-22) and
    // https://github.com/NunoFilipeMota/PublicScripts/issues/5 (2022-04-29, titled "(400) Bad Request"). The
    // status and the error are not attested: 400 and invalid_request are the emulator's inference.
    const SEEN = "AADSTS900561: The endpoint only accepts POST, OPTIONS requests. Received a GET request.";

    it.each(["space", "crlf"] as const)(
      "answers in Entra's shape, with the %s separator",
      async (separator) => {
        emulator.updateSettings({ descriptionSeparator: separator });
        const response = await httpsRequest(
          `${emulator.urls.authorityHost}${emulator.env.AZURE_TENANT_ID}/oauth2/v2.0/token`,
          { ca: emulator.caCertificate },
        );
        expect(response.status).toBe(400);
        expectEntraHeaders(response);
        const body = response.json<EntraErrorBody>();
        expect(Object.keys(body)).toEqual(ENTRA_FIELDS);
        expect(body).toMatchObject({ error: "invalid_request", error_codes: [900561] });
        expect(
          body.error_description.startsWith(`${SEEN}${separator === "space" ? " " : "\r\n"}Trace ID: `),
        ).toBe(true);
      },
    );
  });

  describe("AADSTS50049, instance discovery for an authority the emulator does not serve: invalid_instance, 400", () => {
    // https://github.com/AzureAD/microsoft-authentication-library-for-go/issues/438 (2023-06-29): GET, 400.
    const SEEN_2023_06 = String.raw`{"error":"invalid_instance","error_description":"AADSTS50049: Unknown or invalid instance.\r\nTrace ID: bdef6882-6d9e-4e1e-9dd9-ec1a4bb60100\r\nCorrelation ID: 3a22ef36-9057-4b8d-9dfc-229b084b30cd\r\nTimestamp: 2023-06-29 16:35:28Z","error_codes":[50049],"timestamp":"2023-06-29 16:35:28Z","trace_id":"bdef6882-6d9e-4e1e-9dd9-ec1a4bb60100","correlation_id":"3a22ef36-9057-4b8d-9dfc-229b084b30cd","error_uri":"https://login.microsoftonline.com/error?code=50049"}`;
    // https://github.com/Azure-Samples/ms-identity-ciam-javascript-tutorial/issues/68 (2023-11-27), compacted
    // from the reporter's pretty-printing, with error_uri (cut there) as in the June answer.
    const SEEN_2023_11 = String.raw`{"error":"invalid_instance","error_description":"AADSTS50049: Unknown or invalid instance. Trace ID: 4bb4a35a-fe66-4c56-b09b-754782482900 Correlation ID: 57cc2ed3-5425-47ae-bec5-46115860868b Timestamp: 2023-11-27 15:26:54Z","error_codes":[50049],"timestamp":"2023-11-27 15:26:54Z","trace_id":"4bb4a35a-fe66-4c56-b09b-754782482900","correlation_id":"57cc2ed3-5425-47ae-bec5-46115860868b","error_uri":"https://login.microsoftonline.com/error?code=50049"}`;

    it.each([
      ["space", SEEN_2023_11],
      ["crlf", SEEN_2023_06],
    ] as const)("matches Entra's answer with the %s separator", async (separator, seen) => {
      emulator.updateSettings({ descriptionSeparator: separator });
      const authorize =
        "https://westus.login.windows-ppe.net/07451adf-45ec-46b4-8fca-a98b1d5b452d/oauth2/v2.0/authorize";
      const response = await httpsRequest(
        `${emulator.urls.authorityHost}common/discovery/instance?api-version=1.1&authorization_endpoint=${encodeURIComponent(authorize)}`,
        { ca: emulator.caCertificate },
      );
      expect(response.status).toBe(400);
      expect(generalize(response.text, ours())).toBe(generalize(seen, theirs()));
    });
  });

  describe("the tenant's OpenID configuration", () => {
    // azure-sdk-for-js nock recording (Date: Mon, 09 Jan 2023; evidence §8): the tenant id sanitised by the
    // recorder, everything else Entra's.
    const RECORDED = String.raw`{"token_endpoint":"https://login.microsoftonline.com/12345678-1234-1234-1234-123456789012/oauth2/v2.0/token","token_endpoint_auth_methods_supported":["client_secret_post","private_key_jwt","client_secret_basic"],"jwks_uri":"https://login.microsoftonline.com/12345678-1234-1234-1234-123456789012/discovery/v2.0/keys","response_modes_supported":["query","fragment","form_post"],"subject_types_supported":["pairwise"],"id_token_signing_alg_values_supported":["RS256"],"response_types_supported":["code","id_token","code id_token","id_token token"],"scopes_supported":["openid","profile","email","offline_access"],"issuer":"https://login.microsoftonline.com/12345678-1234-1234-1234-123456789012/v2.0","request_uri_parameter_supported":false,"userinfo_endpoint":"https://graph.microsoft.com/oidc/userinfo","authorization_endpoint":"https://login.microsoftonline.com/12345678-1234-1234-1234-123456789012/oauth2/v2.0/authorize","device_authorization_endpoint":"https://login.microsoftonline.com/12345678-1234-1234-1234-123456789012/oauth2/v2.0/devicecode","http_logout_supported":true,"frontchannel_logout_supported":true,"end_session_endpoint":"https://login.microsoftonline.com/12345678-1234-1234-1234-123456789012/oauth2/v2.0/logout","claims_supported":["sub","iss","cloud_instance_name","cloud_instance_host_name","cloud_graph_host_name","msgraph_host","aud","exp","iat","auth_time","acr","nonce","preferred_username","name","tid","ver","at_hash","c_hash","email"],"kerberos_endpoint":"https://login.microsoftonline.com/12345678-1234-1234-1234-123456789012/kerberos","tenant_region_scope":"WW","cloud_instance_name":"microsoftonline.com","cloud_graph_host_name":"graph.windows.net","msgraph_host":"graph.microsoft.com","rbac_url":"https://pas.windows.net"}`;

    it("has Entra's fields in Entra's order, its values, and the emulator's endpoints", async () => {
      const response = await httpsRequest(
        `${emulator.urls.authorityHost}contoso.onmicrosoft.com/v2.0/.well-known/openid-configuration`,
        { ca: emulator.caCertificate },
      );
      expect(response.status).toBe(200);
      expect(response.headers["cache-control"]).toBe("max-age=86400, private");
      expect(response.headers["access-control-allow-origin"]).toBe("*");
      expect(response.text).toBe(
        RECORDED.split("https://login.microsoftonline.com/12345678-1234-1234-1234-123456789012").join(
          `${emulator.urls.authorityHost}${emulator.env.AZURE_TENANT_ID}`,
        ),
      );
    });

    it("names no tenant in the common document's issuer, as Entra's {tenantid}", async () => {
      // panva/wellknown issuers/entra-common/entra-common.mjs, a snapshot of Entra's common document.
      const response = await httpsRequest(
        `${emulator.urls.authorityHost}common/v2.0/.well-known/openid-configuration`,
        { ca: emulator.caCertificate },
      );
      expect(response.json()).toMatchObject({
        token_endpoint: `${emulator.urls.authorityHost}common/oauth2/v2.0/token`,
        issuer: `${emulator.urls.authorityHost}{tenantid}/v2.0`,
        kerberos_endpoint: `${emulator.urls.authorityHost}common/kerberos`,
        tenant_region_scope: null,
      });
    });
  });

  it("answers a token with Entra's cache headers and a request id", async () => {
    const response = await requestToken(emulator, await projectedToken(emulator), {}, null);
    expect(response.status).toBe(200);
    expectEntraHeaders(response);
    expect(response.headers["x-ms-request-id"]).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
    );
    expect(response.headers).not.toHaveProperty("client-request-id");
  });

  it("switches the separator over the admin endpoint, and refuses an unknown one", async () => {
    const admin = (body: unknown) =>
      httpsRequest(`${emulator.urls.admin}/settings`, {
        method: "PATCH",
        ca: emulator.caCertificate,
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    expect((await admin({ descriptionSeparator: "crlf" })).json()).toMatchObject({
      descriptionSeparator: "crlf",
    });
    const response = await requestToken(emulator, "not-a-jwt");
    expect(response.json<EntraErrorBody>().error_description).toContain("malformed.\r\nTrace ID: ");
    const refused = await admin({ descriptionSeparator: "lf" });
    expect(refused.status).toBe(400);
    expect(refused.json<{ error: string }>().error).toContain("entra.descriptionSeparator");
  });
});

const ENTRA_FIELDS = [
  "error",
  "error_description",
  "error_codes",
  "timestamp",
  "trace_id",
  "correlation_id",
  "error_uri",
];

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

// The emulated Microsoft Graph: GET /v1.0/organization for tokens whose audience is Graph's (never the loopback
// URL it is called on), application-role checks, and Graph's 401 compared with Azure's.
import { createEmulator, type Emulator } from "@workload-identity/emulator";
import { decodeJwt } from "jose";
import { httpsRequest } from "./support/https.js";
import { accessTokenFor } from "./support/token-request.js";

const GRAPH = "https://graph.microsoft.com";
const NO_ROLE_CLIENT = "44444444-5555-4666-8777-888888888888";
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
let emulator: Emulator;

beforeAll(async () => {
  emulator = await createEmulator({
    config: {
      tenants: [{ displayName: "Fabrikam", domains: ["fabrikam.onmicrosoft.com", "fabrikam.example"] }],
      applications: [
        { graphRoles: ["User.Read.All"] },
        { clientId: NO_ROLE_CLIENT, displayName: "no-roles", graphRoles: [] },
      ],
    },
  });
});
afterAll(() => emulator.close());

const getOrganization = (token?: string, headers: Record<string, string> = {}, on = emulator) =>
  httpsRequest(`${on.env.GRAPH_ENDPOINT}/v1.0/organization`, {
    ca: on.caCertificate,
    headers: { ...headers, ...(token === undefined ? {} : { authorization: `Bearer ${token}` }) },
  });

it("returns the tenant to a token for https://graph.microsoft.com that carries an application role", async () => {
  const token = await accessTokenFor(emulator, GRAPH);
  expect(decodeJwt(token)).toMatchObject({
    aud: GRAPH,
    iss: `https://sts.windows.net/${emulator.env.AZURE_TENANT_ID}/`,
    app_displayname: "workload-identity-demo",
    roles: ["User.Read.All"],
    ver: "1.0",
  });
  const response = await getOrganization(token);
  expect(response.status).toBe(200);
  expect(response.json()).toMatchObject({
    value: [
      {
        id: emulator.env.AZURE_TENANT_ID,
        displayName: "Fabrikam",
        verifiedDomains: [
          { name: "fabrikam.onmicrosoft.com", isDefault: true },
          { name: "fabrikam.example", isDefault: false },
        ],
      },
    ],
  });
});

it("answers 403 Authorization_RequestDenied when the application has no Graph role", async () => {
  const response = await getOrganization(await accessTokenFor(emulator, GRAPH, NO_ROLE_CLIENT));
  expect(response.status).toBe(403);
  expect(response.json()).toMatchObject({
    error: {
      code: "Authorization_RequestDenied",
      message: "Insufficient privileges to complete the operation.",
    },
  });
});

describe("401 InvalidAuthenticationToken", () => {
  // MicrosoftDocs/azure-docs#79918 (2021-08-19) and a raw answer of 2023-04-20:
  // {"error":{"code":"InvalidAuthenticationToken","message":"Access token validation failure. Invalid audience.",
  //  "innerError":{"date":"2023-04-20T01:33:53","request-id":"40c4...","client-request-id":"40c4..."}}}
  it("answers a token for another resource as Azure does: body, innerError order and ids, headers", async () => {
    const response = await getOrganization(await accessTokenFor(emulator, "https://vault.azure.net"));
    expect(response.status).toBe(401);
    expect(response.headers["content-type"]).toBe("application/json; charset=utf-8");
    const requestId = String(response.headers["request-id"]);
    expect(requestId).toMatch(GUID);
    expect(response.headers["client-request-id"]).toBe(requestId);
    expect(response.text).toMatch(
      new RegExp(
        '^\\{"error":\\{"code":"InvalidAuthenticationToken","message":"Access token validation failure\\. Invalid audience\\.",' +
          `"innerError":\\{"date":"\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d","request-id":"${requestId}","client-request-id":"${requestId}"\\}\\}\\}$`,
      ),
    );
  });

  it("echoes the client's client-request-id, in the body and as a header", async () => {
    const response = await getOrganization(await accessTokenFor(emulator, "https://management.azure.com"), {
      "client-request-id": "d369de2b-0000-4000-8000-000000000001",
    });
    expect(response.status).toBe(401);
    expect(response.headers["client-request-id"]).toBe("d369de2b-0000-4000-8000-000000000001");
    expect(response.json()).toMatchObject({
      error: { innerError: { "client-request-id": "d369de2b-0000-4000-8000-000000000001" } },
    });
  });

  it("answers a request without a token", async () => {
    const empty = await getOrganization();
    expect(empty.status).toBe(401);
    expect(empty.json()).toMatchObject({
      error: { code: "InvalidAuthenticationToken", message: "Access token is empty." },
    });
  });
});

describe("Graph's audience", () => {
  it("is not the loopback URL Graph is called on: the tenant has no such resource", async () => {
    await expect(accessTokenFor(emulator, emulator.env.GRAPH_ENDPOINT)).rejects.toThrow(/AADSTS500011/);
  });

  it("is the national cloud's Graph with graph.audience, and the public Graph is then unknown", async () => {
    const usGov = await createEmulator({ config: { graph: { audience: "https://graph.microsoft.us" } } });
    try {
      const token = await accessTokenFor(usGov, "https://graph.microsoft.us");
      expect(decodeJwt(token)).toMatchObject({
        aud: "https://graph.microsoft.us",
        roles: ["Organization.Read.All"],
      });
      expect((await getOrganization(token, {}, usGov)).status).toBe(200);
      await expect(accessTokenFor(usGov, GRAPH)).rejects.toThrow(/AADSTS500011/);
      // MSAL reads the cloud's Graph host from the tenant metadata.
      const metadata = await httpsRequest(
        `${usGov.urls.authorityHost}${usGov.env.AZURE_TENANT_ID}/v2.0/.well-known/openid-configuration`,
        { ca: usGov.caCertificate },
      );
      expect(metadata.json<{ msgraph_host: string }>().msgraph_host).toBe("graph.microsoft.us");
    } finally {
      await usGov.close();
    }
  });

  it.each(["https://graph.windows.net", "https://graph.microsoft.com/", "http://graph.microsoft.com"])(
    "refuses graph.audience %s, naming the setting and the Graph hosts it takes",
    async (audience) => {
      await expect(
        createEmulator({ config: { graph: { audience: audience as "https://graph.microsoft.com" } } }),
      ).rejects.toThrow(
        'Invalid emulator configuration at graph.audience: must be one of "https://graph.microsoft.com", "https://graph.microsoft.us", "https://dod-graph.microsoft.us", "https://microsoftgraph.chinacloudapi.cn"',
      );
    },
  );
});

// The emulated Microsoft Graph: GET /v1.0/organization with audience and application-role checks.
import { createEmulator, type Emulator } from "@workload-identity/emulator";
import { httpsRequest } from "./support/https.js";
import { accessTokenFor } from "./support/token-request.js";

const NO_ROLE_CLIENT = "44444444-5555-4666-8777-888888888888";
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

const getOrganization = (token?: string) =>
  httpsRequest(`${emulator.env.GRAPH_ENDPOINT}/v1.0/organization`, {
    ca: emulator.caCertificate,
    headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
  });

it("returns the tenant to a token for this Graph that carries an application role", async () => {
  const response = await getOrganization(await accessTokenFor(emulator, emulator.env.GRAPH_ENDPOINT));
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
  const response = await getOrganization(
    await accessTokenFor(emulator, emulator.env.GRAPH_ENDPOINT, NO_ROLE_CLIENT),
  );
  expect(response.status).toBe(403);
  expect(response.json()).toMatchObject({
    error: {
      code: "Authorization_RequestDenied",
      message: "Insufficient privileges to complete the operation.",
    },
  });
});

it("answers 401 InvalidAuthenticationToken without a token or with a token for another audience", async () => {
  const empty = await getOrganization();
  expect(empty.status).toBe(401);
  expect(empty.json()).toMatchObject({
    error: { code: "InvalidAuthenticationToken", message: "Access token is empty." },
  });

  const wrongAudience = await getOrganization(await accessTokenFor(emulator, "https://vault.azure.net"));
  expect(wrongAudience.status).toBe(401);
  expect(wrongAudience.json()).toMatchObject({
    error: { code: "InvalidAuthenticationToken", message: expect.stringContaining("audience") },
  });
});

it("does not accept the public Graph's audience: national clouds have their own", async () => {
  // The public Graph is not a resource of the emulated tenant, so no token can even be issued for it.
  await expect(accessTokenFor(emulator, "https://graph.microsoft.com")).rejects.toThrow(/AADSTS500011/);
});

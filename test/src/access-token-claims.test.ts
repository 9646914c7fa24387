// The access tokens the emulated Entra issues, compared with decoded Azure tokens: every resource gets a v1.0
// token from the v2.0 endpoint, with the claims and claim order of Azure's (sources in packages/emulator/README.md).
import { createEmulator, type Emulator } from "@workload-identity/emulator";
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JWTPayload } from "jose";
import { httpsRequest } from "./support/https.js";
import { accessTokenFor } from "./support/token-request.js";

const OBJECT_ID = "7ed01f19-8c08-4802-a20c-7a351169a76c";
let emulator: Emulator;

beforeAll(async () => {
  emulator = await createEmulator({
    config: {
      applications: [{ objectId: OBJECT_ID, displayName: "tenant-reader" }],
      resources: ["api://my-api"],
    },
  });
});
afterAll(() => emulator.close());

/** Verified against the keys the tenant's v2.0 metadata publishes, as a resource server finds them. */
async function verifiedClaims(token: string): Promise<JWTPayload> {
  const metadata = await httpsRequest(
    `${emulator.urls.authorityHost}${emulator.env.AZURE_TENANT_ID}/v2.0/.well-known/openid-configuration`,
    { ca: emulator.caCertificate },
  );
  const keys = await httpsRequest(metadata.json<{ jwks_uri: string }>().jwks_uri, {
    ca: emulator.caCertificate,
  });
  return (await jwtVerify(token, createLocalJWKSet(keys.json()))).payload;
}

// Key Vault through a federated assertion (2022-02-14): aud, iss, iat, nbf, exp, aio, appid, appidacr "2", idp,
// oid, rh, sub, tid, uti, ver "1.0"; idtyp "app" as in 2025 app tokens; no azp (a v2.0-only claim).
it.each([
  "https://vault.azure.net",
  "https://management.azure.com/",
  "https://storage.azure.com",
  "https://database.windows.net/",
  "api://my-api",
])("issues a v1.0 token for %s with Azure's claims, in Azure's order", async (resource) => {
  const token = await accessTokenFor(emulator, resource);
  const claims = await verifiedClaims(token);
  const tenant = emulator.env.AZURE_TENANT_ID;
  expect(Object.keys(claims)).toEqual([
    "aud",
    "iss",
    "iat",
    "nbf",
    "exp",
    "appid",
    "appidacr",
    "idp",
    "idtyp",
    "oid",
    "sub",
    "tid",
    "uti",
    "ver",
  ]);
  expect(claims).toEqual({
    aud: resource,
    iss: `https://sts.windows.net/${tenant}/`,
    iat: expect.any(Number) as unknown,
    nbf: claims.iat,
    exp: (claims.iat ?? 0) + 3599,
    appid: emulator.env.AZURE_CLIENT_ID,
    appidacr: "2",
    idp: `https://sts.windows.net/${tenant}/`,
    idtyp: "app",
    oid: OBJECT_ID,
    sub: OBJECT_ID,
    tid: tenant,
    uti: expect.any(String) as unknown,
    ver: "1.0",
  });
  // Key Vault's docs show the v1.0 header: typ, alg, x5t and kid, x5t equal to kid.
  const header = decodeProtectedHeader(token);
  expect(Object.keys(header)).toEqual(["typ", "alg", "x5t", "kid"]);
  expect(header.x5t).toBe(header.kid);
});

it("adds app_displayname and the application's Graph roles to a Graph token, which is v1.0 too", async () => {
  const claims = await verifiedClaims(await accessTokenFor(emulator, "https://graph.microsoft.com"));
  expect(claims).toMatchObject({
    aud: "https://graph.microsoft.com",
    iss: `https://sts.windows.net/${emulator.env.AZURE_TENANT_ID}/`,
    app_displayname: "tenant-reader",
    appid: emulator.env.AZURE_CLIENT_ID,
    appidacr: "2",
    roles: ["Organization.Read.All"],
    ver: "1.0",
  });
  expect(claims).not.toHaveProperty("azp");
  expect(Object.keys(claims).indexOf("app_displayname")).toBe(Object.keys(claims).indexOf("appid") - 1);
});

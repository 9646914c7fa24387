import { generateKeyPairSync, type KeyObject } from "node:crypto";
import { SignJWT, decodeJwt, decodeProtectedHeader, type JWTPayload } from "jose";
import { AccessTokenIssuer, v1IssuerFor, type AccessTokenRequest } from "./access-token-issuer.js";

const TENANT = "6a4c7a1e-3d2b-4f5e-9c8d-7b6a5f4e3d2c";
const OTHER_TENANT = "7b5d8b2e-1f3c-4a6d-9e8f-0a1b2c3d4e5f";
const AUTHORITY = "https://127.0.0.1:8443";
const VAULT = { audiences: ["https://vault.azure.net"], tenantId: TENANT };

let key: KeyObject;
let issuer: AccessTokenIssuer;

beforeAll(() => {
  ({ privateKey: key } = generateKeyPairSync("rsa", { modulusLength: 2048 }));
  issuer = new AccessTokenIssuer(key, () => AUTHORITY);
});

const request = (overrides: Partial<AccessTokenRequest> = {}): AccessTokenRequest => ({
  tenantId: TENANT,
  clientId: "0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0",
  objectId: "11059fcc-5514-4800-b5f8-49808b9cfab6",
  resource: "https://vault.azure.net",
  roles: [],
  lifetimeSeconds: 3599,
  clientCapabilities: [],
  ...overrides,
});

/** A token signed with Entra's key but shaped by the test, for the checks minting never exercises. */
const signed = (claims: JWTPayload, expiresIn = 600) =>
  new SignJWT(claims)
    .setProtectedHeader({ alg: "RS256", kid: issuer.kid })
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + expiresIn)
    .sign(key);

describe("mint", () => {
  it("issues a v1.0 app token: sts.windows.net issuer, appid and appidacr 2, sub = oid, no azp", async () => {
    const token = await issuer.mint(request(), 1_644_833_800_000);
    const claims = decodeJwt(token);
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
    expect(claims).toMatchObject({
      aud: "https://vault.azure.net",
      iss: `https://sts.windows.net/${TENANT}/`,
      idp: `https://sts.windows.net/${TENANT}/`,
      iat: 1_644_833_800,
      nbf: 1_644_833_800,
      exp: 1_644_833_800 + 3599,
      appid: "0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0",
      appidacr: "2",
      idtyp: "app",
      oid: "11059fcc-5514-4800-b5f8-49808b9cfab6",
      sub: "11059fcc-5514-4800-b5f8-49808b9cfab6",
      tid: TENANT,
      ver: "1.0",
    });
    expect(decodeProtectedHeader(token)).toEqual({
      typ: "JWT",
      alg: "RS256",
      x5t: issuer.kid,
      kid: issuer.kid,
    });
  });

  it("adds app_displayname and roles for Graph and xms_cc for CAE, and keeps the resource as requested", async () => {
    const claims = decodeJwt(
      await issuer.mint(
        request({
          resource: "https://graph.microsoft.com",
          roles: ["Organization.Read.All"],
          appDisplayName: "workload-identity-demo",
          clientCapabilities: ["cp1"],
        }),
      ),
    );
    expect(claims).toMatchObject({
      aud: "https://graph.microsoft.com",
      app_displayname: "workload-identity-demo",
      roles: ["Organization.Read.All"],
      xms_cc: ["cp1"],
    });
    expect(decodeJwt(await issuer.mint(request({ resource: "https://database.windows.net/" }))).aud).toBe(
      "https://database.windows.net/",
    );
  });
});

describe("verify", () => {
  it("accepts its own v1.0 token for the expected audience and tenant", async () => {
    const result = await issuer.verify(await issuer.mint(request()), VAULT);
    expect(result).toMatchObject({ ok: true, claims: { ver: "1.0" } });
  });

  it("accepts the tenant's v2.0 issuer too, which is the emulator's own authority", async () => {
    const token = await signed({
      aud: "https://vault.azure.net",
      iss: `${AUTHORITY}/${TENANT}/v2.0`,
      tid: TENANT,
    });
    expect(await issuer.verify(token, VAULT)).toMatchObject({ ok: true });
    expect(issuer.v2IssuerFor(TENANT)).toBe(`${AUTHORITY}/${TENANT}/v2.0`);
  });

  it.each([
    ["another tenant's v1.0 issuer", v1IssuerFor(OTHER_TENANT)],
    ["the public cloud's v2.0 issuer", `https://login.microsoftonline.com/${TENANT}/v2.0`],
    ["the v1.0 issuer without its trailing slash", `https://sts.windows.net/${TENANT}`],
  ])("refuses %s with reason issuer, naming the claims", async (_, iss) => {
    const token = await signed({ aud: "https://vault.azure.net", iss, tid: TENANT });
    expect(await issuer.verify(token, VAULT)).toMatchObject({ ok: false, reason: "issuer", claims: { iss } });
  });

  it("checks the issuer against the token's own tid when no tenant is expected (Graph)", async () => {
    const graph = { audiences: ["https://graph.microsoft.com"] };
    const own = await signed({
      aud: "https://graph.microsoft.com",
      iss: v1IssuerFor(OTHER_TENANT),
      tid: OTHER_TENANT,
    });
    const mixed = await signed({
      aud: "https://graph.microsoft.com",
      iss: v1IssuerFor(TENANT),
      tid: OTHER_TENANT,
    });
    expect(await issuer.verify(own, graph)).toMatchObject({ ok: true });
    expect(await issuer.verify(mixed, graph)).toMatchObject({ ok: false, reason: "issuer" });
  });

  it("compares the audience exactly and names what it found", async () => {
    const token = await issuer.mint(request({ resource: "https://vault.azure.net/" }));
    expect(await issuer.verify(token, VAULT)).toMatchObject({
      ok: false,
      reason: "audience",
      claims: { aud: "https://vault.azure.net/" },
    });
  });

  it("refuses an expired token, another key's signature and garbage", async () => {
    expect(await issuer.verify(await signed({ aud: "https://vault.azure.net" }, -60), VAULT)).toEqual({
      ok: false,
      reason: "expired",
    });
    const { privateKey: otherKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const forged = await new AccessTokenIssuer(otherKey, () => AUTHORITY).mint(request());
    expect(await issuer.verify(forged, VAULT)).toEqual({ ok: false, reason: "signature" });
    expect(await issuer.verify("not-a-jwt", VAULT)).toEqual({ ok: false, reason: "malformed" });
  });
});

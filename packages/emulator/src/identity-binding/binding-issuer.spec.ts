import { generateKeyPairSync, type KeyObject } from "node:crypto";
import { IncomingMessage } from "node:http";
import { Socket } from "node:net";
import { compactVerify, createLocalJWKSet, decodeJwt, type JSONWebKeySet } from "jose";
import { resolveConfig, type ApplicationConfig } from "../config/emulator-config.js";
import { findRoute, type Route } from "../http/route.js";
import { BindingIssuers } from "./binding-issuer.js";

const ORIGIN = "https://127.0.0.1:9443";
const config = resolveConfig({ identityBinding: {} });
const application = config.applications[0] as ApplicationConfig;
const identities = config.identityBinding?.identities ?? [];
const ISSUER = `${ORIGIN}/${application.tenantId}/${application.clientId}`;

let key: KeyObject;
let issuers: BindingIssuers;

beforeAll(() => {
  key = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
  issuers = new BindingIssuers(identities, key, () => ORIGIN);
});

async function get(path: string): Promise<{ status: number; body: unknown }> {
  const routes: Route[] = issuers.routes();
  const { route, params } = findRoute(routes, "GET", path);
  if (!route) return { status: 404, body: undefined };
  const reply = await route.handle({
    req: new IncomingMessage(new Socket()),
    url: new URL(path, ORIGIN),
    params,
  });
  return { status: reply.status, body: reply.body };
}

describe("BindingIssuers", () => {
  it("gives a bound identity an issuer at {origin}/{tenant}/{client id}, without a trailing slash, as AKS shows it", () => {
    expect(issuers.issuerUrl(application.tenantId, application.clientId)).toBe(ISSUER);
    expect(issuers.issuerUrl(application.tenantId.toUpperCase(), application.clientId)).toBe(ISSUER);
  });

  it("has no issuer for an identity no binding names", () => {
    expect(issuers.issuerUrl(application.tenantId, "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee")).toBeUndefined();
  });

  it("has no issuer before its listener has an origin", () => {
    expect(
      new BindingIssuers(identities, key, () => "").issuerUrl(application.tenantId, application.clientId),
    ).toBeUndefined();
  });

  it("serves a discovery document whose issuer is exactly the issuer URL, and the keys it names", async () => {
    const discovery = await get(
      `/${application.tenantId}/${application.clientId}/.well-known/openid-configuration`,
    );

    expect(discovery).toMatchObject({
      status: 200,
      body: { issuer: ISSUER, jwks_uri: `${ISSUER}/openid/v1/jwks` },
    });
    const jwks = await get(`/${application.tenantId}/${application.clientId}/openid/v1/jwks`);
    expect(jwks.status).toBe(200);
    expect((jwks.body as JSONWebKeySet).keys).toHaveLength(1);
  });

  it("answers 404 for a path of an identity no binding names", async () => {
    expect(
      (await get(`/${application.tenantId}/aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee/openid/v1/jwks`)).status,
    ).toBe(404);
  });

  it("signs an assertion that matches the application's aks-identity-binding credential, verifiable by its keys", async () => {
    const assertion = await issuers.assertionFor(application, Date.UTC(2026, 0, 1));
    const credential = application.federatedIdentityCredentials.find((f) => f.identityBinding);
    const jwks = (await get(`/${application.tenantId}/${application.clientId}/openid/v1/jwks`))
      .body as JSONWebKeySet;

    await expect(compactVerify(assertion ?? "", createLocalJWKSet(jwks))).resolves.toBeDefined();
    expect(decodeJwt(assertion ?? "")).toMatchObject({
      iss: ISSUER,
      sub: credential?.subject,
      aud: credential?.audiences,
      iat: Date.UTC(2026, 0, 1) / 1000,
      exp: Date.UTC(2026, 0, 1) / 1000 + 600,
    });
  });

  it("signs nothing for an application without a binding", async () => {
    const direct = resolveConfig().applications[0] as ApplicationConfig;

    expect(
      await issuers.assertionFor({ ...direct, clientId: "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee" }),
    ).toBeUndefined();
  });
});

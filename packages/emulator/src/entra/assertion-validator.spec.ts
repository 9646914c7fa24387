import { createPublicKey, generateKeyPairSync, type KeyObject } from "node:crypto";
import { exportJWK, SignJWT, type JSONWebKeySet } from "jose";
import {
  resolveEntraSettings,
  type ApplicationConfig,
  type EntraSettings,
} from "../config/emulator-config.js";
import { validateAssertion } from "./assertion-validator.js";
import type { IssuerKeyFetcher } from "./issuer-keys.js";

const ISSUER = "https://oidc.example/cluster/";
const SUBJECT = "system:serviceaccount:payments:api-sa";
const AUDIENCE = "api://AzureADTokenExchange";
const NOW_MS = Date.UTC(2026, 0, 2, 3, 4, 5, 678);
const NOW_S = Math.floor(NOW_MS / 1000);

const application: ApplicationConfig = {
  clientId: "0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0",
  displayName: "payments",
  tenantId: "6a4c7a1e-3d2b-4f5e-9c8d-7b6a5f4e3d2c",
  objectId: "11111111-2222-4333-8444-555555555555",
  federatedIdentityCredentials: [{ name: "k8s", issuer: ISSUER, subject: SUBJECT, audiences: [AUDIENCE] }],
  graphRoles: [],
};

let key: KeyObject;
let keys: IssuerKeyFetcher;

beforeAll(async () => {
  key = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
  const jwks: JSONWebKeySet = {
    keys: [{ ...(await exportJWK(createPublicKey(key))), kid: "k1", alg: "RS256", use: "sig" }],
  };
  // The one collaborator that would go to the network: a fixed JWKS stands in for the issuer.
  keys = { keysFor: () => Promise.resolve(jwks) } as unknown as IssuerKeyFetcher;
});

function sign(overrides: Record<string, unknown> = {}): Promise<string> {
  return new SignJWT({
    iss: ISSUER,
    sub: SUBJECT,
    aud: [AUDIENCE],
    iat: NOW_S,
    nbf: NOW_S,
    exp: NOW_S + 3600,
    ...overrides,
  })
    .setProtectedHeader({ alg: "RS256", kid: "k1" })
    .sign(key);
}

async function check(assertion: string, settings: Partial<EntraSettings> = {}) {
  const result = await validateAssertion({
    assertion,
    application,
    defaultIssuer: "https://unused.example/",
    settings: resolveEntraSettings(settings),
    keys,
    nowMs: NOW_MS,
  });
  return result.ok ? { ok: true as const } : { ok: false as const, ...result.error };
}

it("accepts an assertion whose issuer, subject and audience match a credential and whose lifetime holds", async () => {
  expect(await check(await sign())).toEqual({ ok: true });
});

describe("a federated credential mismatch, by federatedErrorStyle", () => {
  it("names the issuer first with AADSTS700211 (per-claim, the default)", async () => {
    expect(await check(await sign({ iss: "https://oidc.example/cluster" }))).toMatchObject({
      error: "invalid_client",
      code: 700211,
      message: expect.stringContaining(
        "issuer 'https://oidc.example/cluster'. Check your federated",
      ) as string,
    });
  });

  it("answers AADSTS7002138 for a subject that differs only in case", async () => {
    const subject = "system:serviceaccount:Payments:api-sa";
    expect(await check(await sign({ sub: subject }))).toMatchObject({
      error: "invalid_client",
      code: 7002138,
      message: expect.stringContaining(
        `subject '${subject}'. The subject matches with case-insensitive`,
      ) as string,
    });
  });

  it("answers AADSTS700213 for another subject, and AADSTS700212 for another audience", async () => {
    expect(await check(await sign({ sub: "system:serviceaccount:payments:other" }))).toMatchObject({
      code: 700213,
    });
    expect(await check(await sign({ aud: ["api://Other"] }))).toMatchObject({
      error: "invalid_client",
      code: 700212,
      message: expect.stringContaining("audience 'api://Other'") as string,
    });
  });

  it("uses the 2024 wording, and no 7002138, under per-claim-2024", async () => {
    const result = await check(await sign({ sub: "system:serviceaccount:Payments:api-sa" }), {
      federatedErrorStyle: "per-claim-2024",
    });
    expect(result).toMatchObject({
      error: "invalid_client",
      code: 700213,
      message: expect.stringContaining("Please check your federated identity credential") as string,
    });
  });

  it("answers AADSTS70021 as invalid_client under aadsts70021, and as invalid_request under aadsts70021-2022", async () => {
    const assertion = await sign({ sub: "system:serviceaccount:prod:app" });
    const named = `Assertion Issuer: '${ISSUER}'. Assertion Subject: 'system:serviceaccount:prod:app'. Assertion Audience: '${AUDIENCE}'.`;
    expect(await check(assertion, { federatedErrorStyle: "aadsts70021" })).toMatchObject({
      error: "invalid_client",
      code: 70021,
      message: expect.stringContaining(named) as string,
    });
    expect(await check(assertion, { federatedErrorStyle: "aadsts70021-2022" })).toMatchObject({
      error: "invalid_request",
      code: 70021,
      message: expect.stringContaining(named) as string,
    });
  });
});

describe("the assertion's lifetime", () => {
  it("prints the time of the check to the tick and a missing nbf as the epoch in AADSTS700024", async () => {
    const result = await check(await sign({ nbf: undefined, exp: NOW_S - 60 }));
    expect(result).toMatchObject({ error: "invalid_client", code: 700024 });
    expect(result.ok ? "" : result.message).toContain(
      "Current time: 2026-01-02T03:04:05.6780000Z, assertion valid from 1970-01-01T00:00:00.0000000Z, " +
        "expiry time of assertion 2026-01-02T03:03:05.0000000Z.",
    );
  });

  it("counts an assertion as expired at its exp second, within the configured skew", async () => {
    expect(await check(await sign({ exp: NOW_S }))).toMatchObject({ code: 700024 });
    expect(await check(await sign({ exp: NOW_S }), { clockSkewSeconds: 1 })).toEqual({ ok: true });
  });

  it("refuses a token not valid for another minute", async () => {
    expect(await check(await sign({ nbf: NOW_S + 60 }))).toMatchObject({ code: 700024 });
  });
});

it("answers AADSTS50027 as invalid_request for an assertion that is not a JWT", async () => {
  expect(await check("not-a-jwt")).toMatchObject({ error: "invalid_request", code: 50027 });
});

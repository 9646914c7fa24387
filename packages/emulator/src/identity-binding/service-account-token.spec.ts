import { generateKeyPairSync, type KeyObject } from "node:crypto";
import { OidcIssuer } from "../issuer/oidc-issuer.js";
import { checkServiceAccountToken, type ServiceAccountTokenResult } from "./service-account-token.js";

const ISSUER = "https://127.0.0.1:8443/";
const AUDIENCE = "api://AKSIdentityBinding";
const NOW_MS = Date.UTC(2026, 10, 22, 20, 0, 0);
const NOW = NOW_MS / 1000;

let key: KeyObject;
let issuer: OidcIssuer;

beforeAll(() => {
  key = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
  issuer = new OidcIssuer(ISSUER, key);
});

const claims = (overrides: Record<string, unknown> = {}) => ({
  iss: ISSUER,
  sub: "system:serviceaccount:prod:api",
  aud: [AUDIENCE],
  iat: NOW - 10,
  nbf: NOW - 10,
  exp: NOW + 3600,
  ...overrides,
});

async function check(token: string, skewSeconds = 0): Promise<ServiceAccountTokenResult> {
  return checkServiceAccountToken({ token, issuer, audience: AUDIENCE, nowMs: NOW_MS, skewSeconds });
}

/** The refusal's code, or "entra:<AADSTS code>" for a defect answered in Entra's words, or "ok". */
function outcome(result: ServiceAccountTokenResult): string {
  if (result.ok) return "ok";
  return "entra" in result ? `entra:${result.entra.code}` : result.refusal.code;
}

describe("checkServiceAccountToken", () => {
  it("accepts this cluster's token for the binding audience and names its service account", async () => {
    expect(await check(await issuer.sign(claims()))).toEqual({ ok: true, namespace: "prod", name: "api" });
  });

  it("accepts a token that lists other audiences too", async () => {
    expect(outcome(await check(await issuer.sign(claims({ aud: ["other", AUDIENCE] }))))).toBe("ok");
  });

  it("answers a client assertion that is no JWT as Entra does (AADSTS50027)", async () => {
    expect(outcome(await check("not-a-jwt"))).toBe("entra:50027");
  });

  it("refuses a token signed by a key the cluster does not have", async () => {
    const stranger = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;

    expect(outcome(await check(await issuer.sign(claims(), { privateKey: stranger })))).toBe(
      "service-account-token-signature",
    );
  });

  it("refuses a token whose kid the cluster's keys do not hold", async () => {
    expect(outcome(await check(await issuer.sign(claims(), { kid: "rotated-away" })))).toBe(
      "service-account-token-signature",
    );
  });

  it("refuses a token this cluster signed for another issuer URL", async () => {
    const result = await check(await issuer.sign(claims({ iss: "https://elsewhere.example/" })));

    expect(outcome(result)).toBe("service-account-token-issuer");
    expect(!result.ok && "refusal" in result && result.refusal.message).toContain(
      "'https://elsewhere.example/'",
    );
  });

  it("refuses the direct-federation audience, naming the pod annotation that fixes it", async () => {
    const result = await check(await issuer.sign(claims({ aud: ["api://AzureADTokenExchange"] })));

    expect(outcome(result)).toBe("service-account-token-audience");
    expect(!result.ok && "refusal" in result && result.refusal.message).toContain(
      'azure.workload.identity/use-identity-binding: "true"',
    );
  });

  it("refuses an expired token, and one not valid yet", async () => {
    expect(outcome(await check(await issuer.sign(claims({ exp: NOW - 1 }))))).toBe(
      "service-account-token-lifetime",
    );
    expect(outcome(await check(await issuer.sign(claims({ nbf: NOW + 60 }))))).toBe(
      "service-account-token-lifetime",
    );
    expect(outcome(await check(await issuer.sign(claims({ exp: undefined }))))).toBe(
      "service-account-token-lifetime",
    );
  });

  it("allows the configured clock skew on both ends", async () => {
    expect(outcome(await check(await issuer.sign(claims({ exp: NOW - 5 })), 10))).toBe("ok");
    expect(outcome(await check(await issuer.sign(claims({ nbf: NOW + 5 })), 10))).toBe("ok");
  });

  it("refuses a token whose subject is no service account", async () => {
    expect(outcome(await check(await issuer.sign(claims({ sub: "system:node:worker-1" }))))).toBe(
      "service-account-token-subject",
    );
  });

  it("refuses with 401 invalid_client for every defect of the token itself", async () => {
    const result = await check(await issuer.sign(claims({ exp: NOW - 1 })));

    expect(!result.ok && "refusal" in result && [result.refusal.status, result.refusal.error]).toEqual([
      401,
      "invalid_client",
    ]);
  });
});

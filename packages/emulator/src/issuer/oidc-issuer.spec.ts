import { createHash, createPublicKey, generateKeyPairSync, type KeyObject } from "node:crypto";
import {
  createLocalJWKSet,
  decodeJwt,
  decodeProtectedHeader,
  exportJWK,
  jwtVerify,
  type JSONWebKeySet,
} from "jose";
import { OidcIssuer } from "./oidc-issuer.js";

const ISSUER_URL = "https://127.0.0.1:8443/";
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
// 2026-01-02T03:04:05.678Z: the fraction of a second must be dropped from iat.
const NOW_MS = Date.UTC(2026, 0, 2, 3, 4, 5, 678);
const NOW_S = Math.floor(NOW_MS / 1000);

const request = {
  namespace: "payments",
  serviceAccount: "api-sa",
  audience: "api://AzureADTokenExchange",
  lifetimeSeconds: 3600,
};

let signingKey: KeyObject;
let otherKey: KeyObject;
let issuer: OidcIssuer;

beforeAll(() => {
  signingKey = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
  otherKey = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
  issuer = new OidcIssuer(ISSUER_URL, signingKey);
});

function kidComputedHere(key: KeyObject): string {
  return createHash("sha256")
    .update(createPublicKey(key).export({ type: "spki", format: "der" }))
    .digest("base64url");
}

/** The issuer's JWKS. */
async function jwksOf(i: OidcIssuer): Promise<JSONWebKeySet> {
  return i.jwks();
}

describe("OidcIssuer discovery", () => {
  it("puts the discovery document and JWKS under the issuer URL, trailing slash kept", () => {
    expect(issuer.url).toBe(ISSUER_URL);
    expect(issuer.discoveryUrl).toBe("https://127.0.0.1:8443/.well-known/openid-configuration");
    expect(issuer.jwksUrl).toBe("https://127.0.0.1:8443/openid/v1/jwks");
  });

  it("serves the discovery document kube-apiserver serves", () => {
    expect(issuer.discoveryDocument()).toEqual({
      issuer: ISSUER_URL,
      jwks_uri: "https://127.0.0.1:8443/openid/v1/jwks",
      response_types_supported: ["id_token"],
      subject_types_supported: ["public"],
      id_token_signing_alg_values_supported: ["RS256"],
    });
  });

  it("keeps a path in the issuer URL", () => {
    const pathIssuer = new OidcIssuer("https://127.0.0.1:8443/tenant/cluster-1/", signingKey);

    expect(pathIssuer.discoveryUrl).toBe(
      "https://127.0.0.1:8443/tenant/cluster-1/.well-known/openid-configuration",
    );
    expect(pathIssuer.discoveryDocument()).toMatchObject({
      issuer: "https://127.0.0.1:8443/tenant/cluster-1/",
      jwks_uri: "https://127.0.0.1:8443/tenant/cluster-1/openid/v1/jwks",
    });
  });
});

describe("OidcIssuer JWKS", () => {
  it("has the kid Kubernetes would compute for the signing key", () => {
    expect(issuer.kid).toBe(kidComputedHere(signingKey));
  });

  it("publishes exactly one public RSA signing key with use, kty, kid, alg, n and e", async () => {
    const jwks = await issuer.jwks();
    const publicJwk = await exportJWK(createPublicKey(signingKey));

    expect(jwks.keys).toEqual([
      {
        use: "sig",
        kty: "RSA",
        kid: kidComputedHere(signingKey),
        alg: "RS256",
        n: publicJwk.n,
        e: publicJwk.e,
      },
    ]);
  });

  it("leaks no private key member", async () => {
    const [key] = (await issuer.jwks()).keys;

    for (const member of ["d", "p", "q", "dp", "dq", "qi", "oth", "k"]) {
      expect(key).not.toHaveProperty(member);
    }
  });
});

describe("OidcIssuer.mintServiceAccountToken", () => {
  it("signs with RS256 and the signing key's kid in the header", async () => {
    const token = await issuer.mintServiceAccountToken(request, NOW_MS);

    expect(decodeProtectedHeader(token)).toEqual({ alg: "RS256", kid: issuer.kid });
  });

  it("carries exactly the claims of a projected Kubernetes service-account token", async () => {
    const claims = decodeJwt(await issuer.mintServiceAccountToken(request, NOW_MS));

    expect(claims).toEqual({
      aud: ["api://AzureADTokenExchange"],
      exp: NOW_S + 3600,
      iat: NOW_S,
      iss: ISSUER_URL,
      jti: expect.stringMatching(GUID) as unknown,
      "kubernetes.io": {
        namespace: "payments",
        pod: { name: expect.any(String) as unknown, uid: expect.stringMatching(GUID) as unknown },
        serviceaccount: { name: "api-sa", uid: expect.stringMatching(GUID) as unknown },
      },
      nbf: NOW_S,
      sub: "system:serviceaccount:payments:api-sa",
    });
  });

  it("makes the token live exactly lifetimeSeconds", async () => {
    const claims = decodeJwt(
      await issuer.mintServiceAccountToken({ ...request, lifetimeSeconds: 600 }, NOW_MS),
    );

    expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(600);
  });

  it("keeps aud an array even with one audience, as Kubernetes does", async () => {
    const claims = decodeJwt(await issuer.mintServiceAccountToken(request, NOW_MS));

    expect(Array.isArray(claims.aud)).toBe(true);
  });

  it("gives every token its own jti", async () => {
    const a = decodeJwt(await issuer.mintServiceAccountToken(request, NOW_MS));
    const b = decodeJwt(await issuer.mintServiceAccountToken(request, NOW_MS));

    expect(a.jti).not.toBe(b.jti);
  });

  it("mints at the current time when no time is given", async () => {
    const before = Math.floor(Date.now() / 1000);
    const claims = decodeJwt(await issuer.mintServiceAccountToken(request));
    const after = Math.floor(Date.now() / 1000);

    expect(claims.iat).toBeGreaterThanOrEqual(before);
    expect(claims.iat).toBeLessThanOrEqual(after);
  });

  it("verifies with jose against the issuer's own JWKS, issuer and audience", async () => {
    const token = await issuer.mintServiceAccountToken(request, NOW_MS);

    const { payload, protectedHeader } = await jwtVerify(token, createLocalJWKSet(await jwksOf(issuer)), {
      issuer: ISSUER_URL,
      audience: "api://AzureADTokenExchange",
      algorithms: ["RS256"],
      currentDate: new Date(NOW_MS + 60_000),
    });

    expect(payload.sub).toBe("system:serviceaccount:payments:api-sa");
    expect(protectedHeader.kid).toBe(issuer.kid);
  });

  it("does not verify against another issuer's JWKS", async () => {
    const token = await issuer.mintServiceAccountToken(request, NOW_MS);
    const stranger = new OidcIssuer(ISSUER_URL, otherKey);

    await expect(
      jwtVerify(token, createLocalJWKSet(await jwksOf(stranger)), { currentDate: new Date(NOW_MS) }),
    ).rejects.toThrow();
  });
});

describe("OidcIssuer.sign", () => {
  it("signs any payload with the issuer's key and kid by default", async () => {
    const token = await issuer.sign({ sub: "anything", iss: "https://elsewhere.example/" });

    const { payload } = await jwtVerify(token, createLocalJWKSet(await jwksOf(issuer)));
    expect(payload).toEqual({ sub: "anything", iss: "https://elsewhere.example/" });
  });

  it("can sign with a key the JWKS does not hold, which then fails verification", async () => {
    const token = await issuer.sign({ sub: "forged" }, { privateKey: otherKey });

    expect(decodeProtectedHeader(token).kid).toBe(issuer.kid);
    await expect(jwtVerify(token, createLocalJWKSet(await jwksOf(issuer)))).rejects.toThrow(
      "signature verification failed",
    );
  });

  it("can put another kid in the header, which then matches no published key", async () => {
    const token = await issuer.sign({ sub: "x" }, { kid: "unknown-kid" });

    expect(decodeProtectedHeader(token)).toEqual({ alg: "RS256", kid: "unknown-kid" });
    await expect(jwtVerify(token, createLocalJWKSet(await jwksOf(issuer)))).rejects.toThrow(
      "no applicable key found in the JSON Web Key Set",
    );
  });
});

import { createPublicKey, generateKeyPairSync } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { WorkloadIdentityCliError } from "../errors.js";
import { jwkOf } from "./jwk.js";
import { keyIdOf } from "./key-id.js";

const fixture = (name: string) => readFileSync(join(__dirname, "fixtures", name), "utf8");

/** What `fn` throws. */
function errorOf(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe("jwkOf", () => {
  it("gives azwi's exact JWK for azwi's test key (pkg/cmd/jwks/root_test.go), fields in azwi's order", () => {
    const jwk = jwkOf(createPublicKey(fixture("azwi-public-key.pem")));

    expect(JSON.stringify(jwk)).toBe(
      JSON.stringify({
        use: "sig",
        kty: "RSA",
        kid: "2A3FPpix2keOV1SGPQiM0_wVemz4XOIgQyJJnpu5sPE",
        alg: "RS256",
        n: "1QJE2YmLbvMLP6FtzcfPzGbSDbHEEtA0mH6kwgrOrlKs83zj2vr6Y5k_ZcGdIbsdm5vDj2IxtSkE-pSDtgFM2iq0sJ7xuE6RYmlrtBm-H2WHvXrP9RrG1EfO7iWs6Czj4A_Ddxg3kNUiQCtQEJwwH2pfrUkh8STQhST_T86pq5AIFCuQiQSrkfC80eD9bUFypV3CLB2M9Fa1hbvOWbzSF93_I0toUK2-oPgVW6m2EwMyy8Fh_3KRixrAJO8g-D4d537C1fa1vJJRlMRFtLMA_bo6k1fAtNsVQuQoML5CmRrvNT7ZpXRLaQy64OSFrVLD3Pb7wct7b4g2xQECixQodw",
        e: "AQAB",
      }),
    );
  });

  it("gives the fixed P-256 vector: kid, x and y as computed by openssl", () => {
    // fixtures/ec-p256-public-key.pem was made with `openssl ecparam -name prime256v1 -genkey`; the kid is
    // `openssl pkey -pubin -outform DER | openssl dgst -sha256 -binary | base64url`, and x and y are the
    // halves of the point `openssl pkey -pubin -text` prints, base64url-encoded.
    const jwk = jwkOf(createPublicKey(fixture("ec-p256-public-key.pem")));

    expect(JSON.stringify(jwk)).toBe(
      JSON.stringify({
        use: "sig",
        kty: "EC",
        kid: "l5TdwP9zaMvYESvysfi-4J81Mv8HFNlLRcdSO6SADuY",
        crv: "P-256",
        alg: "ES256",
        x: "5wVezxj-KxvE2ezdXCQzaWyfxfpzPl80bEllFmuwxRY",
        y: "0OoMRrf4HLhdePEox9RKX0WSAD3Sabf2okSAPiXZN8I",
      }),
    );
  });

  it.each([
    ["P-256", "ES256", 43],
    ["P-384", "ES384", 64],
    ["P-521", "ES512", 88],
  ] as const)("maps an EC %s key to %s with full-length coordinates", (crv, alg, coordinateLength) => {
    const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: crv });

    const jwk = jwkOf(privateKey);

    expect(jwk).toEqual({
      use: "sig",
      kty: "EC",
      kid: keyIdOf(publicKey),
      crv,
      alg,
      x: expect.stringMatching(new RegExp(`^[A-Za-z0-9_-]{${coordinateLength}}$`)),
      y: expect.stringMatching(new RegExp(`^[A-Za-z0-9_-]{${coordinateLength}}$`)),
    });
  });

  it("never puts private key material in the JWK", () => {
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });

    expect(Object.keys(jwkOf(privateKey))).toEqual(["use", "kty", "kid", "alg", "n", "e"]);
  });

  it.each([
    [
      "Ed25519",
      () => generateKeyPairSync("ed25519").publicKey,
      /cannot be signed with ed25519 keys; use an RSA or an EC/,
    ],
    [
      "secp256k1",
      () => generateKeyPairSync("ec", { namedCurve: "secp256k1" }).publicKey,
      /cannot be signed with the EC curve secp256k1; use P-256, P-384 or P-521/,
    ],
    [
      "RSA-PSS",
      () => generateKeyPairSync("rsa-pss", { modulusLength: 2048 }).publicKey,
      /cannot be signed with rsa-pss keys/,
    ],
  ])("rejects an %s key with ERR_UNSUPPORTED_KEY", (_name, make, message) => {
    const key = make();

    expect(() => jwkOf(key)).toThrow(WorkloadIdentityCliError);
    expect(() => jwkOf(key)).toThrow(message);
    expect(errorOf(() => jwkOf(key))).toMatchObject({ code: "ERR_UNSUPPORTED_KEY" });
  });
});

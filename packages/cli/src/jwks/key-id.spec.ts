import { createHash, createPublicKey, generateKeyPairSync } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { keyIdOf } from "./key-id.js";

/**
 * azwi's own test vector: the public key and kid of TestJWKSCmdRun in
 * https://github.com/Azure/azure-workload-identity/blob/main/pkg/cmd/jwks/root_test.go
 * (the key is checked in as fixtures/azwi-public-key.pem; `openssl pkey -pubin -outform DER | openssl dgst
 * -sha256 -binary | base64url` gives the same kid).
 */
const AZWI_KID = "2A3FPpix2keOV1SGPQiM0_wVemz4XOIgQyJJnpu5sPE";
const AZWI_PEM = readFileSync(join(__dirname, "fixtures", "azwi-public-key.pem"), "utf8");

/** kube-apiserver's computation, written out without base64url support: SHA-256 of the DER SPKI, unpadded. */
function independentKid(pem: string): string {
  const der = Buffer.from(pem.replace(/-----(BEGIN|END) PUBLIC KEY-----/g, "").replace(/\s+/g, ""), "base64");
  return createHash("sha256")
    .update(der)
    .digest("base64")
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
}

describe("keyIdOf", () => {
  it("gives azwi's kid for azwi's test key", () => {
    expect(keyIdOf(createPublicKey(AZWI_PEM))).toBe(AZWI_KID);
  });

  it("agrees with the kid computed from the PEM's DER bytes directly", () => {
    expect(independentKid(AZWI_PEM)).toBe(AZWI_KID);
    expect(keyIdOf(createPublicKey(AZWI_PEM))).toBe(independentKid(AZWI_PEM));
  });

  it("gives a private key the kid of its public key", () => {
    const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-384" });
    const publicPem = publicKey.export({ type: "spki", format: "pem" }).toString();

    expect(keyIdOf(privateKey)).toBe(independentKid(publicPem));
    expect(keyIdOf(publicKey)).toBe(independentKid(publicPem));
  });

  it("is 43 URL-safe characters without padding", () => {
    expect(keyIdOf(createPublicKey(AZWI_PEM))).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});

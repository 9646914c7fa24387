import { createHash, generateKeyPairSync, type KeyObject } from "node:crypto";
import { keyIdOf } from "./key-id.js";

let privateKey: KeyObject;
let publicKey: KeyObject;

beforeAll(() => {
  ({ privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 }));
});

/** What kube-apiserver computes: base64url, unpadded, of SHA-256 over the DER SubjectPublicKeyInfo. */
function expectedKid(publicKeyOfPair: KeyObject): string {
  const spki = publicKeyOfPair.export({ type: "spki", format: "der" });
  return createHash("sha256")
    .update(spki)
    .digest()
    .toString("base64")
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
}

describe("keyIdOf", () => {
  it("is the unpadded base64url SHA-256 of the DER SubjectPublicKeyInfo", () => {
    expect(keyIdOf(privateKey)).toBe(expectedKid(publicKey));
  });

  it("is 43 URL-safe characters, as a 32-byte digest without padding is", () => {
    expect(keyIdOf(privateKey)).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it("differs between keys", () => {
    const other = generateKeyPairSync("ec", { namedCurve: "P-256" });

    expect(keyIdOf(other.privateKey)).toBe(expectedKid(other.publicKey));
    expect(keyIdOf(other.privateKey)).not.toBe(keyIdOf(privateKey));
  });
});

it("gives a public key the same kid as its private key", () => {
  expect(keyIdOf(publicKey)).toBe(keyIdOf(privateKey));
  expect(keyIdOf(publicKey)).toBe(expectedKid(publicKey));
});

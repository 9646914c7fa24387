// Key ids as kube-apiserver and `azwi jwks` compute them: base64url (no padding) of SHA-256 of the DER
// SubjectPublicKeyInfo (keyIDFromPublicKey in kubernetes/pkg/serviceaccount/jwt.go).
import { createHash, createPublicKey, type KeyObject } from "node:crypto";

export function keyIdOf(key: KeyObject): string {
  const publicKey = key.type === "public" ? key : createPublicKey(key);
  const spki = publicKey.export({ type: "spki", format: "der" });
  return createHash("sha256").update(spki).digest("base64url");
}

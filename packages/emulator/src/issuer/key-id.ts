// Key ids the way Kubernetes computes them: base64url (no padding) of the SHA-256 of the DER SubjectPublicKeyInfo.
import { createHash, createPublicKey, type KeyObject } from "node:crypto";

export function keyIdOf(key: KeyObject): string {
  const publicKey = key.type === "public" ? key : createPublicKey(key);
  const der = publicKey.export({ type: "spki", format: "der" });
  return createHash("sha256").update(der).digest("base64url");
}

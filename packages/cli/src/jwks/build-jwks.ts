// The JSON Web Key Set of a cluster's service-account signing keys, as `azwi jwks` prints it.
import type { KeyObject } from "node:crypto";
import { jwkOf, type SigningJwk } from "./jwk.js";
import { readPublicKeyFiles } from "./read-public-keys.js";

export interface Jwks {
  keys: SigningJwk[];
}

/** One JWK per distinct key, in order: a private key and its public key given together appear once. */
export function buildJwks(keys: readonly KeyObject[]): Jwks {
  const byKid = new Map<string, SigningJwk>();
  for (const key of keys) {
    const jwk = jwkOf(key);
    if (!byKid.has(jwk.kid)) byKid.set(jwk.kid, jwk);
  }
  return { keys: [...byKid.values()] };
}

/** `buildJwks` for PEM files (public keys, private keys, certificates). */
export async function buildJwksFromFiles(paths: readonly string[]): Promise<Jwks> {
  return buildJwks(await readPublicKeyFiles(paths));
}

/** Two-space JSON with a final newline, like azwi's MarshalIndent output. */
export function formatJwks(jwks: Jwks): string {
  return `${JSON.stringify(jwks, null, 2)}\n`;
}

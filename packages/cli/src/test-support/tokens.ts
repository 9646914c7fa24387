// Test tokens shaped like a projected service-account token, signed with a key the test controls.
import { generateKeyPairSync, type KeyObject } from "node:crypto";
import { mkdir, mkdtemp, rm, symlink, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SignJWT } from "jose";
import { keyIdOf } from "../jwks/key-id.js";

export const ISSUER = "https://oidc.example.com/cluster/";
export const SUBJECT = "system:serviceaccount:apps:api-sa";
export const AUDIENCE = "api://AzureADTokenExchange";

export const signingKey: KeyObject = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
export const signingKid = keyIdOf(signingKey);

/** A token issued at `nowSeconds` for an hour, overridable claim by claim. */
export async function makeToken(
  nowSeconds: number,
  claims: Record<string, unknown> = {},
  options: { key?: KeyObject; kid?: string | null } = {},
): Promise<string> {
  const claimsWithDefaults: Record<string, unknown> = {
    aud: [AUDIENCE],
    exp: nowSeconds + 3600,
    iat: nowSeconds,
    iss: ISSUER,
    nbf: nowSeconds,
    sub: SUBJECT,
    "kubernetes.io": { namespace: "apps", serviceaccount: { name: "api-sa" } },
    ...claims,
  };
  // `undefined` removes a claim.
  const payload = Object.fromEntries(
    Object.entries(claimsWithDefaults).filter(([, value]) => value !== undefined),
  );
  const kid = options.kid === undefined ? signingKid : options.kid;
  return new SignJWT(payload)
    .setProtectedHeader({ alg: "RS256", ...(kid === null ? {} : { kid }) })
    .sign(options.key ?? signingKey);
}

/** A temporary directory, removed by the returned function. */
export async function tempDir(prefix: string): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** kubelet's layout: `..<generation>/token`, `..data` -> it, `token` -> `..data/token`; the generation dated `at`. */
export async function projectToken(dir: string, token: string, at: Date): Promise<string> {
  const generation = "..2026_01_01_00_00_00.123456789";
  await mkdir(join(dir, generation));
  await writeFile(join(dir, generation, "token"), token, { mode: 0o644 });
  await symlink(generation, join(dir, "..data"));
  await symlink(join("..data", "token"), join(dir, "token"));
  await utimes(join(dir, generation), at, at);
  return join(dir, "token");
}

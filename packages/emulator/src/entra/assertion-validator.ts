// Entra's checks of a federated client assertion, in order: a JWT at all, a federated credential whose issuer,
// subject and audience match exactly, the issuer's keys fetched over HTTPS, the signature by `kid`, the lifetime.
import { compactVerify, createLocalJWKSet, decodeJwt, decodeProtectedHeader, type JWTPayload } from "jose";
import type { ApplicationConfig, EntraSettings } from "../config/emulator-config.js";
import { EntraErrors, type EntraErrorSpec } from "./entra-error.js";
import type { IssuerKeyFetcher } from "./issuer-keys.js";

export interface AssertionCheck {
  assertion: string;
  application: ApplicationConfig;
  /** Issuer of federated credentials that name none: the emulator's own. */
  defaultIssuer: string;
  settings: EntraSettings;
  keys: IssuerKeyFetcher;
  nowSeconds: number;
}

export type AssertionResult = { ok: true; claims: JWTPayload } | { ok: false; error: EntraErrorSpec };

const PER_CLAIM_CODES = { issuer: 700211, audience: 700212, subject: 700213 } as const;

export async function validateAssertion(check: AssertionCheck): Promise<AssertionResult> {
  const { assertion, application } = check;
  let kid: string | undefined;
  let claims: JWTPayload;
  try {
    kid = decodeProtectedHeader(assertion).kid;
    claims = decodeJwt(assertion);
  } catch {
    return fail(EntraErrors.malformedAssertion());
  }
  const { iss, sub } = claims;
  if (typeof iss !== "string" || typeof sub !== "string" || claims.aud === undefined) {
    return fail(EntraErrors.malformedAssertion());
  }
  const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];

  const credentials = application.federatedIdentityCredentials.map((f) => ({
    ...f,
    issuer: f.issuer ?? check.defaultIssuer,
  }));
  if (credentials.length === 0) {
    return fail(EntraErrors.noFederatedCredentials(application.clientId, application.displayName));
  }
  const matched = credentials.some(
    (f) => f.issuer === iss && f.subject === sub && f.audiences.some((a) => audiences.includes(a)),
  );
  if (!matched) return fail(mismatchError(check.settings, credentials, iss, sub, audiences));

  let jwks;
  try {
    jwks = await check.keys.keysFor(iss);
    if (kid === undefined || !jwks.keys.some((k) => k.kid === kid))
      jwks = await check.keys.keysFor(iss, true);
  } catch (error) {
    return fail(EntraErrors.issuerUnreachable(iss, (error as Error).message));
  }
  if (kid === undefined || !jwks.keys.some((k) => k.kid === kid))
    return fail(EntraErrors.keyNotFound(kid ?? "(none)"));

  try {
    await compactVerify(assertion, createLocalJWKSet(jwks), {
      algorithms: ["RS256", "RS384", "RS512", "ES256", "ES384", "ES512", "PS256"],
    });
  } catch {
    return fail(EntraErrors.badSignature());
  }

  const skew = check.settings.clockSkewSeconds;
  const { exp, nbf } = claims;
  const expired = typeof exp !== "number" || check.nowSeconds >= exp + skew;
  const notYetValid = typeof nbf === "number" && check.nowSeconds + skew < nbf;
  if (expired || notYetValid) return fail(EntraErrors.assertionOutsideValidity(check.nowSeconds, nbf, exp));

  return { ok: true, claims };
}

function mismatchError(
  settings: EntraSettings,
  credentials: { issuer: string; subject: string; audiences: string[] }[],
  iss: string,
  sub: string,
  audiences: string[],
): EntraErrorSpec {
  if (settings.federatedErrorStyle === "aadsts70021") {
    return EntraErrors.noMatchingFederatedRecord(iss, sub, audiences.join(","));
  }
  // The newer answers name the first claim that no credential matches.
  const sameIssuer = credentials.filter((f) => f.issuer === iss);
  if (sameIssuer.length === 0)
    return EntraErrors.noMatchingFederatedClaim(PER_CLAIM_CODES.issuer, "issuer", iss);
  if (!sameIssuer.some((f) => f.subject === sub)) {
    return EntraErrors.noMatchingFederatedClaim(PER_CLAIM_CODES.subject, "subject", sub);
  }
  return EntraErrors.noMatchingFederatedClaim(PER_CLAIM_CODES.audience, "audience", audiences.join(","));
}

function fail(error: EntraErrorSpec): AssertionResult {
  return { ok: false, error };
}

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
  /** The binding issuer of a bound application (identity-binding mode), for its `aks-identity-binding` credential. */
  bindingIssuerUrl?: (application: ApplicationConfig) => string | undefined;
  settings: EntraSettings;
  keys: IssuerKeyFetcher;
  /** Now, in milliseconds since the epoch (700024 prints it to the tick). */
  nowMs: number;
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
    issuer:
      f.issuer ??
      (f.identityBinding === true
        ? (check.bindingIssuerUrl?.(application) ?? "(no identity binding issuer)")
        : check.defaultIssuer),
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
  const now = check.nowMs / 1000;
  const expired = typeof exp !== "number" || now >= exp + skew;
  const notYetValid = typeof nbf === "number" && now + skew < nbf;
  if (expired || notYetValid) {
    return fail(
      EntraErrors.assertionOutsideValidity(
        check.nowMs,
        typeof nbf === "number" ? nbf : undefined,
        typeof exp === "number" ? exp : undefined,
      ),
    );
  }

  return { ok: true, claims };
}

function mismatchError(
  settings: EntraSettings,
  credentials: { issuer: string; subject: string; audiences: string[] }[],
  iss: string,
  sub: string,
  audiences: string[],
): EntraErrorSpec {
  const style = settings.federatedErrorStyle;
  if (style === "aadsts70021" || style === "aadsts70021-2022") {
    const error = style === "aadsts70021" ? "invalid_client" : "invalid_request";
    return EntraErrors.noMatchingFederatedRecord(iss, sub, audiences.join(","), error);
  }
  // The per-claim answers name the first claim that no credential matches.
  const wording = style === "per-claim" ? "2025" : "2024";
  const sameIssuer = credentials.filter((f) => f.issuer === iss);
  if (sameIssuer.length === 0)
    return EntraErrors.noMatchingFederatedClaim(PER_CLAIM_CODES.issuer, "issuer", iss, wording);
  if (!sameIssuer.some((f) => f.subject === sub)) {
    // 7002138 came with case-sensitive matching (August 2024); the 2024 wording predates it.
    const lower = sub.toLowerCase();
    if (wording === "2025" && sameIssuer.some((f) => f.subject.toLowerCase() === lower)) {
      return EntraErrors.subjectMatchesOnlyIgnoringCase(sub);
    }
    return EntraErrors.noMatchingFederatedClaim(PER_CLAIM_CODES.subject, "subject", sub, wording);
  }
  return EntraErrors.noMatchingFederatedClaim(
    PER_CLAIM_CODES.audience,
    "audience",
    audiences.join(","),
    wording,
  );
}

function fail(error: EntraErrorSpec): AssertionResult {
  return { ok: false, error };
}

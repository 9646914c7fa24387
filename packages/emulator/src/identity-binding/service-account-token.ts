// The token proxy's check of the pod's projected token, in the order AKS's proxy must apply it: a service account
// token signed by this cluster's issuer, for the identity-binding audience, valid now. (AKS validates it inside the
// cluster; the emulator checks the signature against the cluster issuer's own keys, in process.)
import { compactVerify, createLocalJWKSet, decodeJwt, decodeProtectedHeader, type JWTPayload } from "jose";
import { serviceAccountOf } from "../config/identity-binding-config.js";
import { EntraErrors, type EntraErrorSpec } from "../entra/entra-error.js";
import type { OidcIssuer } from "../issuer/oidc-issuer.js";
import { ProxyRefusals, type ProxyRefusal } from "./proxy-errors.js";

export interface ServiceAccountTokenCheck {
  token: string;
  issuer: OidcIssuer;
  audience: string;
  nowMs: number;
  /** Tolerance for `exp` and `nbf` (the emulated Entra's `clockSkewSeconds`). */
  skewSeconds: number;
}

export type ServiceAccountTokenResult =
  | { ok: true; namespace: string; name: string }
  /** A defect Entra would refuse the same way (not a JWT): answered with Entra's own error. */
  | { ok: false; entra: EntraErrorSpec }
  | { ok: false; refusal: ProxyRefusal };

export async function checkServiceAccountToken(
  check: ServiceAccountTokenCheck,
): Promise<ServiceAccountTokenResult> {
  let claims: JWTPayload;
  try {
    decodeProtectedHeader(check.token);
    claims = decodeJwt(check.token);
  } catch {
    return { ok: false, entra: EntraErrors.malformedAssertion() };
  }

  try {
    await compactVerify(check.token, createLocalJWKSet(await check.issuer.jwks()), { algorithms: ["RS256"] });
  } catch {
    return refuse(ProxyRefusals.badSignature());
  }

  if (claims.iss !== check.issuer.url) {
    return refuse(ProxyRefusals.wrongIssuer(String(claims.iss), check.issuer.url));
  }
  const audiences = Array.isArray(claims.aud) ? claims.aud : claims.aud === undefined ? [] : [claims.aud];
  if (!audiences.includes(check.audience)) {
    return refuse(ProxyRefusals.wrongAudience(audiences.join(","), check.audience));
  }
  const now = check.nowMs / 1000;
  const { exp, nbf } = claims;
  if (
    typeof exp !== "number" ||
    now >= exp + check.skewSeconds ||
    (typeof nbf === "number" && now + check.skewSeconds < nbf)
  ) {
    return refuse(
      ProxyRefusals.outsideLifetime(
        Math.floor(now),
        typeof nbf === "number" ? nbf : undefined,
        typeof exp === "number" ? exp : undefined,
      ),
    );
  }
  const account = serviceAccountOf(String(claims.sub));
  if (!account) return refuse(ProxyRefusals.notServiceAccount(String(claims.sub)));
  return { ok: true, namespace: account[0], name: account[1] };
}

function refuse(refusal: ProxyRefusal): ServiceAccountTokenResult {
  return { ok: false, refusal };
}

// IMDS's success answer, built from the credential's token: every number a string, as IMDS sends them.

export interface ImdsTokenResponse {
  access_token: string;
  client_id: string;
  /** Seconds from now. */
  expires_in: string;
  /** Epoch seconds. */
  expires_on: string;
  ext_expires_in: string;
  /** Epoch seconds: the token's `nbf` when it is a JWT, else now. */
  not_before: string;
  /** Exactly as requested. */
  resource: string;
  token_type: "Bearer";
}

/** What the proxy needs from a credential's answer (an `@azure/core-auth` `AccessToken` fits). */
export interface IssuedToken {
  token: string;
  expiresOnTimestamp: number;
}

/**
 * IMDS takes a v1 resource; Entra's client-credential flow a `RESOURCE/.default` scope. Only "/.default" is
 * appended: the token's `aud` is the resource as written, and Azure SQL accepts only
 * "https://database.windows.net/" (scope "https://database.windows.net//.default"; MSAL.NET #747, #894,
 * azure-sdk-for-go #22957). A value that is already a scope is passed as it is.
 */
export function resourceToScope(resource: string): string {
  return resource.endsWith("/.default") ? resource : `${resource}/.default`;
}

export function toImdsResponse(
  issued: IssuedToken,
  resource: string,
  clientId: string,
  nowMs: number,
): ImdsTokenResponse {
  const now = Math.floor(nowMs / 1000);
  const expiresOn = Math.floor(issued.expiresOnTimestamp / 1000);
  const expiresIn = String(Math.max(0, expiresOn - now));
  return {
    access_token: issued.token,
    client_id: clientId,
    expires_in: expiresIn,
    expires_on: String(expiresOn),
    ext_expires_in: expiresIn,
    not_before: String(notBefore(issued.token) ?? now),
    resource,
    token_type: "Bearer",
  };
}

/** The JWT's `nbf` (else `iat`), read without verifying: the token is only passed on. */
function notBefore(token: string): number | undefined {
  const payload = token.split(".")[1];
  if (payload === undefined) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as unknown;
    if (typeof claims !== "object" || claims === null) return undefined;
    const { nbf, iat } = claims as { nbf?: unknown; iat?: unknown };
    if (typeof nbf === "number" && Number.isFinite(nbf)) return Math.floor(nbf);
    if (typeof iat === "number" && Number.isFinite(iat)) return Math.floor(iat);
  } catch {
    // Not a JWT: fall back to the time of the answer.
  }
  return undefined;
}

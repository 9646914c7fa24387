// The claims of the presented token, decoded but NOT verified, to say in errors what Entra was shown.
// jose is loaded here, on the error path only: importing all of it costs about 20 ms.

export interface PresentedClaims {
  iss?: string;
  sub?: string;
  aud?: string;
  exp?: number;
}

export async function presentedClaims(assertion: string): Promise<PresentedClaims | undefined> {
  const { decodeJwt } = await import("jose");
  try {
    const claims = decodeJwt(assertion);
    return {
      ...(typeof claims.iss === "string" ? { iss: claims.iss } : {}),
      ...(typeof claims.sub === "string" ? { sub: claims.sub } : {}),
      ...(claims.aud !== undefined
        ? { aud: Array.isArray(claims.aud) ? claims.aud.join(",") : claims.aud }
        : {}),
      ...(typeof claims.exp === "number" ? { exp: claims.exp } : {}),
    };
  } catch {
    return undefined;
  }
}

export function describeAssertion(claims: PresentedClaims | undefined): string {
  if (claims === undefined) return "claims unreadable";
  const expiry = claims.exp === undefined ? "" : `, exp '${new Date(claims.exp * 1000).toISOString()}'`;
  return `issuer '${oneLine(claims.iss)}', subject '${oneLine(claims.sub)}', audience '${oneLine(claims.aud)}'${expiry}`;
}

/** Claims come from a file anyone may have written: keep them on one line. */
// eslint-disable-next-line no-control-regex -- control characters are exactly what is replaced
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/g;

function oneLine(value: string | undefined): string {
  if (value === undefined) return "?";
  return value.replace(CONTROL_CHARACTERS, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

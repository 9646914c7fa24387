// The claims of the presented token, decoded but NOT verified, to say in errors what Entra was shown.
// jose is loaded here, on the error path only: importing all of it costs about 20 ms.
import { oneLine } from "./one-line.js";

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
  return `issuer '${shown(claims.iss)}', subject '${shown(claims.sub)}', audience '${shown(claims.aud)}'${expiry}`;
}

/** Claims come from a file anyone may have written: keep them on one line. */
function shown(value: string | undefined): string {
  return value === undefined ? "?" : oneLine(value);
}

// loggingOptions.allowLoggingAccountIdentifiers: the line @azure/identity logs after a token, from the access
// token's own claims (client, tenant, user principal name, object id). Never the token itself.
import { oneLine } from "../errors/one-line.js";

export function accountIdentifiers(accessToken: string): string {
  const claims = payloadOf(accessToken);
  if (claims === undefined) {
    return "allowLoggingAccountIdentifiers is set, but the access token's claims could not be read (not a JWT).";
  }
  const text = (value: unknown) => (typeof value === "string" ? oneLine(value) : "unknown");
  return (
    `[Authenticated account] Client ID: ${text(claims.appid ?? claims.azp)}. Tenant ID: ${text(claims.tid)}. ` +
    `User Principal Name: ${typeof claims.upn === "string" ? oneLine(claims.upn) : "No User Principal Name available"}. ` +
    `Object ID: ${text(claims.oid)}.`
  );
}

function payloadOf(token: string): Record<string, unknown> | undefined {
  const payload = token.split(".")[1];
  if (payload === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
    return typeof parsed === "object" && parsed !== null ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

// Fetches the issuer's JWKS and checks that it holds the token's `kid` and that the signature verifies with it:
// what Entra does before it accepts the token (a failure here is AADSTS700027, an unreachable JWKS AADSTS90061).
import { compactVerify, createLocalJWKSet, type JSONWebKeySet } from "jose";
import { oneLine } from "../../lib/one-line.js";
import { redactUrl } from "../../lib/redact-url.js";
import type { FetchJson } from "../fetch-json.js";
import type { CheckResult } from "../types.js";
import { UNREACHABLE_FIX } from "./issuer-discovery.js";

const KEYS_FIX =
  "the cluster signs tokens with a key its published JWKS lacks (AADSTS700027): after rotating the service-account signing key, publish the new JWKS (`workload-identity jwks --public-keys ...`) and keep the old key in it until its tokens expire";

export async function checkIssuerJwks(
  jwksUri: string,
  token: string,
  kid: string | undefined,
  fetchJson: FetchJson,
  timeoutMs: number,
): Promise<CheckResult> {
  // Shown without a query or credentials (a SAS token), fetched as it is.
  const shown = redactUrl(jwksUri);
  const details: Record<string, unknown> = { url: shown };
  const fail = (code: string, message: string, fix: string): CheckResult => ({
    id: "issuer-jwks",
    status: "fail",
    code,
    message: oneLine(message),
    fix,
    details,
  });

  let document: unknown;
  try {
    document = await fetchJson(jwksUri, timeoutMs);
  } catch (error) {
    return fail("ERR_JWKS_UNREACHABLE", (error as Error).message, UNREACHABLE_FIX);
  }
  const keys = (document as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(keys))
    return fail("ERR_JWKS_INVALID", `${shown} is not a JWKS (no keys array)`, KEYS_FIX);
  const kids = keys.map((key) => (key as { kid?: unknown } | null)?.kid);
  Object.assign(details, { kids });
  const count = `${keys.length} key${keys.length === 1 ? "" : "s"}`;
  if (kid === undefined) {
    return fail(
      "ERR_NO_KID",
      `the token has no kid, so Entra cannot pick one of the ${count} of ${shown}`,
      KEYS_FIX,
    );
  }
  if (!kids.includes(kid)) {
    const listed = kids.map((k) => JSON.stringify(k)).join(", ");
    return fail(
      "ERR_KID_NOT_IN_JWKS",
      `kid ${kid} is not among the ${count} of ${shown} (${listed})`,
      KEYS_FIX,
    );
  }
  try {
    await compactVerify(token, createLocalJWKSet(document as JSONWebKeySet));
  } catch (error) {
    const reason = (error as { code?: string }).code ?? (error as Error).name;
    return fail(
      "ERR_SIGNATURE_INVALID",
      `the token's signature does not verify with kid ${kid} (${reason})`,
      KEYS_FIX,
    );
  }
  return {
    id: "issuer-jwks",
    status: "pass",
    message: oneLine(`${shown} holds kid ${kid} (${count}) and the token's signature verifies with it`),
    details,
  };
}

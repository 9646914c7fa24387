// Fetches the issuer's discovery document as Entra does ({iss without trailing slash}/.well-known/openid-configuration)
// and checks that it names the token's issuer exactly and points at a JWKS.
import { oneLine } from "../../lib/one-line.js";
import { redactUrl } from "../../lib/redact-url.js";
import type { FetchJson } from "../fetch-json.js";
import type { CheckResult } from "../types.js";

export interface DiscoveryOutcome {
  result: CheckResult;
  /** Where the JWKS is, when the document says so (even if its issuer differs). */
  jwksUri?: string;
}

export const UNREACHABLE_FIX =
  "Entra must fetch the discovery document and JWKS over HTTPS from the internet (else AADSTS90061): on AKS enable the OIDC issuer, on a self-managed cluster publish the output of `workload-identity issuer-docs` at the issuer URL";

export function discoveryUrlOf(issuer: string): string {
  return `${issuer.replace(/\/+$/, "")}/.well-known/openid-configuration`;
}

export async function checkIssuerDiscovery(
  issuer: string,
  fetchJson: FetchJson,
  timeoutMs: number,
): Promise<DiscoveryOutcome> {
  const url = discoveryUrlOf(issuer);
  // The report shows URLs redacted (a jwks_uri may carry a SAS token); the fetches use them as they are.
  const shown = redactUrl(url);
  const details: Record<string, unknown> = { url: shown };
  const fail = (code: string, message: string, fix: string): CheckResult => ({
    id: "issuer-discovery",
    status: "fail",
    code,
    message: oneLine(message),
    fix,
    details,
  });

  let document: unknown;
  try {
    document = await fetchJson(url, timeoutMs);
  } catch (error) {
    return { result: fail("ERR_ISSUER_UNREACHABLE", (error as Error).message, UNREACHABLE_FIX) };
  }
  if (typeof document !== "object" || document === null) {
    return { result: fail("ERR_DISCOVERY_INVALID", `${shown} is not a JSON object`, UNREACHABLE_FIX) };
  }
  const { issuer: published, jwks_uri: jwksUri } = document as Record<string, unknown>;
  Object.assign(details, { issuer: redacted(published), jwksUri: redacted(jwksUri) });
  const jwks = typeof jwksUri === "string" && jwksUri.startsWith("https://") ? { jwksUri } : {};
  if (typeof jwksUri !== "string") {
    return { result: fail("ERR_DISCOVERY_INVALID", `${shown} has no jwks_uri`, UNREACHABLE_FIX) };
  }
  if (published !== issuer) {
    const slashOnly =
      typeof published === "string" && published.replace(/\/+$/, "") === issuer.replace(/\/+$/, "");
    const message = `${shown} names the issuer ${JSON.stringify(redacted(published))}, but the token's iss is ${JSON.stringify(redactUrl(issuer))}${slashOnly ? " (they differ by the trailing slash)" : ""}`;
    const fix =
      "the discovery document's issuer must equal the token's iss character for character: make kube-apiserver's --service-account-issuer and the published document agree (regenerate it with `workload-identity issuer-docs --issuer-url <iss>`)";
    return { result: fail("ERR_ISSUER_MISMATCH", message, fix), ...jwks };
  }
  if (!jwksUri.startsWith("https://")) {
    return {
      result: fail("ERR_DISCOVERY_INVALID", `jwks_uri ${redactUrl(jwksUri)} is not https`, UNREACHABLE_FIX),
    };
  }
  const message = `${shown} names the token's issuer and the JWKS ${redactUrl(jwksUri)}`;
  return { result: { id: "issuer-discovery", status: "pass", message: oneLine(message), details }, jwksUri };
}

/** A document's value for the report: a string redacted as a URL, anything else as it is. */
function redacted(value: unknown): unknown {
  return typeof value === "string" ? redactUrl(value) : value;
}

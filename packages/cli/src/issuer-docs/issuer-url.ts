// Validates the issuer URL of a self-managed cluster: the exact string kube-apiserver's
// --service-account-issuer holds, which every token's `iss` and the discovery document repeat.
import { WorkloadIdentityCliError } from "../errors.js";
import { redactUrl } from "../lib/redact-url.js";

export interface IssuerUrl {
  /** As given (trimmed): Entra compares it with the token's `iss` character for character. */
  issuer: string;
  /** Where the JWKS is published: `{issuer without trailing slash}/openid/v1/jwks`, as kube-apiserver says. */
  jwksUri: string;
  /** Problems that do not stop the documents from being written (http instead of https). */
  warnings: string[];
}

export function parseIssuerUrl(value: string): IssuerUrl {
  const issuer = value.trim();
  // Every message shows the URL without its credentials, query and fragment, which may hold secrets.
  const shown = JSON.stringify(redactUrl(issuer));
  let url: URL;
  try {
    url = new URL(issuer);
  } catch {
    throw invalid(
      `${shown} is not a URL; pass the cluster's --service-account-issuer, e.g. https://example.blob.core.windows.net/oidc/`,
    );
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw invalid(`${shown} must be an https URL`);
  }
  if (url.username !== "" || url.password !== "") {
    throw invalid(`${shown} must not contain credentials; Entra fetches the documents anonymously`);
  }
  if (issuer.includes("?") || issuer.includes("#")) {
    throw invalid(`${shown} must not have a query or fragment (OpenID Connect Discovery 1.0, section 3)`);
  }
  const warnings =
    url.protocol === "https:"
      ? []
      : [
          `the issuer URL ${shown} is not https: Entra fetches the discovery document and JWKS over HTTPS only, so token exchanges will fail with AADSTS90061; publish the documents behind https`,
        ];
  return { issuer, jwksUri: `${issuer.replace(/\/+$/, "")}/openid/v1/jwks`, warnings };
}

function invalid(problem: string): WorkloadIdentityCliError {
  return new WorkloadIdentityCliError("ERR_INVALID_ISSUER_URL", `The issuer URL ${problem}.`);
}

// Turns a failed token request into a typed error whose one-line message names the likely fix.
// AADSTS codes: see DESIGN.md's table; both the 70021 form and the newer per-claim forms are understood.
import {
  AuthenticationError,
  WorkloadIdentityError,
  type EntraErrorCode,
  type EntraErrorResponse,
} from "./errors.js";
import {
  AZURE_KUBERNETES_CA_DATA,
  AZURE_KUBERNETES_CA_FILE,
  AZURE_KUBERNETES_SNI_NAME,
  AZURE_KUBERNETES_TOKEN_PROXY,
} from "../config/token-proxy.js";
import type { TokenRequestFailure } from "../network/exchange-context.js";
import type { TokenProxyDescription } from "../network/token-proxy-route.js";
import { errorCode } from "../network/transport.js";
import { oneLine } from "./one-line.js";
import { describeAssertion, type PresentedClaims } from "./presented-claims.js";

interface Mapping {
  code: EntraErrorCode;
  hint: (claims: PresentedClaims | undefined, response: EntraErrorResponse) => string;
}

/** Entra takes seconds to minutes to see a new federated credential (Microsoft's docs say so). */
const PROPAGATION = "a credential created in the last few minutes may still be propagating in Entra";

const FEDERATION_MISMATCH: Mapping = {
  code: "ERR_FEDERATED_CREDENTIAL_MISMATCH",
  hint: (claims) =>
    `No federated identity credential matches the presented token (${describeAssertion(claims)}). ` +
    "The issuer, subject (system:serviceaccount:NAMESPACE:SERVICE_ACCOUNT) and audience must match exactly, " +
    `case included; ${
      claims?.iss?.endsWith("/")
        ? "the presented issuer ends with a trailing slash (as AKS issuers do): the credential's issuer needs it too"
        : "check the credential's issuer for a trailing-slash difference"
    }; ${PROPAGATION}.`,
};

const BY_AADSTS: Record<number, Mapping> = {
  90002: {
    code: "ERR_UNKNOWN_TENANT",
    hint: () =>
      "The tenant does not exist in this cloud: check AZURE_TENANT_ID (or tenantId) and AZURE_AUTHORITY_HOST.",
  },
  700016: {
    code: "ERR_UNKNOWN_CLIENT",
    hint: () =>
      "No application with this client id in the tenant: check the service account's azure.workload.identity/client-id annotation and AZURE_TENANT_ID.",
  },
  1002012: {
    code: "ERR_INVALID_SCOPE",
    hint: () => 'Client-credential scopes must end in "/.default", e.g. "https://vault.azure.net/.default".',
  },
  70011: {
    code: "ERR_INVALID_SCOPE",
    hint: () => "Ask for one resource per token request, as RESOURCE/.default.",
  },
  500011: {
    code: "ERR_UNKNOWN_RESOURCE",
    hint: () => "The tenant does not know this resource: check the scope for a typo.",
  },
  50027: {
    code: "ERR_ASSERTION_MALFORMED",
    hint: () =>
      "Entra could not read the projected token as a JWT: check AZURE_FEDERATED_TOKEN_FILE points at the service-account token.",
  },
  700024: {
    code: "ERR_ASSERTION_EXPIRED",
    hint: (claims) =>
      `The projected token was expired or not yet valid (${describeAssertion(claims)}): the token file is stale; is kubelet still rotating it?`,
  },
  70025: {
    code: "ERR_NO_FEDERATED_CREDENTIAL",
    hint: () =>
      `The application has no federated identity credential: create one for the cluster's issuer and system:serviceaccount:NAMESPACE:SERVICE_ACCOUNT (${PROPAGATION}).`,
  },
  70021: FEDERATION_MISMATCH,
  90061: {
    code: "ERR_ISSUER_UNREACHABLE",
    hint: (claims) =>
      `Entra could not fetch the issuer's discovery document or JWKS${claims?.iss ? ` from ${claims.iss}` : ""}: the cluster's OIDC issuer must be publicly reachable over HTTPS.`,
  },
  50166: {
    code: "ERR_ISSUER_UNREACHABLE",
    hint: (claims) =>
      `Entra could not reach the issuer${claims?.iss ? ` ${claims.iss}` : ""}: the cluster's OIDC discovery document and JWKS must be publicly reachable.`,
  },
  700027: {
    code: "ERR_ASSERTION_SIGNATURE",
    hint: () =>
      "The token's signature does not verify against the issuer's JWKS: if the cluster's signing keys rotated, publish the new keys in the JWKS.",
  },
};

/** 70021x and 70021xx are the newer per-claim forms of 70021 (700211 issuer, 700212 audience, 700213/7002138 subject...). */
function mappingFor(aadsts: number | undefined): Mapping | undefined {
  if (aadsts === undefined) return undefined;
  if (BY_AADSTS[aadsts]) return BY_AADSTS[aadsts];
  return /^70021\d+$/.test(String(aadsts)) ? FEDERATION_MISMATCH : undefined;
}

/** @param route where the request went in an identity-binding pod (the token proxy), else undefined */
export function mapTokenFailure(
  failure: TokenRequestFailure,
  claims: PresentedClaims | undefined,
  route?: TokenProxyDescription,
): WorkloadIdentityError {
  if (failure.kind === "network") {
    // fetch puts ECONNRESET and friends on `cause`; an error without any code says it in its message.
    const code = errorCode(failure.error);
    const reason = code === failure.error.name ? failure.error.message : code;
    const path =
      route === undefined
        ? "the authority host"
        : `the token proxy ${oneLine(route.base)} (${AZURE_KUBERNETES_TOKEN_PROXY}; is the cluster's identity-binding proxy running?)`;
    return new WorkloadIdentityError(
      "ERR_NETWORK",
      `The token request failed after ${failure.attempts} attempt(s): ${reason}; check the network path to ${path} (and HTTPS_PROXY/NO_PROXY).`,
      {
        cause: failure.error,
      },
    );
  }
  if (failure.kind === "tls") return tokenProxyTlsError(failure.error, route);
  if (route !== undefined && failure.kind === "http" && failure.status === 403) {
    // The proxy's refusal of a service account that may not use the client id: its body is not documented
    // publicly, so it is recognised by its status alone.
    return new AuthenticationError(
      "ERR_TOKEN_PROXY_FORBIDDEN",
      `The token proxy ${oneLine(route.base)} refused the request (HTTP 403): the pod's service account is likely not allowed to use this client id. An identity binding needs a ClusterRole granting the verb use-managed-identity on apiGroup cid.wi.aks.azure.com, resource <the client id>, and a ClusterRoleBinding of it to the service account.`,
      { statusCode: 403, ...optionalResponse(parseEntraError(failure.body)) },
    );
  }
  if (failure.kind === "proxy") {
    const fix =
      failure.status === 407
        ? ` (Proxy Authentication Required): put the proxy's user name and password in ${failure.variable} (http://user:password@host:port)`
        : `: check that the proxy in ${failure.variable} allows the authority host, or list the host in NO_PROXY`;
    return new WorkloadIdentityError(
      "ERR_PROXY_REFUSED",
      `The proxy in ${failure.variable} refused the token request with HTTP ${failure.status}${fix}.`,
    );
  }
  if (failure.kind === "aborted") {
    return new WorkloadIdentityError(
      "ERR_TIMEOUT",
      `The token request was stopped after ${failure.attempts} attempt(s).`,
      { cause: failure.reason },
    );
  }
  const response = parseEntraError(failure.body);
  if (response === undefined) {
    if (failure.status >= 200 && failure.status < 300) {
      return new WorkloadIdentityError(
        "ERR_INVALID_RESPONSE",
        `The token endpoint answered ${failure.status} with a body that is not JSON; is AZURE_AUTHORITY_HOST an Entra authority?`,
      );
    }
    const kind = /^\s*</.test(failure.body) ? "an HTML page" : "a body that is not Entra's JSON error";
    return new AuthenticationError(
      unavailable(failure.status) ? "ERR_ENTRA_UNAVAILABLE" : "ERR_ENTRA_REJECTED",
      `The token endpoint answered HTTP ${failure.status} with ${kind}; is AZURE_AUTHORITY_HOST an Entra authority (or is a proxy in the way)?`,
      {
        statusCode: failure.status,
      },
    );
  }
  const aadsts = response.errorCodes[0];
  const mapping = mappingFor(aadsts);
  // Entra's words, on one line whatever characters they hold (a lone \r, U+2028...).
  const firstLine = oneLine(messageOf(response.errorDescription) || response.error);
  const correlation = response.correlationId ? ` (correlation id ${oneLine(response.correlationId)})` : "";
  if (mapping) {
    return new AuthenticationError(
      mapping.code,
      `${mapping.hint(claims, response)} Entra said: ${firstLine}${correlation}`,
      {
        statusCode: failure.status,
        errorResponse: response,
      },
    );
  }
  const code = unavailable(failure.status) ? "ERR_ENTRA_UNAVAILABLE" : "ERR_ENTRA_REJECTED";
  const retried = unavailable(failure.status) ? ` after ${failure.attempts} attempt(s)` : "";
  // Through an identity binding, an answer without an AADSTS number is the token proxy's own refusal, not Entra's.
  const proxyOwn = route !== undefined && response.errorCodes.length === 0;
  const who = proxyOwn ? `The token proxy ${oneLine(route.base)}` : "Entra";
  const hint =
    proxyOwn && failure.status === 401
      ? ' (the projected token must be for api://AKSIdentityBinding: is the pod annotated azure.workload.identity/use-identity-binding: "true"?)'
      : "";
  return new AuthenticationError(
    code,
    `${who} answered HTTP ${failure.status}${retried}: ${firstLine}${correlation}${hint}`,
    {
      statusCode: failure.status,
      errorResponse: response,
    },
  );
}

/** A certificate from the token proxy that does not verify, with what the pod gave to check it. */
function tokenProxyTlsError(error: Error, route: TokenProxyDescription | undefined): WorkloadIdentityError {
  const code = errorCode(error);
  const proxy = route === undefined ? "the token proxy" : `the token proxy ${oneLine(route.base)}`;
  const sni = route?.sniName;
  const trust =
    route?.caVariable === AZURE_KUBERNETES_CA_FILE
      ? `its certificate does not chain to the CA in ${AZURE_KUBERNETES_CA_FILE} (${oneLine(route.caPath ?? "")}), read again after the failure; check that the projected CA is current`
      : route?.caVariable === AZURE_KUBERNETES_CA_DATA
        ? `its certificate does not chain to the CA in ${AZURE_KUBERNETES_CA_DATA}, which cannot follow a rotation: recreate the pod (or use ${AZURE_KUBERNETES_CA_FILE}) to get the current CA`
        : `its certificate does not chain to a CA in the system trust store (neither ${AZURE_KUBERNETES_CA_FILE} nor ${AZURE_KUBERNETES_CA_DATA} is set)`;
  const problem =
    code === "ERR_TLS_CERT_ALTNAME_INVALID"
      ? `its certificate is not valid for the server name ${sni === undefined ? "in the URL" : `${oneLine(sni)} (${AZURE_KUBERNETES_SNI_NAME})`}`
      : code === "CERT_HAS_EXPIRED" || code === "CERT_NOT_YET_VALID"
        ? `its certificate is ${code === "CERT_HAS_EXPIRED" ? "expired" : "not yet valid"}`
        : trust;
  return new WorkloadIdentityError("ERR_TOKEN_PROXY_TLS", `TLS to ${proxy} failed (${code}): ${problem}.`, {
    cause: error,
  });
}

function optionalResponse(response: EntraErrorResponse | undefined): { errorResponse?: EntraErrorResponse } {
  return response === undefined ? {} : { errorResponse: response };
}

/**
 * Entra's message without its trailer: "Trace ID: ... Correlation ID: ... Timestamp: ..." follows the message
 * after "\r\n" in answers up to 2023 and after a single space since (the credential names the correlation id itself).
 */
function messageOf(description: string): string {
  const trailer = description.search(/\s*Trace ID:/);
  const message = trailer === -1 ? description : description.slice(0, trailer);
  return (message.split(/\r?\n/)[0] ?? "").trim();
}

function unavailable(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

function parseEntraError(body: string): EntraErrorResponse | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (typeof parsed !== "object" || parsed === null) return undefined;
  const raw = parsed as Record<string, unknown>;
  if (typeof raw.error !== "string") return undefined;
  const description = typeof raw.error_description === "string" ? raw.error_description : raw.error;
  const codes = Array.isArray(raw.error_codes)
    ? raw.error_codes.filter((c): c is number => typeof c === "number")
    : [];
  const fromText = /^AADSTS(\d+):/.exec(description)?.[1];
  return {
    error: raw.error,
    errorDescription: description,
    errorCodes: codes.length > 0 ? codes : fromText ? [Number(fromText)] : [],
    ...(typeof raw.correlation_id === "string" ? { correlationId: raw.correlation_id } : {}),
    ...(typeof raw.trace_id === "string" ? { traceId: raw.trace_id } : {}),
    ...(typeof raw.timestamp === "string" ? { timestamp: raw.timestamp } : {}),
  };
}

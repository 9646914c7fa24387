// What to do about each of the credential's error codes, for the token-exchange line. The credential's own
// message already says what was presented; these hints say where to look.
import type { WorkloadIdentityErrorCode } from "@workload-identity/credential";

/** Typed by code: a new code in the credential does not build until it has a hint here (or an explicit none). */
const HINTS: Record<WorkloadIdentityErrorCode, string | undefined> = {
  ERR_MISSING_CONFIGURATION:
    'label the pod template azure.workload.identity/use: "true" and annotate its service account azure.workload.identity/client-id',
  ERR_INVALID_CONFIGURATION: "fix the variable named in the message (see the AZURE_* lines above)",
  ERR_TENANT_NOT_ALLOWED:
    "ask for a token in AZURE_TENANT_ID's tenant, or list the tenant in AZURE_ADDITIONALLY_ALLOWED_TENANTS",
  // No hint: the token file line above names the fix, from the same reader.
  ERR_TOKEN_FILE_NOT_FOUND: undefined,
  ERR_TOKEN_FILE_PERMISSION_DENIED: undefined,
  ERR_TOKEN_FILE_NOT_A_FILE: undefined,
  ERR_TOKEN_FILE_EMPTY: undefined,
  ERR_TOKEN_FILE_TOO_LARGE: undefined,
  ERR_TOKEN_FILE_NOT_A_JWT: undefined,
  ERR_TOKEN_FILE_UNREADABLE: undefined,
  ERR_UNKNOWN_TENANT:
    "check AZURE_TENANT_ID (the service account's azure.workload.identity/tenant-id annotation or the webhook's tenant) and the cloud of AZURE_AUTHORITY_HOST",
  ERR_UNKNOWN_CLIENT:
    "check the service account's azure.workload.identity/client-id annotation: the application (client) id must exist in that tenant",
  ERR_INVALID_SCOPE:
    "pass one resource ending in /.default, e.g. --scope https://management.azure.com/.default",
  ERR_UNKNOWN_RESOURCE: "check --scope: the resource is unknown in the tenant",
  ERR_ASSERTION_MALFORMED: "the token file does not hold the projected service-account token",
  ERR_ASSERTION_EXPIRED:
    "the token file holds an expired token: check that kubelet rotates it (node clock, no subPath mount)",
  ERR_NO_FEDERATED_CREDENTIAL:
    "create a federated identity credential on the identity with the issuer, subject and audience shown on the token claims line (one created in the last few minutes may still be propagating: run doctor again)",
  ERR_FEDERATED_CREDENTIAL_MISMATCH:
    "make the federated identity credential's issuer (exact, trailing slash included), subject (case-sensitive) and audience equal the token claims line above (az identity federated-credential list); one created in the last few minutes may still be propagating: run doctor again",
  ERR_ISSUER_UNREACHABLE:
    "Entra could not fetch the issuer's discovery document or JWKS (AADSTS90061): publish them over HTTPS where the internet reaches them",
  ERR_ASSERTION_SIGNATURE:
    "the published JWKS lacks the cluster's current signing key (AADSTS700027): publish it with `workload-identity jwks`",
  ERR_ENTRA_REJECTED:
    "see Entra's words in the message; https://login.microsoftonline.com/error?code=NUMBER explains its AADSTS number",
  ERR_ENTRA_UNAVAILABLE: "Entra is failing or throttling: try again later",
  ERR_TOKEN_PROXY_FORBIDDEN:
    "let the service account use the identity: a ClusterRole granting use-managed-identity on apiGroup cid.wi.aks.azure.com, resource <client id>, and a ClusterRoleBinding to the service account",
  ERR_TOKEN_PROXY_TLS:
    "the identity binding's CA (AZURE_KUBERNETES_CA_FILE or _CA_DATA) or server name (AZURE_KUBERNETES_SNI_NAME) does not match the token proxy: recreate the pod so the webhook injects current ones",
  ERR_PROXY_REFUSED:
    "fix the proxy variable named in the message (credentials for a 407), or list the authority host in NO_PROXY",
  ERR_NETWORK:
    "check that this pod reaches AZURE_AUTHORITY_HOST over HTTPS (egress rules, firewall, HTTPS_PROXY and NO_PROXY)",
  ERR_TIMEOUT:
    "check that this pod reaches AZURE_AUTHORITY_HOST over HTTPS (egress rules, firewall, HTTPS_PROXY and NO_PROXY), or raise --timeout-ms",
  ERR_INVALID_RESPONSE:
    "check that AZURE_AUTHORITY_HOST is an Entra authority (https://login.microsoftonline.com/ or your cloud's) and that no proxy answers in its place",
};

/**
 * Through an identity binding's token proxy, the network path to check is the proxy's, not the authority host's
 * (the credential's message names AZURE_KUBERNETES_TOKEN_PROXY too), and a refusal may be the proxy's.
 */
const TOKEN_PROXY_HINTS: Partial<Record<WorkloadIdentityErrorCode, string>> = {
  ERR_NETWORK:
    "check that this pod reaches the token proxy in AZURE_KUBERNETES_TOKEN_PROXY (see the token proxy TLS line above; network policies, HTTPS_PROXY and NO_PROXY)",
  ERR_TIMEOUT:
    "check that this pod reaches the token proxy in AZURE_KUBERNETES_TOKEN_PROXY (see the token proxy TLS line above; network policies, HTTPS_PROXY and NO_PROXY), or raise --timeout-ms",
  ERR_INVALID_RESPONSE:
    "check that AZURE_KUBERNETES_TOKEN_PROXY is the cluster's token proxy and that no proxy answers in its place",
  // The proxy's own refusals come in Entra's envelope without an AADSTS number, so they arrive as Entra's.
  ERR_ENTRA_REJECTED:
    "see the words in the message: a refusal without an AADSTS number is the token proxy's own (the token claims line above shows the audience it needs), one with a number is Entra's (https://login.microsoftonline.com/error?code=NUMBER explains it)",
};

/** @param viaTokenProxy the exchange went through an identity binding's token proxy */
export function exchangeHint(code: WorkloadIdentityErrorCode, viaTokenProxy = false): string | undefined {
  return (viaTokenProxy ? TOKEN_PROXY_HINTS[code] : undefined) ?? HINTS[code];
}

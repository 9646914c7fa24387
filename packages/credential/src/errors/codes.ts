// Every error code, grouped by the class that owns it, and the one table that says what kind of failure each is.

/** CredentialUnavailableError: Workload Identity is not configured here, or not for that tenant. */
export type ConfigurationErrorCode =
  "ERR_MISSING_CONFIGURATION" | "ERR_INVALID_CONFIGURATION" | "ERR_TENANT_NOT_ALLOWED";

/**
 * TokenFileUnavailableError (named CredentialUnavailableError, so chains move on): there is no token file this
 * process can use at the path, so Workload Identity is not available here (a laptop with a copied environment).
 */
export type TokenFileUnavailableCode =
  "ERR_TOKEN_FILE_NOT_FOUND" | "ERR_TOKEN_FILE_PERMISSION_DENIED" | "ERR_TOKEN_FILE_NOT_A_FILE";

/**
 * TokenFileError: the file is there but what it holds cannot be used. A hard error: a rotation glitch must not
 * make a chain switch to another identity.
 */
export type TokenFileContentCode =
  | "ERR_TOKEN_FILE_EMPTY"
  | "ERR_TOKEN_FILE_TOO_LARGE"
  | "ERR_TOKEN_FILE_NOT_A_JWT"
  | "ERR_TOKEN_FILE_UNREADABLE";

/** Every token-file code (category `token-file`), whichever class carries it. */
export type TokenFileErrorCode = TokenFileUnavailableCode | TokenFileContentCode;

/**
 * AuthenticationError: Entra answered with an error. `ERR_INVALID_SCOPE` is shared with RequestErrorCode: the
 * same mistake, caught by the credential before the request or by Entra (AADSTS1002012, 70011).
 */
export type EntraErrorCode =
  | "ERR_UNKNOWN_TENANT"
  | "ERR_UNKNOWN_CLIENT"
  | "ERR_INVALID_SCOPE"
  | "ERR_UNKNOWN_RESOURCE"
  | "ERR_ASSERTION_MALFORMED"
  | "ERR_ASSERTION_EXPIRED"
  | "ERR_NO_FEDERATED_CREDENTIAL"
  | "ERR_FEDERATED_CREDENTIAL_MISMATCH"
  | "ERR_ISSUER_UNREACHABLE"
  | "ERR_ASSERTION_SIGNATURE"
  | "ERR_ENTRA_REJECTED"
  | "ERR_ENTRA_UNAVAILABLE"
  /** An identity binding's token proxy refused (403): the service account may not use this client id. */
  | "ERR_TOKEN_PROXY_FORBIDDEN";

/** WorkloadIdentityError itself: the request, its transport and the answer's shape. */
export type RequestErrorCode =
  | "ERR_INVALID_SCOPE"
  | "ERR_NETWORK"
  | "ERR_PROXY_REFUSED"
  | "ERR_INVALID_RESPONSE"
  | "ERR_TIMEOUT"
  /** An identity binding's token proxy presented a certificate that does not verify (CA or server name). */
  | "ERR_TOKEN_PROXY_TLS";

export type WorkloadIdentityErrorCode =
  ConfigurationErrorCode | TokenFileErrorCode | EntraErrorCode | RequestErrorCode;

/**
 * Where the fix is:
 * - `configuration`: the pod's environment or the credential's options (variables, proxy settings);
 * - `token-file`: the projected service-account token;
 * - `rejected`: Entra refused the identity or the presented token (app registration, federated credential, issuer);
 * - `request`: what the caller asked for (the scope or resource);
 * - `unavailable`: no usable answer from Entra after the credential's retries (Entra failing or throttling, no
 *   route to it, or something else answering in its place).
 */
export type WorkloadIdentityErrorCategory =
  "configuration" | "token-file" | "rejected" | "request" | "unavailable";

/** Each code's category. Typed by code, so a new code does not build until it has one. */
export const errorCategories: Readonly<Record<WorkloadIdentityErrorCode, WorkloadIdentityErrorCategory>> =
  Object.freeze({
    ERR_MISSING_CONFIGURATION: "configuration",
    ERR_INVALID_CONFIGURATION: "configuration",
    ERR_TENANT_NOT_ALLOWED: "configuration",

    ERR_TOKEN_FILE_NOT_FOUND: "token-file",
    ERR_TOKEN_FILE_PERMISSION_DENIED: "token-file",
    ERR_TOKEN_FILE_NOT_A_FILE: "token-file",
    ERR_TOKEN_FILE_EMPTY: "token-file",
    ERR_TOKEN_FILE_TOO_LARGE: "token-file",
    ERR_TOKEN_FILE_NOT_A_JWT: "token-file",
    ERR_TOKEN_FILE_UNREADABLE: "token-file",

    ERR_UNKNOWN_TENANT: "rejected",
    // The client id is the pod's (AZURE_CLIENT_ID) unless a caller chose it: a caller that did may treat it as `request`.
    ERR_UNKNOWN_CLIENT: "rejected",
    ERR_ASSERTION_MALFORMED: "rejected",
    ERR_ASSERTION_EXPIRED: "rejected",
    ERR_NO_FEDERATED_CREDENTIAL: "rejected",
    ERR_FEDERATED_CREDENTIAL_MISMATCH: "rejected",
    ERR_ISSUER_UNREACHABLE: "rejected",
    ERR_ASSERTION_SIGNATURE: "rejected",
    ERR_ENTRA_REJECTED: "rejected",
    // The cluster's RBAC, not Entra, said no: fixed with a ClusterRole and ClusterRoleBinding.
    ERR_TOKEN_PROXY_FORBIDDEN: "rejected",

    ERR_INVALID_SCOPE: "request",
    ERR_UNKNOWN_RESOURCE: "request",

    // A proxy that refuses is fixed in HTTPS_PROXY or NO_PROXY; the credential does not retry it.
    ERR_PROXY_REFUSED: "configuration",
    // The pod's AZURE_KUBERNETES_CA_FILE/_CA_DATA or AZURE_KUBERNETES_SNI_NAME do not match the proxy.
    ERR_TOKEN_PROXY_TLS: "configuration",

    ERR_ENTRA_UNAVAILABLE: "unavailable",
    ERR_NETWORK: "unavailable",
    ERR_TIMEOUT: "unavailable",
    // Something other than Entra's token endpoint answered (or MSAL failed on the answer): a bad gateway.
    ERR_INVALID_RESPONSE: "unavailable",
  });

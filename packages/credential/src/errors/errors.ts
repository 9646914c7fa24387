// The error family: a stable `code` to switch on, a one-line message that names the fix, the cause kept.
// Messages never contain a token, an assertion or a secret; decoded claims may be shown.

export type WorkloadIdentityErrorCode =
  // configuration (CredentialUnavailableError)
  | "ERR_MISSING_CONFIGURATION"
  | "ERR_INVALID_CONFIGURATION"
  | "ERR_TENANT_NOT_ALLOWED"
  // the projected token file
  | "ERR_TOKEN_FILE_NOT_FOUND"
  | "ERR_TOKEN_FILE_PERMISSION_DENIED"
  | "ERR_TOKEN_FILE_NOT_A_FILE"
  | "ERR_TOKEN_FILE_EMPTY"
  | "ERR_TOKEN_FILE_TOO_LARGE"
  | "ERR_TOKEN_FILE_NOT_A_JWT"
  | "ERR_TOKEN_FILE_UNREADABLE"
  // Entra's answers (AuthenticationError)
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
  // transport and responses
  | "ERR_NETWORK"
  | "ERR_PROXY_REFUSED"
  | "ERR_INVALID_RESPONSE"
  | "ERR_TIMEOUT";

export class WorkloadIdentityError extends Error {
  readonly code: WorkloadIdentityErrorCode;

  constructor(code: WorkloadIdentityErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "WorkloadIdentityError";
    this.code = code;
  }
}

/**
 * The credential cannot work here (not configured, or not allowed for that tenant). Its `name` is
 * `CredentialUnavailableError`, so `ChainedTokenCredential` and DefaultAzureCredential-style chains move on.
 */
export class CredentialUnavailableError extends WorkloadIdentityError {
  constructor(code: WorkloadIdentityErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.name = "CredentialUnavailableError";
  }
}

/** The projected service-account token could not be used as an assertion. */
export class TokenFileError extends WorkloadIdentityError {
  readonly path: string;

  constructor(code: WorkloadIdentityErrorCode, path: string, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.name = "TokenFileError";
    this.path = path;
  }
}

/** Entra's error answer, parsed. */
export interface EntraErrorResponse {
  error: string;
  errorDescription: string;
  errorCodes: number[];
  correlationId?: string;
  traceId?: string;
  timestamp?: string;
}

/** Entra answered the token request with an error. `name` is `AuthenticationError`, as in @azure/identity. */
export class AuthenticationError extends WorkloadIdentityError {
  readonly statusCode: number;
  /** The AADSTS number, e.g. 700213. */
  readonly aadstsCode: number | undefined;
  readonly correlationId: string | undefined;
  readonly errorResponse: EntraErrorResponse | undefined;

  constructor(
    code: WorkloadIdentityErrorCode,
    message: string,
    details: { statusCode: number; errorResponse?: EntraErrorResponse; cause?: unknown },
  ) {
    super(code, message, { cause: details.cause });
    this.name = "AuthenticationError";
    this.statusCode = details.statusCode;
    this.errorResponse = details.errorResponse;
    this.aadstsCode = details.errorResponse?.errorCodes[0];
    this.correlationId = details.errorResponse?.correlationId;
  }
}

/** The same error a `fetch` raises on abort, for callers that check `error.name === "AbortError"`. */
export function abortError(reason: unknown): Error {
  if (reason instanceof Error && reason.name === "AbortError") return reason;
  const error = new Error("The operation was aborted.", { cause: reason });
  error.name = "AbortError";
  return error;
}

// The error family: a stable `code` to switch on, a one-line message that names the fix, the cause kept.
// Messages never contain a token, an assertion or a secret; decoded claims may be shown.

import {
  errorCategories,
  type ConfigurationErrorCode,
  type EntraErrorCode,
  type RequestErrorCode,
  type TokenFileErrorCode,
  type WorkloadIdentityErrorCategory,
  type WorkloadIdentityErrorCode,
} from "./codes.js";

export type {
  ConfigurationErrorCode,
  EntraErrorCode,
  RequestErrorCode,
  TokenFileErrorCode,
  WorkloadIdentityErrorCategory,
  WorkloadIdentityErrorCode,
};

/**
 * The base of every error here: `instanceof WorkloadIdentityError` holds for all of them. Thrown as itself for a
 * RequestErrorCode; each subclass owns its own codes (see AnyWorkloadIdentityError to switch on `code`).
 */
export class WorkloadIdentityError extends Error {
  readonly code: WorkloadIdentityErrorCode;
  /** Where the fix is; the same for every error with this code. */
  readonly category: WorkloadIdentityErrorCategory;

  constructor(code: RequestErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "WorkloadIdentityError";
    this.code = code;
    this.category = errorCategories[code];
  }
}

/**
 * The constructor above is typed for direct use; subclasses pass their own codes through it (their `code` field is
 * redeclared with their own union, and the category is looked up from the value).
 */
function ownCode(code: WorkloadIdentityErrorCode): RequestErrorCode {
  return code as RequestErrorCode;
}

/**
 * The credential cannot work here (not configured, or not allowed for that tenant). Its `name` is
 * `CredentialUnavailableError`, so `ChainedTokenCredential` and DefaultAzureCredential-style chains move on.
 */
export class CredentialUnavailableError extends WorkloadIdentityError {
  declare readonly code: ConfigurationErrorCode;

  constructor(code: ConfigurationErrorCode, message: string, options?: { cause?: unknown }) {
    super(ownCode(code), message, options);
    this.name = "CredentialUnavailableError";
  }
}

/** The projected service-account token could not be used as an assertion. */
export class TokenFileError extends WorkloadIdentityError {
  declare readonly code: TokenFileErrorCode;
  readonly path: string;

  constructor(code: TokenFileErrorCode, path: string, message: string, options?: { cause?: unknown }) {
    super(ownCode(code), message, options);
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
  declare readonly code: EntraErrorCode;
  readonly statusCode: number;
  /** The AADSTS number, e.g. 700213. */
  readonly aadstsCode: number | undefined;
  readonly correlationId: string | undefined;
  readonly errorResponse: EntraErrorResponse | undefined;

  constructor(
    code: EntraErrorCode,
    message: string,
    details: { statusCode: number; errorResponse?: EntraErrorResponse; cause?: unknown },
  ) {
    super(ownCode(code), message, { cause: details.cause });
    this.name = "AuthenticationError";
    this.statusCode = details.statusCode;
    this.errorResponse = details.errorResponse;
    this.aadstsCode = details.errorResponse?.errorCodes[0];
    this.correlationId = details.errorResponse?.correlationId;
  }
}

/**
 * Any error the credential throws, as a union to `switch (error.code)` on: each case narrows to the class that
 * owns the code (`ERR_INVALID_SCOPE` to WorkloadIdentityError or AuthenticationError).
 */
export type AnyWorkloadIdentityError =
  | (WorkloadIdentityError & { readonly code: RequestErrorCode })
  | CredentialUnavailableError
  | TokenFileError
  | AuthenticationError;

/** The same error a `fetch` raises on abort, for callers that check `error.name === "AbortError"`. */
export function abortError(reason: unknown): Error {
  if (reason instanceof Error && reason.name === "AbortError") return reason;
  const error = new Error("The operation was aborted.", { cause: reason });
  error.name = "AbortError";
  return error;
}

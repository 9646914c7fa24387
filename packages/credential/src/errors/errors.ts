// The error family: a stable `code` to switch on, a one-line message that names the fix, the cause kept.
// Messages never contain a token, an assertion or a secret; decoded claims may be shown.

import {
  errorCategories,
  type ConfigurationErrorCode,
  type EntraErrorCode,
  type RequestErrorCode,
  type TokenFileContentCode,
  type TokenFileErrorCode,
  type TokenFileUnavailableCode,
  type WorkloadIdentityErrorCategory,
  type WorkloadIdentityErrorCode,
} from "./codes.js";

export type {
  ConfigurationErrorCode,
  EntraErrorCode,
  RequestErrorCode,
  TokenFileContentCode,
  TokenFileErrorCode,
  TokenFileUnavailableCode,
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
 * The credential cannot work here (not configured, not allowed for that tenant, or no usable token file: see
 * TokenFileUnavailableError). Its `name` is `CredentialUnavailableError`, so `ChainedTokenCredential` and
 * DefaultAzureCredential-style chains move on.
 */
export class CredentialUnavailableError extends WorkloadIdentityError {
  declare readonly code: ConfigurationErrorCode | TokenFileUnavailableCode;

  constructor(code: ConfigurationErrorCode, message: string, options?: { cause?: unknown }) {
    super(ownCode(code), message, options);
    this.name = "CredentialUnavailableError";
  }
}

/**
 * No token file this process can use at the path (missing, not readable, not a file): Workload Identity is not
 * available here, so chains move on. Its `name` stays `CredentialUnavailableError`; `error.path` says which file.
 */
export class TokenFileUnavailableError extends CredentialUnavailableError {
  declare readonly code: TokenFileUnavailableCode;
  readonly path: string;

  constructor(code: TokenFileUnavailableCode, path: string, message: string, options?: { cause?: unknown }) {
    super(code as unknown as ConfigurationErrorCode, message, options);
    this.path = path;
  }
}

/** The token file is there, but what it holds cannot be used as an assertion: a hard error, chains stop. */
export class TokenFileError extends WorkloadIdentityError {
  declare readonly code: TokenFileContentCode;
  readonly path: string;

  constructor(code: TokenFileContentCode, path: string, message: string, options?: { cause?: unknown }) {
    super(ownCode(code), message, options);
    this.name = "TokenFileError";
    this.path = path;
  }
}

const UNAVAILABLE_TOKEN_FILE_CODES: readonly TokenFileErrorCode[] = [
  "ERR_TOKEN_FILE_NOT_FOUND",
  "ERR_TOKEN_FILE_PERMISSION_DENIED",
  "ERR_TOKEN_FILE_NOT_A_FILE",
] satisfies readonly TokenFileUnavailableCode[];

/** The error for a token-file code: TokenFileUnavailableError or TokenFileError, by what the code means. */
export function tokenFileError(
  code: TokenFileErrorCode,
  path: string,
  message: string,
  options?: { cause?: unknown },
): TokenFileUnavailableError | TokenFileError {
  return UNAVAILABLE_TOKEN_FILE_CODES.includes(code)
    ? new TokenFileUnavailableError(code as TokenFileUnavailableCode, path, message, options)
    : new TokenFileError(code as TokenFileContentCode, path, message, options);
}

/** Either token-file error: both carry `path`. */
export function isTokenFileError(error: unknown): error is TokenFileUnavailableError | TokenFileError {
  return error instanceof TokenFileError || error instanceof TokenFileUnavailableError;
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
  | (CredentialUnavailableError & { readonly code: ConfigurationErrorCode })
  | TokenFileUnavailableError
  | TokenFileError
  | AuthenticationError;

/** The same error a `fetch` raises on abort, for callers that check `error.name === "AbortError"`. */
export function abortError(reason: unknown): Error {
  if (reason instanceof Error && reason.name === "AbortError") return reason;
  const error = new Error("The operation was aborted.", { cause: reason });
  error.name = "AbortError";
  return error;
}

import { errorCategories, type WorkloadIdentityErrorCode } from "./codes.js";
import {
  AuthenticationError,
  CredentialUnavailableError,
  TokenFileError,
  TokenFileUnavailableError,
  WorkloadIdentityError,
  type AnyWorkloadIdentityError,
} from "./errors.js";

const ENTRA = { statusCode: 400 };

/** One error of the class that owns each code; typed by code, so a new code does not build until it is here. */
const OWNER: Record<WorkloadIdentityErrorCode, (code: never) => WorkloadIdentityError> = {
  ERR_MISSING_CONFIGURATION: (code) => new CredentialUnavailableError(code, "m"),
  ERR_INVALID_CONFIGURATION: (code) => new CredentialUnavailableError(code, "m"),
  ERR_TENANT_NOT_ALLOWED: (code) => new CredentialUnavailableError(code, "m"),
  ERR_TOKEN_FILE_NOT_FOUND: (code) => new TokenFileUnavailableError(code, "/t", "m"),
  ERR_TOKEN_FILE_PERMISSION_DENIED: (code) => new TokenFileUnavailableError(code, "/t", "m"),
  ERR_TOKEN_FILE_NOT_A_FILE: (code) => new TokenFileUnavailableError(code, "/t", "m"),
  ERR_TOKEN_FILE_EMPTY: (code) => new TokenFileError(code, "/t", "m"),
  ERR_TOKEN_FILE_TOO_LARGE: (code) => new TokenFileError(code, "/t", "m"),
  ERR_TOKEN_FILE_NOT_A_JWT: (code) => new TokenFileError(code, "/t", "m"),
  ERR_TOKEN_FILE_UNREADABLE: (code) => new TokenFileError(code, "/t", "m"),
  ERR_UNKNOWN_TENANT: (code) => new AuthenticationError(code, "m", ENTRA),
  ERR_UNKNOWN_CLIENT: (code) => new AuthenticationError(code, "m", ENTRA),
  ERR_UNKNOWN_RESOURCE: (code) => new AuthenticationError(code, "m", ENTRA),
  ERR_ASSERTION_MALFORMED: (code) => new AuthenticationError(code, "m", ENTRA),
  ERR_ASSERTION_EXPIRED: (code) => new AuthenticationError(code, "m", ENTRA),
  ERR_NO_FEDERATED_CREDENTIAL: (code) => new AuthenticationError(code, "m", ENTRA),
  ERR_FEDERATED_CREDENTIAL_MISMATCH: (code) => new AuthenticationError(code, "m", ENTRA),
  ERR_ISSUER_UNREACHABLE: (code) => new AuthenticationError(code, "m", ENTRA),
  ERR_ASSERTION_SIGNATURE: (code) => new AuthenticationError(code, "m", ENTRA),
  ERR_ENTRA_REJECTED: (code) => new AuthenticationError(code, "m", ENTRA),
  ERR_ENTRA_UNAVAILABLE: (code) => new AuthenticationError(code, "m", ENTRA),
  ERR_TOKEN_PROXY_FORBIDDEN: (code) => new AuthenticationError(code, "m", { statusCode: 403 }),
  // Shared: the credential checks the scope before asking, Entra after (AADSTS1002012, 70011).
  ERR_INVALID_SCOPE: (code) => new WorkloadIdentityError(code, "m"),
  ERR_NETWORK: (code) => new WorkloadIdentityError(code, "m"),
  ERR_PROXY_REFUSED: (code) => new WorkloadIdentityError(code, "m"),
  ERR_INVALID_RESPONSE: (code) => new WorkloadIdentityError(code, "m"),
  ERR_TIMEOUT: (code) => new WorkloadIdentityError(code, "m"),
  ERR_TOKEN_PROXY_TLS: (code) => new WorkloadIdentityError(code, "m"),
};

const codes = Object.keys(errorCategories) as WorkloadIdentityErrorCode[];

describe("error codes", () => {
  it.each(codes)("%s is a WorkloadIdentityError with its code and its category", (code) => {
    const error = OWNER[code](code as never);
    expect(error).toBeInstanceOf(WorkloadIdentityError);
    expect(error.code).toBe(code);
    expect(error.category).toBe(errorCategories[code]);
  });

  it("every code in the category table has an owner here, and no other", () => {
    expect(Object.keys(OWNER).sort()).toEqual([...codes].sort());
  });

  it("puts the Entra scope refusal in the same category as the credential's own scope check", () => {
    const entra = new AuthenticationError("ERR_INVALID_SCOPE", "m", ENTRA);
    expect(entra.category).toBe(new WorkloadIdentityError("ERR_INVALID_SCOPE", "m").category);
  });

  it("keeps each class's name, for chains that test `name`", () => {
    expect(new CredentialUnavailableError("ERR_MISSING_CONFIGURATION", "m").name).toBe(
      "CredentialUnavailableError",
    );
    expect(new TokenFileError("ERR_TOKEN_FILE_EMPTY", "/t", "m").name).toBe("TokenFileError");
    expect(new AuthenticationError("ERR_ENTRA_REJECTED", "m", ENTRA).name).toBe("AuthenticationError");
    expect(new WorkloadIdentityError("ERR_NETWORK", "m").name).toBe("WorkloadIdentityError");
  });
});

// Compile-time checks, for `tsc --noEmit`: a class refuses a code it does not own, and the union narrows on `code`.
export const wrongOwners = (): unknown[] => [
  // @ts-expect-error a token-file code belongs to TokenFileError
  new WorkloadIdentityError("ERR_TOKEN_FILE_EMPTY", "m"),
  // @ts-expect-error a configuration code belongs to CredentialUnavailableError
  new AuthenticationError("ERR_MISSING_CONFIGURATION", "m", ENTRA),
  // @ts-expect-error an Entra code belongs to AuthenticationError
  new CredentialUnavailableError("ERR_UNKNOWN_CLIENT", "m"),
  // @ts-expect-error a request code belongs to WorkloadIdentityError
  new TokenFileError("ERR_NETWORK", "/t", "m"),
];

export function narrowsOnCode(error: AnyWorkloadIdentityError): string | number {
  switch (error.code) {
    case "ERR_TOKEN_FILE_EMPTY":
      return error.path;
    case "ERR_FEDERATED_CREDENTIAL_MISMATCH":
      return error.statusCode;
    case "ERR_INVALID_SCOPE":
      // Either owner: the credential's own check or Entra's refusal.
      return error instanceof AuthenticationError ? error.statusCode : error.message;
    default:
      return error.category;
  }
}

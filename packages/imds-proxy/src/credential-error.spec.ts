import {
  AuthenticationError,
  CredentialUnavailableError,
  errorCategories,
  oneLine,
  TokenFileError,
  TokenFileUnavailableError,
  type TokenFileUnavailableCode,
  type TokenFileContentCode,
  WorkloadIdentityError,
  type ConfigurationErrorCode,
  type EntraErrorCode,
  type RequestErrorCode,
  type TokenFileErrorCode,
  type WorkloadIdentityErrorCode,
} from "@workload-identity/credential";
import { errorAnswerFor } from "./credential-error.js";

const entraRejection = (
  code: "ERR_UNKNOWN_CLIENT" | "ERR_FEDERATED_CREDENTIAL_MISMATCH" | "ERR_UNKNOWN_RESOURCE",
) =>
  new AuthenticationError(code, `Entra refused (${code}); the fix.`, {
    statusCode: 400,
    errorResponse: {
      error: code === "ERR_UNKNOWN_RESOURCE" ? "invalid_resource" : "invalid_client",
      errorDescription: "AADSTS700213: ...",
      errorCodes: [700213],
      correlationId: "c0ffee00-0000-0000-0000-000000000000",
    },
  });

it("answers 500 for this pod's Workload Identity setup, with the credential's code and message", () => {
  const error = new CredentialUnavailableError(
    "ERR_MISSING_CONFIGURATION",
    "WorkloadIdentityCredential: AZURE_TENANT_ID is not set and no tenantId option was given.",
  );
  expect(errorAnswerFor(error, false)).toEqual({
    status: 500,
    body: {
      error: "server_error",
      error_description:
        "ERR_MISSING_CONFIGURATION: WorkloadIdentityCredential: AZURE_TENANT_ID is not set and no tenantId option was given.",
      code: "ERR_MISSING_CONFIGURATION",
    },
  });
  expect(
    errorAnswerFor(
      new TokenFileUnavailableError("ERR_TOKEN_FILE_NOT_FOUND", "/var/run/x", "not found"),
      false,
    ),
  ).toMatchObject({ status: 500, body: { code: "ERR_TOKEN_FILE_NOT_FOUND" } });
});

it("passes on Entra's error, AADSTS codes and correlation id when Entra refused", () => {
  expect(errorAnswerFor(entraRejection("ERR_FEDERATED_CREDENTIAL_MISMATCH"), false)).toEqual({
    status: 500,
    body: {
      error: "invalid_client",
      error_description:
        "ERR_FEDERATED_CREDENTIAL_MISMATCH: Entra refused (ERR_FEDERATED_CREDENTIAL_MISMATCH); the fix.",
      code: "ERR_FEDERATED_CREDENTIAL_MISMATCH",
      error_codes: [700213],
      correlation_id: "c0ffee00-0000-0000-0000-000000000000",
    },
  });
});

it("answers 400 when the request is at fault: an unknown resource, or a client id the request named", () => {
  expect(errorAnswerFor(entraRejection("ERR_UNKNOWN_RESOURCE"), false)).toMatchObject({
    status: 400,
    body: { error: "invalid_resource", code: "ERR_UNKNOWN_RESOURCE" },
  });
  expect(errorAnswerFor(entraRejection("ERR_UNKNOWN_CLIENT"), true).status).toBe(400);
  // AZURE_CLIENT_ID is the pod's configuration.
  expect(errorAnswerFor(entraRejection("ERR_UNKNOWN_CLIENT"), false).status).toBe(500);
  expect(errorAnswerFor(new WorkloadIdentityError("ERR_INVALID_SCOPE", "bad scope"), false)).toMatchObject({
    status: 400,
    body: { error: "invalid_request" },
  });
});

it.each([
  new AuthenticationError("ERR_ENTRA_UNAVAILABLE", "Entra is down.", { statusCode: 503 }),
  new WorkloadIdentityError("ERR_NETWORK", "Entra is down."),
  new WorkloadIdentityError("ERR_TIMEOUT", "Entra is down."),
  new WorkloadIdentityError("ERR_INVALID_RESPONSE", "Entra is down."),
])("answers 502 for $code: Entra could not be reached", (error) => {
  expect(errorAnswerFor(error, false)).toEqual({
    status: 502,
    body: {
      error: "temporarily_unavailable",
      error_description: `${error.code}: Entra is down.`,
      code: error.code,
    },
  });
});

it("answers 500 on one line for anything else, escaped as the credential escapes", () => {
  expect(errorAnswerFor(new TypeError("bad\r\nthing"), false)).toEqual({
    status: 500,
    body: { error: "server_error", error_description: "Unexpected TypeError: bad\\u000d\\u000athing" },
  });
  expect(errorAnswerFor(new TypeError("bad\r\nthing"), false).body.error_description).toBe(
    oneLine("Unexpected TypeError: bad\r\nthing"),
  );
  expect(errorAnswerFor("weird", false).body.error_description).toBe("Unexpected string: weird");
});

const notHere = (code: ConfigurationErrorCode) => new CredentialUnavailableError(code, `${code}.`);
const UNAVAILABLE_FILE: readonly TokenFileErrorCode[] = [
  "ERR_TOKEN_FILE_NOT_FOUND",
  "ERR_TOKEN_FILE_PERMISSION_DENIED",
  "ERR_TOKEN_FILE_NOT_A_FILE",
];
const tokenFile = (code: TokenFileErrorCode) =>
  UNAVAILABLE_FILE.includes(code)
    ? new TokenFileUnavailableError(code as TokenFileUnavailableCode, "/var/run/token", `${code}.`)
    : new TokenFileError(code as TokenFileContentCode, "/var/run/token", `${code}.`);
const entra = (code: EntraErrorCode) => new AuthenticationError(code, `${code}.`, { statusCode: 400 });
const request = (code: RequestErrorCode) => new WorkloadIdentityError(code, `${code}.`);

/** Every code, thrown by the class that owns it, and the status the proxy has answered it with since before categories. */
const EVERY_CODE: Record<WorkloadIdentityErrorCode, [WorkloadIdentityError, 400 | 500 | 502]> = {
  ERR_MISSING_CONFIGURATION: [notHere("ERR_MISSING_CONFIGURATION"), 500],
  ERR_INVALID_CONFIGURATION: [notHere("ERR_INVALID_CONFIGURATION"), 500],
  ERR_TENANT_NOT_ALLOWED: [notHere("ERR_TENANT_NOT_ALLOWED"), 500],
  ERR_TOKEN_FILE_NOT_FOUND: [tokenFile("ERR_TOKEN_FILE_NOT_FOUND"), 500],
  ERR_TOKEN_FILE_PERMISSION_DENIED: [tokenFile("ERR_TOKEN_FILE_PERMISSION_DENIED"), 500],
  ERR_TOKEN_FILE_NOT_A_FILE: [tokenFile("ERR_TOKEN_FILE_NOT_A_FILE"), 500],
  ERR_TOKEN_FILE_EMPTY: [tokenFile("ERR_TOKEN_FILE_EMPTY"), 500],
  ERR_TOKEN_FILE_TOO_LARGE: [tokenFile("ERR_TOKEN_FILE_TOO_LARGE"), 500],
  ERR_TOKEN_FILE_NOT_A_JWT: [tokenFile("ERR_TOKEN_FILE_NOT_A_JWT"), 500],
  ERR_TOKEN_FILE_UNREADABLE: [tokenFile("ERR_TOKEN_FILE_UNREADABLE"), 500],
  ERR_UNKNOWN_TENANT: [entra("ERR_UNKNOWN_TENANT"), 500],
  ERR_UNKNOWN_CLIENT: [entra("ERR_UNKNOWN_CLIENT"), 500],
  ERR_UNKNOWN_RESOURCE: [entra("ERR_UNKNOWN_RESOURCE"), 400],
  ERR_ASSERTION_MALFORMED: [entra("ERR_ASSERTION_MALFORMED"), 500],
  ERR_ASSERTION_EXPIRED: [entra("ERR_ASSERTION_EXPIRED"), 500],
  ERR_NO_FEDERATED_CREDENTIAL: [entra("ERR_NO_FEDERATED_CREDENTIAL"), 500],
  ERR_FEDERATED_CREDENTIAL_MISMATCH: [entra("ERR_FEDERATED_CREDENTIAL_MISMATCH"), 500],
  ERR_ISSUER_UNREACHABLE: [entra("ERR_ISSUER_UNREACHABLE"), 500],
  ERR_ASSERTION_SIGNATURE: [entra("ERR_ASSERTION_SIGNATURE"), 500],
  ERR_ENTRA_REJECTED: [entra("ERR_ENTRA_REJECTED"), 500],
  ERR_ENTRA_UNAVAILABLE: [entra("ERR_ENTRA_UNAVAILABLE"), 502],
  ERR_TOKEN_PROXY_FORBIDDEN: [entra("ERR_TOKEN_PROXY_FORBIDDEN"), 500],
  ERR_INVALID_SCOPE: [request("ERR_INVALID_SCOPE"), 400],
  ERR_NETWORK: [request("ERR_NETWORK"), 502],
  ERR_PROXY_REFUSED: [request("ERR_PROXY_REFUSED"), 500],
  ERR_INVALID_RESPONSE: [request("ERR_INVALID_RESPONSE"), 502],
  ERR_TIMEOUT: [request("ERR_TIMEOUT"), 502],
  ERR_TOKEN_PROXY_TLS: [request("ERR_TOKEN_PROXY_TLS"), 500],
};

it.each(Object.keys(errorCategories) as WorkloadIdentityErrorCode[])(
  "answers %s, like every code in the credential's table, with its status",
  (code) => {
    const [error, status] = EVERY_CODE[code];
    expect(errorAnswerFor(error, false)).toMatchObject({ status, body: { code, error: expect.any(String) } });
  },
);

it("answers Entra's own scope refusal like the credential's scope check", () => {
  expect(errorAnswerFor(entra("ERR_INVALID_SCOPE"), false).status).toBe(400);
});

import {
  AuthenticationError,
  CredentialUnavailableError,
  TokenFileError,
  WorkloadIdentityError,
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
    errorAnswerFor(new TokenFileError("ERR_TOKEN_FILE_NOT_FOUND", "/var/run/x", "not found"), false),
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

it.each(["ERR_ENTRA_UNAVAILABLE", "ERR_NETWORK", "ERR_TIMEOUT", "ERR_INVALID_RESPONSE"] as const)(
  "answers 502 for %s: Entra could not be reached",
  (code) => {
    expect(errorAnswerFor(new WorkloadIdentityError(code, "Entra is down."), false)).toEqual({
      status: 502,
      body: { error: "temporarily_unavailable", error_description: `${code}: Entra is down.`, code },
    });
  },
);

it("answers 500 on one line for anything else", () => {
  expect(errorAnswerFor(new TypeError("bad\r\nthing"), false)).toEqual({
    status: 500,
    body: { error: "server_error", error_description: "Unexpected TypeError: bad thing" },
  });
  expect(errorAnswerFor("weird", false).body.error_description).toBe("Unexpected string: weird");
});

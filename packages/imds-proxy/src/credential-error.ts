// Maps a credential failure to an IMDS-like answer: 400 when the request is at fault, 500 when this pod's
// Workload Identity setup is, 502 when Entra cannot be reached; the credential's code and one-line message.
import { AuthenticationError, WorkloadIdentityError } from "@workload-identity/credential";
import type { ErrorAnswer } from "./imds-error.js";

/** Entra could not answer (after the credential's own retries): a gateway failure, worth retrying later. */
const UNAVAILABLE: ReadonlySet<string> = new Set([
  "ERR_ENTRA_UNAVAILABLE",
  "ERR_NETWORK",
  "ERR_TIMEOUT",
  "ERR_INVALID_RESPONSE",
]);

/** The resource asked for is the problem, not the pod. */
const REQUEST_FAULTS: ReadonlySet<string> = new Set(["ERR_INVALID_SCOPE", "ERR_UNKNOWN_RESOURCE"]);

/**
 * @param clientIdFromRequest whether the request named the identity: an unknown client id is then the
 * caller's mistake (400), while the default one (AZURE_CLIENT_ID) is the pod's (500).
 */
export function errorAnswerFor(error: unknown, clientIdFromRequest: boolean): ErrorAnswer {
  if (!(error instanceof WorkloadIdentityError)) {
    const name = error instanceof Error ? error.name : typeof error;
    const message = error instanceof Error ? error.message : String(error);
    return {
      status: 500,
      body: { error: "server_error", error_description: oneLine(`Unexpected ${name}: ${message}`) },
    };
  }
  const requestFault =
    REQUEST_FAULTS.has(error.code) || (clientIdFromRequest && error.code === "ERR_UNKNOWN_CLIENT");
  const status = requestFault ? 400 : UNAVAILABLE.has(error.code) ? 502 : 500;
  const entra = error instanceof AuthenticationError ? error.errorResponse : undefined;
  const fallback =
    status === 400 ? "invalid_request" : status === 502 ? "temporarily_unavailable" : "server_error";
  return {
    status,
    body: {
      error: entra?.error ?? fallback,
      error_description: oneLine(`${error.code}: ${error.message}`),
      code: error.code,
      ...(entra && entra.errorCodes.length > 0 ? { error_codes: entra.errorCodes } : {}),
      ...(entra?.correlationId === undefined ? {} : { correlation_id: entra.correlationId }),
    },
  };
}

function oneLine(text: string): string {
  return text.replace(/[\r\n]+/g, " ").trim();
}

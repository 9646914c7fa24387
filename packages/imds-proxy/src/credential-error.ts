// Maps a credential failure to an IMDS-like answer: 400 when the request is at fault, 500 when this pod's
// Workload Identity setup is, 502 when Entra cannot be reached; the credential's code and one-line message.
import {
  AuthenticationError,
  oneLine,
  WorkloadIdentityError,
  type WorkloadIdentityErrorCategory,
} from "@workload-identity/credential";
import type { ErrorAnswer } from "./imds-error.js";

/**
 * The answer for each of the credential's categories: the request at fault (400), this pod's setup (500), Entra out
 * of reach after the credential's own retries (502, a gateway failure worth retrying later). Typed by category, and
 * every code has one in the credential's own table (typed by code), so neither a new code nor a new category builds
 * unanswered.
 */
const STATUS: Record<WorkloadIdentityErrorCategory, 400 | 500 | 502> = {
  request: 400,
  configuration: 500,
  "token-file": 500,
  rejected: 500,
  unavailable: 502,
};

const FALLBACK_ERROR = {
  400: "invalid_request",
  500: "server_error",
  502: "temporarily_unavailable",
} as const;

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
  const status = clientIdFromRequest && error.code === "ERR_UNKNOWN_CLIENT" ? 400 : STATUS[error.category];
  const entra = error instanceof AuthenticationError ? error.errorResponse : undefined;
  return {
    status,
    body: {
      error: entra?.error ?? FALLBACK_ERROR[status],
      error_description: oneLine(`${error.code}: ${error.message}`),
      code: error.code,
      ...(entra && entra.errorCodes.length > 0 ? { error_codes: entra.errorCodes } : {}),
      ...(entra?.correlationId === undefined ? {} : { correlation_id: entra.correlationId }),
    },
  };
}

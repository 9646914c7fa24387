// The error body IMDS answers with ({ error, error_description }), plus the proxy's stable `code`.

/** IMDS's error JSON; `code` (and `error_codes`, `correlation_id` when Entra answered) are this proxy's additions. */
export interface ImdsErrorBody {
  error: string;
  error_description: string;
  /** The credential's error code (`ERR_...`) when the credential failed. */
  code?: string;
  /** Entra's AADSTS numbers, as Entra sends them. */
  error_codes?: number[];
  correlation_id?: string;
}

export interface ErrorAnswer {
  status: number;
  body: ImdsErrorBody;
}

export function badRequest(description: string): ErrorAnswer {
  return { status: 400, body: { error: "invalid_request", error_description: description } };
}

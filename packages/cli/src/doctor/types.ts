// The doctor's report: one result per check, in the order the checks run.

export type CheckStatus = "pass" | "warn" | "fail" | "skip";

export type CheckId =
  | "AZURE_CLIENT_ID"
  | "AZURE_TENANT_ID"
  | "AZURE_FEDERATED_TOKEN_FILE"
  | "AZURE_AUTHORITY_HOST"
  | "identity-binding"
  | "enable-azure-proxy"
  | "token-file"
  | "claims"
  | "issuer-discovery"
  | "issuer-jwks"
  | "token-proxy-ca"
  | "token-proxy-tls"
  | "token-exchange";

export interface CheckResult {
  id: CheckId;
  status: CheckStatus;
  /** What the check saw, on one line. Never a token. */
  message: string;
  /** How to fix it, on one line, when the check failed or warned. */
  fix?: string;
  /** A stable code for what went wrong: the credential's error code, or the doctor's own `DOCTOR_*`. */
  code?: string;
  /** Machine-readable facts: decoded claims, URLs, instants. Never a token. */
  details?: Record<string, unknown>;
}

export interface DoctorReport {
  /** No check failed (warnings and skipped checks do not count). */
  ok: boolean;
  summary: Record<CheckStatus, number>;
  checks: CheckResult[];
}

export const CHECK_TITLES: Record<CheckId, string> = {
  AZURE_CLIENT_ID: "AZURE_CLIENT_ID",
  AZURE_TENANT_ID: "AZURE_TENANT_ID",
  AZURE_FEDERATED_TOKEN_FILE: "AZURE_FEDERATED_TOKEN_FILE",
  AZURE_AUTHORITY_HOST: "AZURE_AUTHORITY_HOST",
  "identity-binding": "identity binding",
  "enable-azure-proxy": "enableAzureProxy",
  "token-file": "token file",
  claims: "token claims",
  "issuer-discovery": "issuer discovery",
  "issuer-jwks": "issuer JWKS",
  "token-proxy-ca": "token proxy CA",
  "token-proxy-tls": "token proxy TLS",
  "token-exchange": "token exchange",
};

export function skipped(id: CheckId, reason: string): CheckResult {
  return { id, status: "skip", message: `skipped: ${reason}` };
}

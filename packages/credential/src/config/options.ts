// The credential's options, as users pass them.
import type { Clock } from "../clock.js";

export interface RetryOptions {
  /** Retries of a token request answered 408, 429, 5xx or failed by the network (default 4). */
  maxRetries?: number;
  /** First backoff delay; doubles at each retry, with jitter (default 300 ms). */
  initialDelayMs?: number;
  /** Longest backoff delay (default 10 s). `Retry-After` is honoured up to 60 s. */
  maxDelayMs?: number;
}

export interface WorkloadIdentityCredentialOptions {
  /** The application (client) id; default `AZURE_CLIENT_ID`. */
  clientId?: string;
  /** The tenant id or a verified domain; default `AZURE_TENANT_ID`. */
  tenantId?: string;
  /** The projected service-account token; default `AZURE_FEDERATED_TOKEN_FILE`. */
  tokenFilePath?: string;
  /** Default `AZURE_AUTHORITY_HOST`, else `https://login.microsoftonline.com/`. */
  authorityHost?: string;
  /** Tenants `getToken({ tenantId })` may also ask for; `"*"` allows any. Adds to `AZURE_ADDITIONALLY_ALLOWED_TENANTS`. */
  additionallyAllowedTenants?: string[];
  retryOptions?: RetryOptions;
  /** Longest a `getToken` call waits for a token, retries included (default 60 s). */
  timeoutMs?: number;
  /**
   * How long the first exchange keeps retrying while Entra finds no matching federated identity credential
   * (AADSTS70021, 700211..., 70025): a credential created moments ago takes seconds to minutes to propagate.
   * Default 60 s; 0 fails at once. Never applies once a token has been obtained. Bounded by `timeoutMs`.
   */
  federatedCredentialPropagationMs?: number;
  /** `false` silences this credential's logs whatever `AZURE_LOG_LEVEL` says (default true). */
  loggingEnabled?: boolean;
  /** The environment to read instead of `process.env` (for tests and embedding). */
  env?: Record<string, string | undefined>;
  /** Time source for the cache and backoff (for tests). */
  clock?: Clock;
}

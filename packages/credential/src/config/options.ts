// The credential's options, as users pass them: ours, and @azure/identity's WorkloadIdentityCredentialOptions
// (so an options object written for it, literal included, compiles and means the same here).
import type { Clock } from "../clock.js";

export interface RetryOptions {
  /** Retries of a token request answered 408, 429, 5xx or failed by the network (default 4). */
  maxRetries?: number;
  /** First backoff delay, as @azure/identity names it; doubles at each retry, with jitter (default 300 ms). */
  retryDelayInMs?: number;
  /** Longest backoff delay, as @azure/identity names it (default 10 s). `Retry-After` is honoured up to 60 s. */
  maxRetryDelayInMs?: number;
  /** This package's earlier name for `retryDelayInMs`; `retryDelayInMs` wins when both are given. */
  initialDelayMs?: number;
  /** This package's earlier name for `maxRetryDelayInMs`; `maxRetryDelayInMs` wins when both are given. */
  maxDelayMs?: number;
}

/** @azure/identity's `loggingOptions`. */
export interface LoggingOptions {
  /** After each new token, log (at info) its client id, tenant id, user principal name and object id. */
  allowLoggingAccountIdentifiers?: boolean;
  /**
   * Let MSAL log personally identifiable information (ids, names) at verbose, for a support case. Never tokens,
   * assertions or secrets.
   */
  enableUnsafeSupportLogging?: boolean;
  /** Accepted from @azure/identity, not used: this credential logs no HTTP headers. */
  additionalAllowedHeaderNames?: string[];
  /** Accepted from @azure/identity, not used: this credential logs no query strings. */
  additionalAllowedQueryParameters?: string[];
  /** Accepted from @azure/identity, not used: logs go through @azure/logger (`AzureLogger.log`). */
  logger?: unknown;
}

export interface WorkloadIdentityCredentialOptions {
  /** The application (client) id; default `AZURE_CLIENT_ID`. An empty string counts as not given. */
  clientId?: string;
  /** The tenant id or a verified domain; default `AZURE_TENANT_ID`. An empty string counts as not given. */
  tenantId?: string;
  /** The projected service-account token; default `AZURE_FEDERATED_TOKEN_FILE`. An empty string counts as not given. */
  tokenFilePath?: string;
  /** Default `AZURE_AUTHORITY_HOST`, else `https://login.microsoftonline.com/`. */
  authorityHost?: string;
  /**
   * Tenants `getToken({ tenantId })` may also ask for; `"*"` allows any. When given, it replaces
   * `AZURE_ADDITIONALLY_ALLOWED_TENANTS` (which is read only when this option is absent).
   */
  additionallyAllowedTenants?: string[];
  retryOptions?: RetryOptions;
  loggingOptions?: LoggingOptions;
  /**
   * Accepted from @azure/identity. This credential never asks Entra's instance discovery: it builds the
   * authority's metadata for the configured host, as `disableInstanceDiscovery: true` does there.
   */
  disableInstanceDiscovery?: boolean;
  /**
   * AKS identity bindings: send token requests to the cluster's token proxy named by AZURE_KUBERNETES_TOKEN_PROXY,
   * over TLS checked against AZURE_KUBERNETES_CA_FILE (or _CA_DATA) and AZURE_KUBERNETES_SNI_NAME, as
   * @azure/identity does with the same option. Off by default; without AZURE_KUBERNETES_TOKEN_PROXY it changes
   * nothing.
   */
  enableAzureProxy?: boolean;
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

  // @azure/identity's HTTP pipeline options. Accepted so its options objects compile unchanged; not used, since
  // token requests go through this package's own client (proxies from HTTPS_PROXY/NO_PROXY). A warning names
  // each one given. The README's table lists them.
  /** Not used (a warning says so): token requests go through this package's own HTTP client. */
  httpClient?: unknown;
  /** Not used (a warning says so): set `HTTPS_PROXY` and `NO_PROXY` instead. */
  proxyOptions?: unknown;
  /** Not used (a warning says so). */
  agent?: unknown;
  /** Not used (a warning says so). */
  tlsOptions?: unknown;
  /** Not used (a warning says so): Entra's token endpoint does not redirect. */
  redirectOptions?: unknown;
  /** Not used (a warning says so). */
  userAgentOptions?: unknown;
  /** Not used (a warning says so). */
  telemetryOptions?: unknown;
  /** Not used (a warning says so): the authority must use https. */
  allowInsecureConnection?: boolean;
  /** Not used (a warning says so). */
  additionalPolicies?: unknown;
}

/** @azure/identity's pipeline options this credential accepts and ignores (a warning names each one given). */
export const IGNORED_PIPELINE_OPTIONS = [
  "httpClient",
  "proxyOptions",
  "agent",
  "tlsOptions",
  "redirectOptions",
  "userAgentOptions",
  "telemetryOptions",
  "allowInsecureConnection",
  "additionalPolicies",
] as const satisfies readonly (keyof WorkloadIdentityCredentialOptions)[];

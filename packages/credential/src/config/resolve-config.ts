// Resolves and validates the configuration once: explicit option ?? environment variable ?? default.
// Pure: the environment is a parameter, so tests never touch process.env.
import { CredentialUnavailableError } from "../errors/errors.js";
import {
  AZURE_ADDITIONALLY_ALLOWED_TENANTS,
  AZURE_AUTHORITY_HOST,
  AZURE_CLIENT_ID,
  AZURE_FEDERATED_TOKEN_FILE,
  AZURE_IDENTITY_DISABLE_MULTITENANTAUTH,
  AZURE_TENANT_ID,
  DEFAULT_AUTHORITY_HOST,
  TROUBLESHOOTING,
} from "./environment.js";
import { redactUrl } from "../lib/redact-url.js";
import { IGNORED_PIPELINE_OPTIONS, type WorkloadIdentityCredentialOptions } from "./options.js";
import { tenantNameProblem } from "./tenant-name.js";
import { resolveTokenProxy, type TokenProxyConfig } from "./token-proxy.js";

/** How token requests are retried: the one place these settings are defined. */
export interface ResolvedRetry {
  /** Retries after the first attempt. */
  maxRetries: number;
  /** First backoff delay; doubles at each retry, with jitter. */
  initialDelayMs: number;
  maxDelayMs: number;
  /** Ceiling for a server's Retry-After, so a misbehaving endpoint cannot park a request for an hour. */
  maxRetryAfterMs: number;
  /** Bound on one attempt: a black-holed connection is retried instead of using up the deadline. */
  attemptTimeoutMs: number;
}

export const DEFAULT_RETRY: ResolvedRetry = {
  maxRetries: 4,
  initialDelayMs: 300,
  maxDelayMs: 10_000,
  maxRetryAfterMs: 60_000,
  attemptTimeoutMs: 15_000,
};

export interface ResolvedConfig {
  clientId: string;
  tenantId: string;
  tokenFilePath: string;
  /** https, with a trailing slash. */
  authorityHost: string;
  additionallyAllowedTenants: string[];
  /** AZURE_IDENTITY_DISABLE_MULTITENANTAUTH is set: getToken's tenantId is ignored, as in @azure/identity. */
  multiTenantDisabled: boolean;
  retry: ResolvedRetry;
  timeoutMs: number;
  federatedCredentialPropagationMs: number;
  loggingEnabled: boolean;
  /** loggingOptions.allowLoggingAccountIdentifiers */
  logAccountIdentifiers: boolean;
  /** loggingOptions.enableUnsafeSupportLogging: MSAL's PII lines go to the verbose log. */
  supportLogging: boolean;
  /** What the options said that works differently from what was asked; the credential logs each at warning. */
  warnings: string[];
  /** An AKS identity binding's token proxy, when enableAzureProxy is on and the pod has one. */
  tokenProxy: TokenProxyConfig | undefined;
  /** What the credential says at info about the configuration (the identity-binding switch). */
  notes: string[];
}

type Environment = Record<string, string | undefined>;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PREFIX = "WorkloadIdentityCredential:";
const NOT_IN_POD =
  'In a pod, the Workload Identity webhook sets it when the pod is labelled azure.workload.identity/use: "true" ' +
  "and its service account is annotated azure.workload.identity/client-id";

export function resolveConfig(options: WorkloadIdentityCredentialOptions, env: Environment): ResolvedConfig {
  const warnings: string[] = [];
  const clientId = required(options.clientId, "clientId", AZURE_CLIENT_ID, env);
  if (!GUID.test(clientId)) {
    // Every Azure SDK accepts any client id (tests use placeholders); Entra answers AADSTS700016 for a wrong one.
    warnings.push(
      `the client id ${quote(clientId)} is not a GUID; Entra expects the application (client) id of the app registration or managed identity`,
    );
  }
  const tenantId = required(options.tenantId, "tenantId", AZURE_TENANT_ID, env);
  const tenantProblem = tenantNameProblem(tenantId);
  if (tenantProblem !== undefined) invalid(`the tenant ${quote(tenantId)} ${tenantProblem}`);
  const tokenFilePath = resolveTokenFilePath(options.tokenFilePath, env);
  const authorityHost = resolveAuthorityHost(
    given(options.authorityHost, "authorityHost") ??
      nonEmpty(env[AZURE_AUTHORITY_HOST]) ??
      DEFAULT_AUTHORITY_HOST,
  );

  const timeoutMs = milliseconds(options.timeoutMs ?? 60_000, "timeoutMs");
  if (timeoutMs === 0) invalid("timeoutMs must be greater than 0");

  const logging = options.loggingOptions ?? {};
  const { proxy: tokenProxy, note } = resolveTokenProxy(options.enableAzureProxy === true, env);
  for (const name of IGNORED_PIPELINE_OPTIONS) {
    if (options[name] !== undefined) {
      warnings.push(
        `the ${name} option (from @azure/identity) is not used by this credential; ${TROUBLESHOOTING}`,
      );
    }
  }

  return {
    clientId,
    tenantId,
    tokenFilePath,
    authorityHost,
    additionallyAllowedTenants: allowedTenants(options.additionallyAllowedTenants, env),
    // As @azure/identity reads it: any non-empty value turns multi-tenant requests off.
    multiTenantDisabled: (env[AZURE_IDENTITY_DISABLE_MULTITENANTAUTH] ?? "") !== "",
    retry: resolveRetry(options.retryOptions ?? {}, timeoutMs, warnings),
    timeoutMs,
    federatedCredentialPropagationMs: milliseconds(
      options.federatedCredentialPropagationMs ?? 60_000,
      "federatedCredentialPropagationMs",
    ),
    loggingEnabled: options.loggingEnabled ?? true,
    logAccountIdentifiers: logging.allowLoggingAccountIdentifiers === true,
    supportLogging: logging.enableUnsafeSupportLogging === true,
    warnings,
    tokenProxy,
    notes: note === undefined ? [] : [note],
  };
}

/**
 * An explicit list replaces AZURE_ADDITIONALLY_ALLOWED_TENANTS: the environment must never widen what the code
 * allowed. The variable (semicolon-separated, as DefaultAzureCredential reads it) applies only without the option.
 */
function allowedTenants(explicit: string[] | undefined, env: Environment): string[] {
  if (explicit !== undefined && !Array.isArray(explicit)) {
    invalid("additionallyAllowedTenants must be an array of tenant ids");
  }
  const listed = explicit ?? (env[AZURE_ADDITIONALLY_ALLOWED_TENANTS] ?? "").split(";");
  return listed.map((tenant) => (typeof tenant === "string" ? tenant.trim() : "")).filter((t) => t !== "");
}

/** @azure/identity's names (retryDelayInMs, maxRetryDelayInMs) win over this package's older ones. */
export function resolveRetry(
  options: NonNullable<WorkloadIdentityCredentialOptions["retryOptions"]>,
  timeoutMs: number,
  warnings: string[],
): ResolvedRetry {
  const pick = (azure: "retryDelayInMs" | "maxRetryDelayInMs", ours: "initialDelayMs" | "maxDelayMs") => {
    if (options[azure] !== undefined && options[ours] !== undefined) {
      warnings.push(
        `retryOptions.${ours} is ignored: retryOptions.${azure} (its @azure/identity name) was also given`,
      );
    }
    const name = options[azure] !== undefined ? azure : ours;
    return { value: options[azure] ?? options[ours], name: `retryOptions.${name}` };
  };
  const initial = pick("retryDelayInMs", "initialDelayMs");
  const max = pick("maxRetryDelayInMs", "maxDelayMs");
  return {
    ...DEFAULT_RETRY,
    maxRetries: wholeNumber(options.maxRetries ?? DEFAULT_RETRY.maxRetries, "retryOptions.maxRetries"),
    initialDelayMs: milliseconds(initial.value ?? DEFAULT_RETRY.initialDelayMs, initial.name),
    maxDelayMs: milliseconds(max.value ?? DEFAULT_RETRY.maxDelayMs, max.name),
    // At most half the call's deadline, so one black-holed attempt leaves time for another.
    attemptTimeoutMs: Math.min(DEFAULT_RETRY.attemptTimeoutMs, timeoutMs / 2),
  };
}

/** The projected token's path: the option, else AZURE_FEDERATED_TOKEN_FILE (also for createAssertionCallback). */
export function resolveTokenFilePath(explicit: unknown, env: Environment): string {
  return required(explicit, "tokenFilePath", AZURE_FEDERATED_TOKEN_FILE, env);
}

/**
 * An option's value, or undefined when it was not given or is empty: as in every Azure SDK, `clientId: ""`
 * falls back to the variable (code often passes `process.env.X ?? ""` or a blank setting through).
 */
function given(explicit: unknown, option: string): string | undefined {
  if (explicit === undefined || explicit === null) return undefined;
  if (typeof explicit !== "string") invalid(`the ${option} option must be a string`);
  return nonEmpty(explicit);
}

function required(explicit: unknown, option: string, variable: string, env: Environment): string {
  const value = given(explicit, option) ?? nonEmpty(env[variable]);
  if (value === undefined) {
    const state = env[variable] === undefined ? "is not set" : "is empty";
    const optionState = explicit === undefined || explicit === null ? "no" : "an empty";
    throw new CredentialUnavailableError(
      "ERR_MISSING_CONFIGURATION",
      `${PREFIX} ${variable} ${state} and ${optionState} ${option} option was given. ${NOT_IN_POD}; ${TROUBLESHOOTING}`,
    );
  }
  return value;
}

function resolveAuthorityHost(value: string): string {
  // Messages show the value redacted: it may carry a password or a signed query. No authority has an "@",
  // and "user:pw@host" or a password with a "/" do not parse as credentials: refuse them all, unquoted.
  if (value.includes("@")) invalid("the authority host must not contain credentials");
  if (!URL.canParse(value)) {
    invalid(`the authority host ${redactUrl(value)} is not a URL; use e.g. ${DEFAULT_AUTHORITY_HOST}`);
  }
  const url = new URL(value);
  if (url.protocol !== "https:") invalid(`the authority host ${redactUrl(value)} must use https`);
  // A bare "?" or "#" leaves search and hash empty, so look at the text itself.
  if (value.includes("?") || value.includes("#")) {
    invalid(`the authority host ${redactUrl(value)} must not have a query or fragment`);
  }
  return url.href.endsWith("/") ? url.href : `${url.href}/`;
}

/** Quotes user input on one line: JSON escapes newlines and control characters. */
export function quote(value: string): string {
  return JSON.stringify(value);
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === "" ? undefined : trimmed;
}

/** setTimeout's limit: a larger delay would silently become 1 ms. */
const MAX_TIMER_MS = 2_147_483_647;

function nonNegative(value: number, option: string): number {
  if (!(typeof value === "number" && Number.isFinite(value) && value >= 0))
    invalid(`${option} must be a number >= 0`);
  return value;
}

function wholeNumber(value: number, option: string): number {
  if (!Number.isInteger(nonNegative(value, option))) invalid(`${option} must be a whole number`);
  return value;
}

/** A delay or timeout: a timer cannot wait longer than MAX_TIMER_MS. */
function milliseconds(value: number, option: string): number {
  if (nonNegative(value, option) > MAX_TIMER_MS) {
    invalid(`${option} must be at most ${MAX_TIMER_MS} ms (about 24.8 days)`);
  }
  return value;
}

function invalid(problem: string): never {
  throw new CredentialUnavailableError("ERR_INVALID_CONFIGURATION", `${PREFIX} ${problem}.`);
}

// Resolves and validates the configuration once: explicit option ?? environment variable ?? default.
// Pure: the environment is a parameter, so tests never touch process.env.
import { CredentialUnavailableError } from "../errors/errors.js";
import {
  AZURE_ADDITIONALLY_ALLOWED_TENANTS,
  AZURE_AUTHORITY_HOST,
  AZURE_CLIENT_ID,
  AZURE_FEDERATED_TOKEN_FILE,
  AZURE_TENANT_ID,
  DEFAULT_AUTHORITY_HOST,
  TROUBLESHOOTING,
} from "./environment.js";
import { redactUrl } from "../lib/redact-url.js";
import type { WorkloadIdentityCredentialOptions } from "./options.js";
import { tenantNameProblem } from "./tenant-name.js";

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
  retry: ResolvedRetry;
  timeoutMs: number;
  federatedCredentialPropagationMs: number;
  loggingEnabled: boolean;
}

type Environment = Record<string, string | undefined>;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PREFIX = "WorkloadIdentityCredential:";
const NOT_IN_POD =
  'In a pod, the Workload Identity webhook sets it when the pod is labelled azure.workload.identity/use: "true" ' +
  "and its service account is annotated azure.workload.identity/client-id";

export function resolveConfig(options: WorkloadIdentityCredentialOptions, env: Environment): ResolvedConfig {
  const clientId = required(options.clientId, "clientId", AZURE_CLIENT_ID, env);
  if (!GUID.test(clientId)) {
    invalid(
      `the client id ${quote(clientId)} is not a GUID; use the application (client) id of the app registration or managed identity`,
    );
  }
  const tenantId = required(options.tenantId, "tenantId", AZURE_TENANT_ID, env);
  const tenantProblem = tenantNameProblem(tenantId);
  if (tenantProblem !== undefined) invalid(`the tenant ${quote(tenantId)} ${tenantProblem}`);
  const tokenFilePath = resolveTokenFilePath(options.tokenFilePath, env);
  const authorityHost = resolveAuthorityHost(
    options.authorityHost ?? nonEmpty(env[AZURE_AUTHORITY_HOST]) ?? DEFAULT_AUTHORITY_HOST,
  );

  const fromEnv = (env[AZURE_ADDITIONALLY_ALLOWED_TENANTS] ?? "").split(";").map((t) => t.trim());
  const additionallyAllowedTenants = [...(options.additionallyAllowedTenants ?? []), ...fromEnv].filter(
    (t) => t !== "",
  );

  const timeoutMs = milliseconds(options.timeoutMs ?? 60_000, "timeoutMs");
  if (timeoutMs === 0) invalid("timeoutMs must be greater than 0");
  const retry: ResolvedRetry = {
    ...DEFAULT_RETRY,
    maxRetries: wholeNumber(
      options.retryOptions?.maxRetries ?? DEFAULT_RETRY.maxRetries,
      "retryOptions.maxRetries",
    ),
    initialDelayMs: milliseconds(
      options.retryOptions?.initialDelayMs ?? DEFAULT_RETRY.initialDelayMs,
      "retryOptions.initialDelayMs",
    ),
    maxDelayMs: milliseconds(
      options.retryOptions?.maxDelayMs ?? DEFAULT_RETRY.maxDelayMs,
      "retryOptions.maxDelayMs",
    ),
    // At most half the call's deadline, so one black-holed attempt leaves time for another.
    attemptTimeoutMs: Math.min(DEFAULT_RETRY.attemptTimeoutMs, timeoutMs / 2),
  };

  return {
    clientId,
    tenantId,
    tokenFilePath,
    authorityHost,
    additionallyAllowedTenants,
    retry,
    timeoutMs,
    federatedCredentialPropagationMs: milliseconds(
      options.federatedCredentialPropagationMs ?? 60_000,
      "federatedCredentialPropagationMs",
    ),
    loggingEnabled: options.loggingEnabled ?? true,
  };
}

/** The projected token's path: the option, else AZURE_FEDERATED_TOKEN_FILE (also for createAssertionCallback). */
export function resolveTokenFilePath(explicit: string | undefined, env: Environment): string {
  return required(explicit, "tokenFilePath", AZURE_FEDERATED_TOKEN_FILE, env);
}

function required(explicit: string | undefined, option: string, variable: string, env: Environment): string {
  if (explicit !== undefined) {
    if (typeof explicit !== "string" || explicit.trim() === "") invalid(`the ${option} option is empty`);
    return explicit.trim();
  }
  const value = nonEmpty(env[variable]);
  if (value === undefined) {
    const state = env[variable] === undefined ? "is not set" : "is empty";
    throw new CredentialUnavailableError(
      "ERR_MISSING_CONFIGURATION",
      `${PREFIX} ${variable} ${state} and no ${option} option was given. ${NOT_IN_POD}; ${TROUBLESHOOTING}`,
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

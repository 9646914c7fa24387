// WorkloadIdentityCredential: an @azure/core-auth TokenCredential for Entra ID Workload Identity federation.
import type { AccessToken, GetTokenOptions, TokenCredential } from "@azure/core-auth";
import { CachedToken, TokenCache } from "./cache/token-cache.js";
import { refreshPoint } from "./cache/refresh-policy.js";
import { reasonOf, Waiters } from "./cache/waiters.js";
import { monotonicNow, systemClock, type Clock } from "./clock.js";
import type { WorkloadIdentityCredentialOptions } from "./config/options.js";
import { resolveConfig, type ResolvedConfig } from "./config/resolve-config.js";
import { tenantForRequest } from "./config/tenant.js";
import { abortError, WorkloadIdentityError } from "./errors/errors.js";
import { MsalExchange } from "./exchange/msal-exchange.js";
import { createLog, type Log } from "./log.js";
import { ExchangeContexts } from "./network/exchange-context.js";
import { RetryingNetworkClient } from "./network/retrying-network-client.js";

export class WorkloadIdentityCredential implements TokenCredential {
  private readonly config: ResolvedConfig;
  private readonly clock: Clock;
  private readonly log: Log;
  private readonly cache: TokenCache;
  private readonly exchanger: MsalExchange;
  private readonly networkClient: RetryingNetworkClient;
  /** Claims challenges in flight: N requests hitting one CAE challenge make one exchange. */
  private readonly challenges = new Map<string, Promise<CachedToken>>();
  /** Callers waiting on each exchange, by cache key and by challenge: the last to abort abandons it. */
  private readonly waiters = new Waiters();
  private readonly challengeWaiters = new Waiters();

  /**
   * Options win over the environment the Workload Identity webhook injects (`AZURE_CLIENT_ID`,
   * `AZURE_TENANT_ID`, `AZURE_FEDERATED_TOKEN_FILE`, `AZURE_AUTHORITY_HOST`).
   * @throws CredentialUnavailableError naming the missing or invalid setting
   */
  constructor(options: WorkloadIdentityCredentialOptions = {}) {
    const env = options.env ?? process.env;
    this.config = resolveConfig(options, env);
    this.clock = options.clock ?? systemClock;
    this.log = createLog(this.config.loggingEnabled);
    this.cache = new TokenCache(this.clock, {
      onBackgroundFailure: (key, error, retryInMs) => {
        this.log.warning(
          `Background token refresh failed (${describe(error)}); still serving the cached token for ${scopeOf(key)}, next try in ${Math.round(retryInMs / 1000)} s.`,
        );
      },
    });
    const contexts = new ExchangeContexts();
    const networkClient = new RetryingNetworkClient({
      contexts,
      clock: this.clock,
      retry: this.config.retry,
      log: this.log,
      env,
    });
    this.networkClient = networkClient;
    this.exchanger = new MsalExchange(this.config, networkClient, contexts, this.clock, this.log);
    this.log.info(
      `WorkloadIdentityCredential configured: client id from ${source(options.clientId, "AZURE_CLIENT_ID")}, ` +
        `tenant from ${source(options.tenantId, "AZURE_TENANT_ID")}, token file from ${source(options.tokenFilePath, "AZURE_FEDERATED_TOKEN_FILE")}, ` +
        `authority ${this.config.authorityHost}.`,
    );
  }

  /**
   * A token for one resource (`RESOURCE/.default`). Cached per (tenant, scopes, CAE); the cached token is
   * returned without I/O until its refresh point, then refreshed in the background while still served.
   */
  async getToken(scopes: string | string[], options: GetTokenOptions = {}): Promise<AccessToken> {
    if (options.abortSignal?.aborted) throw abortError(reasonOf(options.abortSignal));
    const tenantId =
      options.tenantId === undefined
        ? this.config.tenantId
        : tenantForRequest(this.config.tenantId, this.config.additionallyAllowedTenants, options.tenantId);
    const scopeList = typeof scopes === "string" ? [scopes] : scopes;
    // Before any state exists: a refused request must leave nothing behind in the cache.
    validateScopes(scopeList);
    const enableCae = options.enableCae === true;
    const key = cacheKey(tenantId, scopeList, enableCae);

    const askAgain = () => this.getToken(scopes, options);
    if (options.claims) {
      // A claims challenge (CAE) means the cached token was revoked: always go to Entra.
      const challengeKey = `${key}|${options.claims}`;
      const answer = this.answerChallenge(key, challengeKey, tenantId, scopeList, enableCae, options.claims);
      return this.challengeWaiters.wait(challengeKey, answer, options.abortSignal, askAgain);
    }
    const cached = this.cache.get(key, () =>
      this.waiters.run(key, (abandoned) => this.fetch(tenantId, scopeList, enableCae, abandoned)),
    );
    return cached instanceof Promise ? this.waiters.wait(key, cached, options.abortSignal, askAgain) : cached;
  }

  /**
   * Closes the proxy connections this credential opened (there are none without HTTPS_PROXY). For code that
   * makes credentials on demand and lets them go; a later getToken opens what it needs again.
   */
  close(): Promise<void> {
    return this.networkClient.close();
  }

  /** `await using credential = new WorkloadIdentityCredential()` closes it at the end of the scope. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  private answerChallenge(
    key: string,
    challengeKey: string,
    tenantId: string,
    scopes: string[],
    enableCae: boolean,
    claims: string,
  ): Promise<CachedToken> {
    let pending = this.challenges.get(challengeKey);
    if (pending === undefined) {
      pending = this.challengeWaiters
        .run(challengeKey, (abandoned) => this.fetch(tenantId, scopes, enableCae, abandoned, claims))
        .then((token) => {
          this.cache.set(key, token);
          return token;
        });
      const settled = pending.finally(() => this.challenges.delete(challengeKey));
      settled.catch(() => undefined);
      this.challenges.set(challengeKey, pending);
    }
    return pending;
  }

  private async fetch(
    tenantId: string,
    scopes: string[],
    enableCae: boolean,
    abandoned: AbortSignal,
    claims?: string,
  ): Promise<CachedToken> {
    const started = monotonicNow(this.clock);
    // A timer cleared when the exchange ends: AbortSignal.timeout() would keep one alive for timeoutMs each time.
    const deadline = new AbortController();
    const timer = setTimeout(() => {
      deadline.abort(new Error(`no token within ${this.config.timeoutMs} ms`));
    }, this.config.timeoutMs);
    timer.unref();
    let result;
    try {
      result = await this.exchanger.exchange({
        tenantId,
        scopes,
        enableCae,
        signal: AbortSignal.any([deadline.signal, abandoned]),
        ...(claims === undefined ? {} : { claims }),
      });
    } finally {
      clearTimeout(timer);
    }
    const refreshAfterTimestamp = refreshPoint(
      result.receivedAt,
      result.expiresOnTimestamp,
      result.refreshOnTimestamp,
    );
    this.log.info(
      `Token acquired for ${scopes.join(" ")} (tenant ${tenantId}) in ${Math.round(monotonicNow(this.clock) - started)} ms; ` +
        `expires in ${Math.round((result.expiresOnTimestamp - result.receivedAt) / 1000)} s, refresh from ${Math.round((refreshAfterTimestamp - result.receivedAt) / 1000)} s.`,
    );
    return {
      token: result.token,
      expiresOnTimestamp: result.expiresOnTimestamp,
      refreshAfterTimestamp,
      tokenType: "Bearer",
    };
  }
}

function cacheKey(tenantId: string, scopes: string[], enableCae: boolean): string {
  const scopeKey = scopes.length === 1 ? (scopes[0] ?? "") : [...scopes].sort().join(" ");
  return `${enableCae ? "cae" : "-"}|${tenantId}|${scopeKey}`;
}

function scopeOf(key: string): string {
  return key.slice(key.indexOf("|", key.indexOf("|") + 1) + 1);
}

function validateScopes(scopes: string[]): void {
  if (scopes.length === 0 || scopes.some((s) => typeof s !== "string" || s.trim() === "")) {
    throw new WorkloadIdentityError(
      "ERR_INVALID_SCOPE",
      'getToken needs one scope, such as "https://vault.azure.net/.default".',
    );
  }
  if (scopes.length > 1) {
    throw new WorkloadIdentityError(
      "ERR_INVALID_SCOPE",
      `getToken got ${scopes.length} scopes (${scopes.join(", ")}); Entra issues a token for one resource at a time: ask for each "RESOURCE/.default" separately.`,
    );
  }
  const [scope] = scopes;
  if (scope !== undefined && !scope.endsWith("/.default")) {
    throw new WorkloadIdentityError(
      "ERR_INVALID_SCOPE",
      `The scope "${scope}" does not end in "/.default"; client-credential tokens need "RESOURCE/.default", e.g. "https://vault.azure.net/.default".`,
    );
  }
}

function source(option: string | undefined, variable: string): string {
  return option === undefined ? variable : "options";
}

function describe(error: unknown): string {
  return error instanceof WorkloadIdentityError ? `${error.code}: ${error.message}` : String(error);
}

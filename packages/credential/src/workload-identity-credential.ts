// WorkloadIdentityCredential: an @azure/core-auth TokenCredential for Entra ID Workload Identity federation.
import type { AccessToken, GetTokenOptions, TokenCredential } from "@azure/core-auth";
import { CachedToken, TokenCache } from "./cache/token-cache.js";
import { refreshPoint } from "./cache/refresh-policy.js";
import { systemClock, type Clock } from "./clock.js";
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
  /** Claims challenges in flight: N requests hitting one CAE challenge make one exchange. */
  private readonly challenges = new Map<string, Promise<CachedToken>>();

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
      env,
    });
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
    const enableCae = options.enableCae === true;
    const key = cacheKey(tenantId, scopeList, enableCae);

    if (options.claims) {
      // A claims challenge (CAE) means the cached token was revoked: always go to Entra.
      return raceAbort(
        this.answerChallenge(key, tenantId, scopeList, enableCae, options.claims),
        options.abortSignal,
      );
    }
    const cached = this.cache.get(key, () => this.fetch(tenantId, scopeList, enableCae));
    return cached instanceof Promise ? raceAbort(cached, options.abortSignal) : cached;
  }

  private answerChallenge(
    key: string,
    tenantId: string,
    scopes: string[],
    enableCae: boolean,
    claims: string,
  ): Promise<CachedToken> {
    const challengeKey = `${key}|${claims}`;
    let pending = this.challenges.get(challengeKey);
    if (pending === undefined) {
      pending = this.fetch(tenantId, scopes, enableCae, claims).then((token) => {
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
    claims?: string,
  ): Promise<CachedToken> {
    validateScopes(scopes);
    const started = this.clock.now();
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
        signal: deadline.signal,
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
      `Token acquired for ${scopes.join(" ")} (tenant ${tenantId}) in ${this.clock.now() - started} ms; ` +
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

type AbortSignalLike = NonNullable<GetTokenOptions["abortSignal"]>;

function raceAbort<T>(promise: Promise<T>, signal: AbortSignalLike | undefined): Promise<T> {
  if (signal === undefined) return promise;
  if (signal.aborted) return Promise.reject(abortError(reasonOf(signal)));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      reject(abortError(reasonOf(signal)));
    };
    signal.addEventListener("abort", onAbort, { once: true });
    void promise.then(resolve, reject).finally(() => {
      signal.removeEventListener("abort", onAbort);
    });
  });
}

/** core-auth's AbortSignalLike has no `reason`; a real AbortSignal does. */
function reasonOf(signal: AbortSignalLike): unknown {
  return (signal as { reason?: unknown }).reason;
}

function source(option: string | undefined, variable: string): string {
  return option === undefined ? variable : "options";
}

function describe(error: unknown): string {
  return error instanceof WorkloadIdentityError ? `${error.code}: ${error.message}` : String(error);
}

// WorkloadIdentityCredential: an @azure/core-auth TokenCredential for Entra ID Workload Identity federation.
import type { AccessToken, GetTokenOptions, TokenCredential } from "@azure/core-auth";
import { refreshPoint } from "./cache/refresh-policy.js";
import { reasonOf, TokenCache, type CachedToken, type TokenKey } from "./cache/token-cache.js";
import { monotonicNow, systemClock, type Clock } from "./clock.js";
import type { WorkloadIdentityCredentialOptions } from "./config/options.js";
import { resolveConfig, type ResolvedConfig } from "./config/resolve-config.js";
import { tenantForRequest } from "./config/tenant.js";
import { abortError, WorkloadIdentityError } from "./errors/errors.js";
import { MsalExchange } from "./exchange/msal-exchange.js";
import { createLog, type Log } from "./log.js";
import { RetryingNetworkClient } from "./network/retrying-network-client.js";
import { TokenProxyRoute } from "./network/token-proxy-route.js";
import { tokenFileSupplier } from "./token-file/assertion-supplier.js";
import { traceGetToken } from "./tracing.js";

export class WorkloadIdentityCredential implements TokenCredential {
  private readonly config: ResolvedConfig;
  private readonly clock: Clock;
  private readonly log: Log;
  private readonly cache: TokenCache;
  private readonly exchanger: MsalExchange;
  private readonly networkClient: RetryingNetworkClient;

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
    for (const warning of this.config.warnings) this.log.warning(`WorkloadIdentityCredential: ${warning}.`);
    for (const note of this.config.notes) this.log.info(`WorkloadIdentityCredential: ${note}`);
    const { tokenProxy } = this.config;
    this.cache = new TokenCache(this.clock, {
      onBackgroundFailure: (key, error, retryInMs) => {
        this.log.warning(
          `Background token refresh failed (${describe(error)}); still serving the cached token for ${key.scope}, next try in ${Math.round(retryInMs / 1000)} s.`,
        );
      },
    });
    const networkClient = new RetryingNetworkClient({
      clock: this.clock,
      retry: this.config.retry,
      log: this.log,
      env,
      ...(tokenProxy === undefined ? {} : { tokenProxy: new TokenProxyRoute(tokenProxy, this.log) }),
    });
    this.networkClient = networkClient;
    this.exchanger = new MsalExchange(
      this.config,
      networkClient,
      tokenFileSupplier(this.config.tokenFilePath),
      this.clock,
      this.log,
    );
    this.log.info(
      `WorkloadIdentityCredential configured: client id from ${source(options.clientId, "AZURE_CLIENT_ID")}, ` +
        `tenant from ${source(options.tenantId, "AZURE_TENANT_ID")}, token file from ${source(options.tokenFilePath, "AZURE_FEDERATED_TOKEN_FILE")}, ` +
        `authority ${this.config.authorityHost}${tokenProxy === undefined ? "" : `, token requests through the identity binding's token proxy ${tokenProxy.base}${tokenProxy.sniName === undefined ? "" : ` (server name ${tokenProxy.sniName})`}, CA from ${tokenProxy.ca?.variable ?? "the system trust store"}`}.`,
    );
  }

  /**
   * A token for one resource (`RESOURCE/.default`). Cached per (tenant, scopes, CAE); the cached token is
   * returned without I/O until its refresh point, then refreshed in the background while still served.
   */
  async getToken(scopes: string | string[], options: GetTokenOptions = {}): Promise<AccessToken> {
    // A span per call, cache hits included, as in every Azure SDK credential (none when nothing traces).
    return traceGetToken(options, () => {
      if (options.abortSignal?.aborted) throw abortError(reasonOf(options.abortSignal));
      const tenantId =
        options.tenantId === undefined
          ? this.config.tenantId
          : tenantForRequest(
              {
                configured: this.config.tenantId,
                allowed: this.config.additionallyAllowedTenants,
                multiTenantDisabled: this.config.multiTenantDisabled,
              },
              options.tenantId,
            );
      const scopeList = typeof scopes === "string" ? [scopes] : scopes;
      // Before any state exists: a refused request must leave nothing behind in the cache.
      const scope = validScope(scopeList);
      const key: TokenKey = { tenantId, scope, enableCae: options.enableCae === true };
      const { claims, abortSignal } = options;
      if (claims) {
        // A claims challenge (CAE) means the cached token was revoked: always go to Entra.
        return this.cache.challenge(
          key,
          claims,
          (abandoned) => this.fetch(key, abandoned, claims),
          abortSignal,
        );
      }
      return this.cache.get(key, (abandoned) => this.fetch(key, abandoned), abortSignal);
    });
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

  private async fetch(
    { tenantId, scope, enableCae }: TokenKey,
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
        scopes: [scope],
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
      `Token acquired for ${scope} (tenant ${tenantId}) in ${Math.round(monotonicNow(this.clock) - started)} ms; ` +
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

/** The one scope of a valid request; throws ERR_INVALID_SCOPE otherwise. */
function validScope(scopes: string[]): string {
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
  const [scope = ""] = scopes;
  if (!scope.endsWith("/.default")) {
    throw new WorkloadIdentityError(
      "ERR_INVALID_SCOPE",
      `The scope "${scope}" does not end in "/.default"; client-credential tokens need "RESOURCE/.default", e.g. "https://vault.azure.net/.default".`,
    );
  }
  return scope;
}

/** Where a setting came from: an empty option falls back to the variable (resolve-config.ts). */
function source(option: string | undefined, variable: string): string {
  return typeof option === "string" && option.trim() !== "" ? "options" : variable;
}

function describe(error: unknown): string {
  return error instanceof WorkloadIdentityError ? `${error.code}: ${error.message}` : String(error);
}

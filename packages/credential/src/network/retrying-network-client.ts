// The network module given to MSAL: retries 408/429/5xx below MSAL, honours the caller's abort and the proxy variables.
// Retries live here because MSAL's throttle cache arms itself on any 429/5xx or Retry-After it sees and then
// fails identical requests without touching the network, so such a response must never be returned to MSAL.
import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from "@azure/msal-node";
import { systemClock, type Clock } from "../clock.js";
import type { ResolvedRetry } from "../config/resolve-config.js";
import type { Log } from "../log.js";
import { parseRetryAfter, retryDelayMs, RETRYABLE_STATUSES } from "./backoff.js";
import { currentExchange, type ExchangeRecord, type TokenRequestFailure } from "./exchange-context.js";
import { createNodeFetch } from "./node-fetch.js";
import { isVerificationFailure, type TokenProxyRoute } from "./token-proxy-route.js";
import { errorCode, exchange, proxyRefusalStatus, Transport, type Answer, type Fetch } from "./transport.js";

export interface RetryingNetworkClientDeps {
  retry: ResolvedRetry;
  log: Log;
  clock?: Clock;
  random?: () => number;
  env?: NodeJS.ProcessEnv;
  /** Used for direct requests (default: node:https); proxied requests always use undici's fetch. */
  fetch?: Fetch;
  /** An identity binding's token proxy: every request goes there instead of the address MSAL gives. */
  tokenProxy?: TokenProxyRoute;
}

export class RetryingNetworkClient implements INetworkModule {
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly retry: ResolvedRetry;
  private readonly log: Log;
  private readonly transport: Transport;
  private readonly tokenProxy: TokenProxyRoute | undefined;

  constructor(deps: RetryingNetworkClientDeps) {
    this.tokenProxy = deps.tokenProxy;
    this.clock = deps.clock ?? systemClock;
    this.random = deps.random ?? Math.random;
    this.retry = deps.retry;
    this.log = deps.log;
    this.transport = new Transport(deps.env ?? process.env, deps.fetch ?? createNodeFetch(), deps.log);
  }

  sendGetRequestAsync<T>(url: string, options?: NetworkRequestOptions, timeout?: number) {
    return this.send<T>("GET", url, options ?? {}, timeout);
  }

  sendPostRequestAsync<T>(url: string, options?: NetworkRequestOptions) {
    return this.send<T>("POST", url, options ?? {});
  }

  /** Closes the connections this client opened through proxies and to an identity binding's token proxy. */
  async close(): Promise<void> {
    await Promise.all([this.transport.close(), this.tokenProxy?.close()]);
  }

  // Host only: the path holds just the tenant, but a URL is never logged whole by this package.
  private logRetry(url: string, why: string, attempts: number, delayMs: number): void {
    const host = URL.canParse(url) ? new URL(url).host : "token endpoint";
    this.log.info(`Token request to ${host} got ${why} on attempt ${attempts}; retrying in ${delayMs} ms.`);
  }

  private proxyFailure(url: string, status: number, attempts: number): TokenRequestFailure {
    return {
      kind: "proxy",
      status,
      variable: this.transport.proxyVariableFor(url) ?? "HTTPS_PROXY",
      attempts,
    };
  }

  private async send<T>(
    method: string,
    addressed: string,
    options: NetworkRequestOptions,
    timeoutMs?: number,
  ): Promise<NetworkResponse<T>> {
    const context = currentExchange();
    const signal = context?.signal;
    if (context) {
      // A new request supersedes an earlier one's outcome.
      delete context.failure;
      delete context.answer;
    }
    // In an identity-binding pod, every request MSAL makes goes to the cluster's token proxy instead.
    const route = this.tokenProxy;
    const url = route === undefined ? addressed : route.target(addressed);
    if (context && route) context.route = route.describe();
    let attempts = 0;
    let send: Fetch;
    const connect = async () => this.transport.fetchFor(url, await route?.tls());
    try {
      send = await connect();
    } catch (error) {
      throw fail(context, { kind: "network", error: asError(error), attempts }); // configuration: no retry helps
    }
    // A certificate that does not verify gets one fresh read of the rotating CA, then fails: no backoff helps.
    let caReloaded = false;
    const { headers, body } = options;
    // When the deadline ends a wait between retries, the answer that caused the wait says more than "aborted".
    let lastHttpFailure: TokenRequestFailure | undefined;
    for (;;) {
      if (signal?.aborted) {
        throw fail(context, lastHttpFailure ?? { kind: "aborted", reason: signal.reason, attempts });
      }
      attempts += 1;
      // MSAL passes a timeout only for GETs to IMDS; it bounds each attempt, so expiring is retried.
      const outcome = await exchange(send, url, {
        method,
        headers,
        body,
        signal,
        timeoutMs: timeoutMs ?? this.retry.attemptTimeoutMs,
      });
      const retriesLeft = attempts <= this.retry.maxRetries;
      let delayMs: number;
      if ("error" in outcome) {
        if (signal?.aborted) throw fail(context, { kind: "aborted", reason: signal.reason, attempts });
        const refusedWith = proxyRefusalStatus(outcome.error);
        if (refusedWith !== undefined) throw fail(context, this.proxyFailure(url, refusedWith, attempts));
        if (route && isVerificationFailure(errorCode(outcome.error))) {
          if (!caReloaded) {
            caReloaded = true;
            if (await route.reload()) {
              send = await connect();
              this.log.info(
                "The token proxy's certificate did not verify; retrying at once with its CA read again.",
              );
              continue;
            }
          }
          throw fail(context, { kind: "tls", error: asError(outcome.error), attempts });
        }
        lastHttpFailure = undefined;
        if (!retriesLeft) throw fail(context, { kind: "network", error: asError(outcome.error), attempts });
        delayMs = retryDelayMs(attempts, this.retry, this.random);
        this.logRetry(url, errorCode(outcome.error), attempts, delayMs);
      } else {
        const { status } = outcome;
        if (status >= 200 && status < 300) return parseBody<T>(context, outcome, attempts);
        if (!RETRYABLE_STATUSES.includes(status) || !retriesLeft)
          throw fail(context, httpFailure(outcome, attempts));
        lastHttpFailure = httpFailure(outcome, attempts);
        const retryAfterMs = parseRetryAfter(outcome.headers["retry-after"], this.clock.now());
        delayMs =
          retryAfterMs === undefined
            ? retryDelayMs(attempts, this.retry, this.random)
            : Math.min(retryAfterMs, this.retry.maxRetryAfterMs);
        this.logRetry(url, `HTTP ${status}`, attempts, delayMs);
      }
      try {
        await this.clock.sleep(delayMs, signal);
      } catch {
        // Only an abort ends a sleep early; the check at the top of the loop records it.
      }
    }
  }
}

function parseBody<T>(
  context: ExchangeRecord | undefined,
  answer: Answer,
  attempts: number,
): NetworkResponse<T> {
  let body: T;
  try {
    body = JSON.parse(answer.text) as T;
  } catch {
    throw fail(context, httpFailure(answer, attempts)); // a captive portal or a misrouted proxy, not a token
  }
  if (context) context.answer = lifetimeOf(body);
  return { status: answer.status, headers: answer.headers, body };
}

/** `expires_in` and `refresh_in` as sent: numbers, or numeric strings (Entra's v1 endpoint sends strings). */
function lifetimeOf(body: unknown): ExchangeRecord["answer"] {
  const fields = typeof body === "object" && body !== null ? (body as Record<string, unknown>) : {};
  const seconds = (value: unknown) =>
    typeof value === "number" || (typeof value === "string" && value.trim() !== "")
      ? Number(value)
      : undefined;
  return { expiresInSeconds: seconds(fields.expires_in), refreshInSeconds: seconds(fields.refresh_in) };
}

function httpFailure({ status, headers, text }: Answer, attempts: number): TokenRequestFailure {
  return { kind: "http", status, headers, body: text, attempts };
}

// MSAL replaces this error with its own network_error; the exchange's record carries the detail to the credential.
function fail(context: ExchangeRecord | undefined, failure: TokenRequestFailure): Error {
  if (context) context.failure = failure;
  const tries = `after ${failure.attempts} attempt${failure.attempts === 1 ? "" : "s"}`;
  switch (failure.kind) {
    case "http":
      return new Error(`Token request failed with HTTP ${failure.status} ${tries}.`);
    case "network":
      return new Error(`Token request failed with ${errorCode(failure.error)} ${tries}.`, {
        cause: failure.error,
      });
    case "aborted":
      return new Error(`Token request aborted ${tries}.`, { cause: failure.reason });
    case "proxy":
      return new Error(`Token request refused by the proxy with HTTP ${failure.status} ${tries}.`);
    case "tls":
      return new Error(`Token request failed TLS verification (${errorCode(failure.error)}) ${tries}.`, {
        cause: failure.error,
      });
  }
}

// Duck-typed: an error from another realm (fetch's, under jest) is still an error worth keeping whole.
function asError(error: unknown): Error {
  const isError = typeof error === "object" && error !== null && typeof (error as Error).message === "string";
  return isError ? (error as Error) : new Error(String(error));
}

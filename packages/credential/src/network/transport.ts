// One HTTP exchange for the network client, sent directly or, when HTTPS_PROXY/HTTP_PROXY apply, through a proxy.
import type { ProxyAgent } from "undici";
import { importUndiciLeavingGlobalDispatcher } from "./load-undici.js";
import type { Log } from "../log.js";
import { redactUrl } from "../lib/redact-url.js";
import { proxyVariableFor, resolveProxy } from "./proxy.js";
import type { ProxyTls } from "./token-proxy-route.js";

// The slice of fetch used here, which both the global fetch and undici's (whose types differ in detail) satisfy.
export type Fetch = (
  url: string,
  init: { method: string; headers?: Record<string, string>; body?: string; signal?: AbortSignal },
) => Promise<{
  status: number;
  headers: { forEach(callback: (value: string, name: string) => void): void };
  text(): Promise<string>;
}>;

export interface Answer {
  status: number;
  /** Header names in lower case, as MSAL's own client returns them. */
  headers: Record<string, string>;
  text: string;
}

export interface ExchangeOptions {
  method: string;
  headers?: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
  /** Bounds this one exchange; expiring is a network error, unlike the caller's signal. */
  timeoutMs?: number;
}

interface Proxied {
  fetch: Fetch;
  agent: ProxyAgent;
}

// Loaded on the first proxied request only: most pods have no proxy and should not load a second HTTP stack.
// The package's undici, not Node's bundled one, because its ProxyAgent must match the fetch it is given to.
let undici: Promise<typeof import("undici")> | undefined;
const loadUndici = () => (undici ??= importUndiciLeavingGlobalDispatcher());

export class Transport {
  private readonly proxied = new Map<string, Promise<Proxied>>();

  constructor(
    private readonly env: NodeJS.ProcessEnv,
    private readonly directFetch: Fetch,
    private readonly log: Log,
  ) {}

  /**
   * The fetch for `url`, with the identity binding's TLS settings when given; throws when the proxy variable that
   * applies is not a URL.
   */
  fetchFor(url: string, tls?: ProxyTls): Promise<Fetch> {
    const proxy = resolveProxy(url, this.env);
    if (proxy === undefined) return Promise.resolve(tls?.direct ?? this.directFetch);
    const key = tls === undefined ? proxy : `${proxy} ${tls.key}`;
    let proxied = this.proxied.get(key);
    if (proxied === undefined) {
      this.retireOthers(proxy, key);
      proxied = createProxiedFetch(proxy, tls?.options);
      this.log.info(`Sending token requests through proxy ${redactUrl(proxy)}.`);
      this.proxied.set(key, proxied);
    }
    return proxied.then((p) => p.fetch);
  }

  /** A rotated CA replaces the agents made for the old one through the same proxy. */
  private retireOthers(proxy: string, key: string): void {
    for (const [other, proxied] of this.proxied) {
      if (other !== key && other.startsWith(`${proxy} `)) {
        this.proxied.delete(other);
        void proxied.then(
          (p) => p.agent.close(),
          () => undefined,
        );
      }
    }
  }

  /** The variable that names the proxy for `url`, when one applies. */
  proxyVariableFor(url: string): string | undefined {
    return resolveProxy(url, this.env) === undefined ? undefined : proxyVariableFor(url, this.env);
  }

  /** Closes the proxy connections opened so far. */
  async close(): Promise<void> {
    const pending = [...this.proxied.values()];
    this.proxied.clear();
    for (const result of await Promise.allSettled(pending)) {
      if (result.status === "fulfilled") await result.value.agent.close();
    }
  }
}

async function createProxiedFetch(proxy: string, requestTls?: ProxyTls["options"]): Promise<Proxied> {
  const { fetch: undiciFetch, ProxyAgent } = await loadUndici();
  // Without a tunnel, http targets go to the proxy as absolute-URI requests, which every HTTP proxy accepts;
  // https targets still tunnel through CONNECT (with the identity binding's CA and server name inside it).
  const agent = new ProxyAgent({
    uri: proxy,
    proxyTunnel: false,
    ...(requestTls === undefined ? {} : { requestTls }),
  });
  const proxiedFetch: Fetch = (url, init) => undiciFetch(url, { ...init, dispatcher: agent });
  return { fetch: proxiedFetch, agent };
}

/**
 * Sends one request and reads the whole body, so that a connection reset mid-body is reported like one before
 * the headers. Resolves with the answer or with the error; never rejects.
 */
export async function exchange(
  send: Fetch,
  url: string,
  options: ExchangeOptions,
): Promise<Answer | { error: unknown }> {
  const { method, headers, body, signal, timeoutMs } = options;
  // A timer cleared when the attempt ends: AbortSignal.timeout() would outlive it by timeoutMs.
  const timeout = timeoutMs === undefined ? undefined : new AbortController();
  const timer =
    timeout === undefined
      ? undefined
      : setTimeout(() => {
          const error = new Error(`no answer within ${timeoutMs} ms`);
          error.name = "TimeoutError"; // as AbortSignal.timeout() names it
          timeout.abort(error);
        }, timeoutMs);
  timer?.unref();
  const signals = [signal, timeout?.signal].filter((s): s is AbortSignal => s !== undefined);
  try {
    const combined = signals.length > 1 ? AbortSignal.any(signals) : signals[0];
    const response = await send(url, { method, headers, body, signal: combined });
    const text = await response.text();
    const answerHeaders: Record<string, string> = {};
    response.headers.forEach((value, name) => (answerHeaders[name.toLowerCase()] = value));
    return { status: response.status, headers: answerHeaders, text };
  } catch (error) {
    return { error };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The status a proxy refused the request with, when that is why the exchange failed: retrying cannot change
 * it. undici rejects with "Proxy response (403) !== 200 when HTTP Tunneling" for a CONNECT, or "Proxy
 * Authentication Required (407)" for a plain request, on the error or one of its causes.
 */
export function proxyRefusalStatus(error: unknown): number | undefined {
  for (let current: unknown = error, depth = 0; current !== undefined && depth < 5; depth += 1) {
    const message = typeof current === "object" && current !== null ? (current as Error).message : undefined;
    const status =
      typeof message === "string"
        ? /^Proxy (?:response|Authentication Required) \((\d{3})\)/.exec(message)?.[1]
        : undefined;
    if (status !== undefined) return Number(status);
    current = typeof current === "object" && current !== null ? (current as Error).cause : undefined;
  }
  return undefined;
}

/** A short name for a failed exchange: fetch rejects with "fetch failed" and puts ECONNRESET etc. on `cause`. */
export function errorCode(error: unknown): string {
  // Duck-typed rather than instanceof: under jest, fetch's errors come from another realm.
  const field = (value: unknown, key: string) =>
    typeof value === "object" && value !== null ? (value as Record<string, unknown>)[key] : undefined;
  const candidates = [field(field(error, "cause"), "code"), field(error, "code"), field(error, "name")];
  const code = candidates.find((candidate) => typeof candidate === "string");
  return typeof code === "string" ? code : "unknown error";
}

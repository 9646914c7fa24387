// How an exchange learns why its token request failed. MSAL replaces any error its network module throws with a
// generic network_error, so the network module writes the real failure (status, headers, body) on the
// exchange's own record, which travels with the call: MsalExchange runs MSAL inside `withExchange(record, ...)`
// and RetryingNetworkClient reads `currentExchange()`. No map, no id: the record is the exchange's.
import { AsyncLocalStorage } from "node:async_hooks";
import type { TokenProxyDescription } from "./token-proxy-route.js";

export type TokenRequestFailure =
  | { kind: "http"; status: number; headers: Record<string, string>; body: string; attempts: number }
  | { kind: "network"; error: Error; attempts: number }
  /** The proxy refused to connect (CONNECT answered, or an http request answered, with `status`). */
  | { kind: "proxy"; status: number; variable: string; attempts: number }
  | { kind: "aborted"; reason: unknown; attempts: number }
  /** The token proxy's certificate did not verify (an identity binding's CA or server name), after a CA re-read. */
  | { kind: "tls"; error: Error; attempts: number };

export interface ExchangeRecord {
  /** Stops waiting and retrying: the exchange's deadline or its callers' abort. */
  signal?: AbortSignal;
  /** Set by the network module when the request finally fails. */
  failure?: TokenRequestFailure;
  /** Set by the network module when the request went to an identity binding's token proxy. */
  route?: TokenProxyDescription;
  /**
   * The successful answer's `expires_in` and `refresh_in` as sent (seconds; NaN when not a number): MSAL rounds
   * the request time to the second, so its expiry can be up to a second off, which matters for short lifetimes.
   */
  answer?: { expiresInSeconds: number | undefined; refreshInSeconds: number | undefined };
}

const records = new AsyncLocalStorage<ExchangeRecord>();

/** Runs `call` (MSAL's token request) with `record` as the exchange the network module reports to. */
export function withExchange<T>(record: ExchangeRecord, call: () => Promise<T>): Promise<T> {
  return records.run(record, call);
}

/** The record of the exchange this request belongs to, if any. */
export function currentExchange(): ExchangeRecord | undefined {
  return records.getStore();
}

// The in-memory token cache with single-flight exchanges and background refresh.
// A hit is a Map lookup and a clock read; only a missing or expired token makes the caller wait.
// Deadlines are kept on the monotonic clock: a wall clock stepped backwards must not make an expired token
// look valid (msal-node and @azure/identity compare wall-clock times and do serve it). The wall-clock
// timestamps in a CachedToken are only what getToken returns.
import type { AccessToken } from "@azure/core-auth";
import { monotonicNow, type Clock } from "../clock.js";
import { EXPIRY_MARGIN_MS, refreshRetryDelay } from "./refresh-policy.js";

export interface CachedToken extends AccessToken {
  refreshAfterTimestamp: number;
}

export type Fetcher = () => Promise<CachedToken>;

interface Entry {
  token: CachedToken | undefined;
  /** The token's refresh point and expiry on the monotonic clock. */
  refreshAt: number;
  expiresAt: number;
  /** The one exchange in flight for this key, shared by every caller. */
  inFlight: Promise<CachedToken> | undefined;
  failures: number;
  /** No background refresh before this monotonic time (backoff after a failed one). */
  nextRefreshAt: number;
  /** Bumped by set(): an exchange started before a newer token arrived must not overwrite it. */
  generation: number;
}

export interface RefreshEvents {
  onBackgroundFailure?(key: string, error: unknown, retryInMs: number): void;
}

/** More keys than any real app uses (one per tenant, resource and CAE setting): the cap only stops abuse. */
export const DEFAULT_MAX_ENTRIES = 1_000;

export class TokenCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly clock: Clock,
    private readonly events: RefreshEvents = {},
    private readonly maxEntries = DEFAULT_MAX_ENTRIES,
  ) {}

  /** Keys held: tokens, and exchanges under way for keys that have none yet. */
  get size(): number {
    return this.entries.size;
  }

  /** The cached token for `key`, refreshed in the background when due; `fetch` runs only on a miss or refresh. */
  get(key: string, fetch: Fetcher): Promise<CachedToken> | CachedToken {
    const entry = this.entries.get(key);
    const token = entry?.token;
    if (entry !== undefined && token !== undefined) {
      const now = monotonicNow(this.clock);
      if (now < entry.refreshAt) return token;
      if (now < entry.expiresAt - EXPIRY_MARGIN_MS) {
        if (entry.inFlight === undefined && now >= entry.nextRefreshAt)
          this.refreshInBackground(key, entry, fetch);
        return token;
      }
    }
    // Missing or expired: wait, ignoring any backoff, but share an exchange already under way.
    const current = entry ?? this.create(key);
    const exchange = current.inFlight ?? this.start(key, current, fetch);
    if (token === undefined) return exchange;
    // Inside the expiry margin the old token is still valid: if the exchange fails, it beats an error.
    const { expiresAt } = current;
    return exchange.catch((error: unknown) => {
      if (monotonicNow(this.clock) < expiresAt) return token;
      throw error;
    });
  }

  /** Stores a token obtained outside `get` (after a claims challenge). */
  set(key: string, token: CachedToken): void {
    const entry = this.entries.get(key) ?? this.create(key);
    this.store(entry, token);
    entry.generation += 1;
  }

  private create(key: string): Entry {
    if (this.entries.size >= this.maxEntries) this.evictOldest();
    const entry: Entry = {
      token: undefined,
      refreshAt: 0,
      expiresAt: 0,
      inFlight: undefined,
      failures: 0,
      nextRefreshAt: 0,
      generation: 0,
    };
    this.entries.set(key, entry);
    return entry;
  }

  /** Drops the oldest key with no exchange under way (its callers are waiting on it). */
  private evictOldest(): void {
    for (const [key, entry] of this.entries) {
      if (entry.inFlight === undefined) {
        this.entries.delete(key);
        return;
      }
    }
  }

  private store(entry: Entry, token: CachedToken): void {
    // The token's wall-clock times, measured from now, carried over to the monotonic clock.
    const wall = this.clock.now();
    const mono = monotonicNow(this.clock);
    entry.token = token;
    entry.refreshAt = mono + (token.refreshAfterTimestamp - wall);
    entry.expiresAt = mono + (token.expiresOnTimestamp - wall);
    entry.failures = 0;
    entry.nextRefreshAt = 0;
  }

  private start(key: string, entry: Entry, fetch: Fetcher): Promise<CachedToken> {
    const generation = entry.generation;
    const exchange = fetch().then(
      (token) => {
        if (entry.generation === generation) this.store(entry, token);
        return token;
      },
      (error: unknown) => {
        if (entry.generation === generation) {
          entry.failures += 1;
          entry.nextRefreshAt = monotonicNow(this.clock) + refreshRetryDelay(entry.failures);
        }
        // A key that never got a token keeps nothing: failed requests must not grow the cache.
        if (entry.token === undefined && this.entries.get(key) === entry) this.entries.delete(key);
        throw error;
      },
    );
    entry.inFlight = exchange;
    const clear = () => {
      if (entry.inFlight === exchange) entry.inFlight = undefined;
    };
    exchange.then(clear, clear);
    return exchange;
  }

  private refreshInBackground(key: string, entry: Entry, fetch: Fetcher): void {
    this.start(key, entry, fetch).catch((error: unknown) => {
      // The valid token keeps being served; the next call after the backoff tries again.
      this.events.onBackgroundFailure?.(key, error, entry.nextRefreshAt - monotonicNow(this.clock));
    });
  }
}

// The in-memory token cache with single-flight exchanges and background refresh.
// A hit is a Map lookup and a clock read; only a missing or expired token makes the caller wait.
import type { AccessToken } from "@azure/core-auth";
import type { Clock } from "../clock.js";
import { EXPIRY_MARGIN_MS, refreshRetryDelay } from "./refresh-policy.js";

export interface CachedToken extends AccessToken {
  refreshAfterTimestamp: number;
}

export type Fetcher = () => Promise<CachedToken>;

interface Entry {
  token: CachedToken | undefined;
  /** The one exchange in flight for this key, shared by every caller. */
  inFlight: Promise<CachedToken> | undefined;
  failures: number;
  /** No background refresh before this time (backoff after a failed one). */
  nextRefreshAt: number;
  /** Bumped by set(): an exchange started before a newer token arrived must not overwrite it. */
  generation: number;
}

export interface RefreshEvents {
  onBackgroundFailure?(key: string, error: unknown, retryInMs: number): void;
}

export class TokenCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly clock: Clock,
    private readonly events: RefreshEvents = {},
  ) {}

  /** The cached token for `key`, refreshed in the background when due; `fetch` runs only on a miss or refresh. */
  get(key: string, fetch: Fetcher): Promise<CachedToken> | CachedToken {
    const entry = this.entries.get(key);
    const token = entry?.token;
    if (token !== undefined) {
      const now = this.clock.now();
      if (now < token.refreshAfterTimestamp) return token;
      if (now < token.expiresOnTimestamp - EXPIRY_MARGIN_MS) {
        if (entry !== undefined && entry.inFlight === undefined && now >= entry.nextRefreshAt)
          this.refreshInBackground(key, entry, fetch);
        return token;
      }
    }
    // Missing or expired: wait, ignoring any backoff, but share an exchange already under way.
    const current = entry ?? this.create(key);
    const exchange = current.inFlight ?? this.start(current, fetch);
    if (token === undefined) return exchange;
    // Inside the expiry margin the old token is still valid: if the exchange fails, it beats an error.
    return exchange.catch((error: unknown) => {
      if (this.clock.now() < token.expiresOnTimestamp) return token;
      throw error;
    });
  }

  /** Stores a token obtained outside `get` (after a claims challenge). */
  set(key: string, token: CachedToken): void {
    const entry = this.entries.get(key) ?? this.create(key);
    entry.token = token;
    entry.failures = 0;
    entry.nextRefreshAt = 0;
    entry.generation += 1;
  }

  private create(key: string): Entry {
    const entry: Entry = {
      token: undefined,
      inFlight: undefined,
      failures: 0,
      nextRefreshAt: 0,
      generation: 0,
    };
    this.entries.set(key, entry);
    return entry;
  }

  private start(entry: Entry, fetch: Fetcher): Promise<CachedToken> {
    const generation = entry.generation;
    const exchange = fetch().then(
      (token) => {
        if (entry.generation === generation) {
          entry.token = token;
          entry.failures = 0;
          entry.nextRefreshAt = 0;
        }
        return token;
      },
      (error: unknown) => {
        if (entry.generation === generation) {
          entry.failures += 1;
          entry.nextRefreshAt = this.clock.now() + refreshRetryDelay(entry.failures);
        }
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
    this.start(entry, fetch).catch((error: unknown) => {
      // The valid token keeps being served; the next call after the backoff tries again.
      this.events.onBackgroundFailure?.(key, error, entry.nextRefreshAt - this.clock.now());
    });
  }
}

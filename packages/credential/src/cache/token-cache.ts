// The in-memory token cache: the one place exchanges are started, shared and abandoned.
// A hit is a Map lookup and a clock read; only a missing or expired token makes the caller wait.
// Per key, one refresh is in flight, and one forced refresh per claims challenge (a challenge means the cached
// token was revoked, so it always goes to Entra; two different challenges never share an exchange). When every
// caller waiting on an exchange has aborted, the exchange is abandoned; one nobody waits for (a background
// refresh) runs to its end.
// Deadlines are kept on the monotonic clock: a wall clock stepped backwards must not make an expired token
// look valid (msal-node and @azure/identity compare wall-clock times and do serve it). The wall-clock
// timestamps in a CachedToken are only what getToken returns.
import type { AccessToken, GetTokenOptions } from "@azure/core-auth";
import { monotonicNow, type Clock } from "../clock.js";
import { abortError } from "../errors/errors.js";
import { EXPIRY_MARGIN_MS, refreshRetryDelay } from "./refresh-policy.js";

export interface CachedToken extends AccessToken {
  refreshAfterTimestamp: number;
}

/** What a token is for. */
export interface TokenKey {
  tenantId: string;
  /** One `RESOURCE/.default` scope. */
  scope: string;
  enableCae: boolean;
}

/** Runs one exchange; `abandoned` aborts when every caller waiting on it has aborted. */
export type Fetcher = (abandoned: AbortSignal) => Promise<CachedToken>;

export type AbortSignalLike = NonNullable<GetTokenOptions["abortSignal"]>;

interface Flight {
  promise: Promise<CachedToken>;
  abandon: AbortController;
  /** Callers waiting on it (a background refresh has none). */
  waiting: number;
}

/** The refresh's slot among an entry's flights; a claims challenge uses its claims. */
const REFRESH = "";

interface Entry {
  key: TokenKey;
  token: CachedToken | undefined;
  /** The token's refresh point and expiry on the monotonic clock. */
  refreshAt: number;
  expiresAt: number;
  /** Exchanges under way: the refresh, and one per claims challenge. */
  flights: Map<string, Flight>;
  failures: number;
  /** No background refresh before this monotonic time (backoff after a failed one). */
  nextRefreshAt: number;
  /** Bumped when a challenge stores a token: a refresh started before it must not overwrite it. */
  generation: number;
}

export interface RefreshEvents {
  onBackgroundFailure?(key: TokenKey, error: unknown, retryInMs: number): void;
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
  get(key: TokenKey, fetch: Fetcher, signal?: AbortSignalLike): Promise<CachedToken> | CachedToken {
    const entry = this.entries.get(mapKey(key));
    const token = entry?.token;
    if (entry !== undefined && token !== undefined) {
      const now = monotonicNow(this.clock);
      if (now < entry.refreshAt) return token;
      if (now < entry.expiresAt - EXPIRY_MARGIN_MS) {
        if (!entry.flights.has(REFRESH) && now >= entry.nextRefreshAt) this.refreshInBackground(entry, fetch);
        return token;
      }
    }
    // Missing or expired: wait, ignoring any backoff, but share an exchange already under way.
    const current = entry ?? this.create(key);
    const waited = this.wait(current.flights.get(REFRESH) ?? this.start(current, REFRESH, fetch), signal);
    if (token === undefined) return waited;
    // Inside the expiry margin the old token is still valid: if the exchange fails, it beats an error.
    const { expiresAt } = current;
    return waited.catch((error: unknown) => {
      if (!isAbort(error) && monotonicNow(this.clock) < expiresAt) return token;
      throw error;
    });
  }

  /** A forced refresh for a claims challenge, shared only with callers answering the same challenge. */
  challenge(key: TokenKey, claims: string, fetch: Fetcher, signal?: AbortSignalLike): Promise<CachedToken> {
    const entry = this.entries.get(mapKey(key)) ?? this.create(key);
    return this.wait(entry.flights.get(claims) ?? this.start(entry, claims, fetch), signal);
  }

  private create(key: TokenKey): Entry {
    if (this.entries.size >= this.maxEntries) this.evictOldest();
    const entry: Entry = {
      key,
      token: undefined,
      refreshAt: 0,
      expiresAt: 0,
      flights: new Map(),
      failures: 0,
      nextRefreshAt: 0,
      generation: 0,
    };
    this.entries.set(mapKey(key), entry);
    return entry;
  }

  /** Drops the oldest key with no exchange under way (its callers are waiting on it). */
  private evictOldest(): void {
    for (const [mapped, entry] of this.entries) {
      if (entry.flights.size === 0) {
        this.entries.delete(mapped);
        return;
      }
    }
  }

  private store(entry: Entry, token: CachedToken): void {
    // The token's wall-clock times, measured from now, carried over to the monotonic clock.
    const wall = this.clock.now();
    const mono = monotonicNow(this.clock);
    entry.token = token;
    entry.expiresAt = mono + (token.expiresOnTimestamp - wall);
    // Served from the cache only while it has life left beyond the margin: a token of a few seconds is handed to
    // the caller that asked for it, and the next caller gets a fresh one.
    entry.refreshAt = Math.min(
      mono + (token.refreshAfterTimestamp - wall),
      entry.expiresAt - EXPIRY_MARGIN_MS,
    );
    entry.failures = 0;
    entry.nextRefreshAt = 0;
  }

  private start(entry: Entry, slot: string, fetch: Fetcher): Flight {
    const generation = entry.generation;
    const abandon = new AbortController();
    const promise = fetch(abandon.signal).then(
      (token) => {
        if (slot !== REFRESH) {
          this.store(entry, token);
          entry.generation += 1;
        } else if (entry.generation === generation) this.store(entry, token);
        return token;
      },
      (error: unknown) => {
        if (slot === REFRESH && entry.generation === generation) {
          entry.failures += 1;
          entry.nextRefreshAt = monotonicNow(this.clock) + refreshRetryDelay(entry.failures);
        }
        throw error;
      },
    );
    const flight: Flight = { promise, abandon, waiting: 0 };
    entry.flights.set(slot, flight);
    // Callers who come after it was abandoned start a new exchange rather than share its abort.
    abandon.signal.addEventListener("abort", () => {
      if (entry.flights.get(slot) === flight) entry.flights.delete(slot);
    });
    const end = () => {
      if (entry.flights.get(slot) === flight) entry.flights.delete(slot);
      // A key that never got a token keeps nothing: failed requests must not grow the cache.
      const mapped = mapKey(entry.key);
      if (entry.token === undefined && entry.flights.size === 0 && this.entries.get(mapped) === entry)
        this.entries.delete(mapped);
    };
    promise.then(end, end);
    return flight;
  }

  /** The flight's outcome for one caller, who stops waiting when `signal` aborts; the last to leave abandons it. */
  private wait(flight: Flight, signal: AbortSignalLike | undefined): Promise<CachedToken> {
    if (signal === undefined) {
      // A caller who cannot abort keeps the exchange alive to its end.
      flight.waiting = Number.POSITIVE_INFINITY;
      return flight.promise;
    }
    if (signal.aborted) return Promise.reject(abortError(reasonOf(signal)));
    flight.waiting += 1;
    return new Promise<CachedToken>((resolve, reject) => {
      let waiting = true;
      const onAbort = () => {
        if (!waiting) return;
        waiting = false;
        flight.waiting -= 1;
        if (flight.waiting === 0)
          flight.abandon.abort(new Error("every caller waiting for this token aborted"));
        reject(abortError(reasonOf(signal)));
      };
      signal.addEventListener("abort", onAbort, { once: true });
      void flight.promise
        .finally(() => {
          waiting = false;
          signal.removeEventListener("abort", onAbort);
        })
        .then(resolve, reject);
    });
  }

  private refreshInBackground(entry: Entry, fetch: Fetcher): void {
    this.start(entry, REFRESH, fetch).promise.catch((error: unknown) => {
      // The valid token keeps being served; the next call after the backoff tries again.
      this.events.onBackgroundFailure?.(entry.key, error, entry.nextRefreshAt - monotonicNow(this.clock));
    });
  }
}

/** The Map's key for a record: built once per call, never parsed back. */
function mapKey({ tenantId, scope, enableCae }: TokenKey): string {
  return `${enableCae ? "cae" : "-"}|${tenantId}|${scope}`;
}

/** core-auth's AbortSignalLike has no `reason`; a real AbortSignal does. */
export function reasonOf(signal: AbortSignalLike | undefined): unknown {
  return (signal as { reason?: unknown } | undefined)?.reason;
}

function isAbort(error: unknown): boolean {
  return error instanceof Error && error.name === "AbortError";
}

import type { Clock } from "../clock.js";
import { EXPIRY_MARGIN_MS } from "./refresh-policy.js";
import { TokenCache, type CachedToken } from "./token-cache.js";

const T0 = Date.parse("2026-03-01T12:00:00Z");
const KEY = "tenant|https://vault.azure.net/.default|cae";

class FakeClock implements Clock {
  constructor(private time: number) {}

  now(): number {
    return this.time;
  }

  sleep(): Promise<void> {
    return Promise.reject(new Error("the cache must not sleep"));
  }

  advanceTo(time: number): void {
    this.time = time;
  }
}

interface Pending {
  resolve(token: CachedToken): void;
  reject(error: unknown): void;
}

/** A fetcher whose exchanges the test settles by hand, counting how many were started. */
class Exchanges {
  readonly pending: Pending[] = [];

  readonly fetch = (): Promise<CachedToken> =>
    new Promise<CachedToken>((resolve, reject) => {
      this.pending.push({ resolve, reject });
    });

  get started(): number {
    return this.pending.length;
  }

  /** The last exchange started. */
  last(): Pending {
    const last = this.pending.at(-1);
    if (last === undefined) throw new Error("no exchange was started");
    return last;
  }
}

/** A 1-hour token received at `receivedAt`, to be refreshed after 30 minutes. */
function token(name: string, receivedAt = T0): CachedToken {
  return {
    token: name,
    expiresOnTimestamp: receivedAt + 60 * 60_000,
    refreshAfterTimestamp: receivedAt + 30 * 60_000,
  };
}

/** A get() that had to wait: it must have given a promise, not a cached token. */
function waited(result: Promise<CachedToken> | CachedToken): Promise<CachedToken> {
  expect(result).toBeInstanceOf(Promise);
  return Promise.resolve(result);
}

/** Lets promise callbacks (the cache's bookkeeping) run. */
function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

let clock: FakeClock;
let exchanges: Exchanges;
let failures: [string, unknown, number][];
let cache: TokenCache;

beforeEach(() => {
  clock = new FakeClock(T0);
  exchanges = new Exchanges();
  failures = [];
  cache = new TokenCache(clock, {
    onBackgroundFailure: (key, error, retryInMs) => failures.push([key, error, retryInMs]),
  });
});

/** Fills the cache with `cached` through a first, waited-for exchange. */
async function warm(cached: CachedToken): Promise<void> {
  const first = waited(cache.get(KEY, exchanges.fetch));
  exchanges.last().resolve(cached);
  await expect(first).resolves.toBe(cached);
}

describe("TokenCache", () => {
  it("fetches on a miss, then serves the same object synchronously until the refresh point", async () => {
    const cached = token("first");
    await warm(cached);

    expect(cache.get(KEY, exchanges.fetch)).toBe(cached);
    clock.advanceTo(cached.refreshAfterTimestamp - 1);
    expect(cache.get(KEY, exchanges.fetch)).toBe(cached);
    expect(exchanges.started).toBe(1);
  });

  it("makes concurrent misses share one exchange", async () => {
    const callers = Array.from({ length: 10 }, () => waited(cache.get(KEY, exchanges.fetch)));

    expect(exchanges.started).toBe(1);
    const cached = token("shared");
    exchanges.last().resolve(cached);
    await expect(Promise.all(callers)).resolves.toEqual(Array.from({ length: 10 }, () => cached));
    expect(exchanges.started).toBe(1);
  });

  it("keeps one entry per key", async () => {
    const one = waited(cache.get("a", exchanges.fetch));
    const two = waited(cache.get("b", exchanges.fetch));

    expect(exchanges.started).toBe(2);
    exchanges.pending[0]?.resolve(token("for a"));
    exchanges.pending[1]?.resolve(token("for b"));
    await expect(one).resolves.toMatchObject({ token: "for a" });
    await expect(two).resolves.toMatchObject({ token: "for b" });
  });

  it("between the refresh point and expiry, serves the cached token at once and starts exactly one background refresh", async () => {
    const old = token("old");
    await warm(old);

    clock.advanceTo(old.refreshAfterTimestamp);
    expect(cache.get(KEY, exchanges.fetch)).toBe(old);
    expect(exchanges.started).toBe(2);

    clock.advanceTo(old.expiresOnTimestamp - EXPIRY_MARGIN_MS - 1);
    expect(cache.get(KEY, exchanges.fetch)).toBe(old);
    expect(cache.get(KEY, exchanges.fetch)).toBe(old);
    expect(exchanges.started).toBe(2);

    const fresh = token("fresh", clock.now());
    exchanges.last().resolve(fresh);
    await settle();
    expect(cache.get(KEY, exchanges.fetch)).toBe(fresh);
    expect(exchanges.started).toBe(2);
  });

  it("keeps serving the old token when a background refresh fails, reports it, and backs off 1 s then 2 s", async () => {
    const old = token("old");
    await warm(old);
    const firstFailure = new Error("Entra is down");
    const secondFailure = new Error("still down");

    clock.advanceTo(old.refreshAfterTimestamp);
    expect(cache.get(KEY, exchanges.fetch)).toBe(old);
    exchanges.last().reject(firstFailure);
    await settle();
    expect(failures).toEqual([[KEY, firstFailure, 1_000]]);

    clock.advanceTo(old.refreshAfterTimestamp + 999);
    expect(cache.get(KEY, exchanges.fetch)).toBe(old);
    expect(exchanges.started).toBe(2);

    clock.advanceTo(old.refreshAfterTimestamp + 1_000);
    expect(cache.get(KEY, exchanges.fetch)).toBe(old);
    expect(exchanges.started).toBe(3);
    exchanges.last().reject(secondFailure);
    await settle();
    expect(failures).toEqual([
      [KEY, firstFailure, 1_000],
      [KEY, secondFailure, 2_000],
    ]);

    clock.advanceTo(old.refreshAfterTimestamp + 1_000 + 1_999);
    expect(cache.get(KEY, exchanges.fetch)).toBe(old);
    expect(exchanges.started).toBe(3);

    clock.advanceTo(old.refreshAfterTimestamp + 1_000 + 2_000);
    expect(cache.get(KEY, exchanges.fetch)).toBe(old);
    expect(exchanges.started).toBe(4);
  });

  it("starts the backoff again from 1 s after a successful refresh", async () => {
    const old = token("old");
    await warm(old);
    clock.advanceTo(old.refreshAfterTimestamp);
    expect(cache.get(KEY, exchanges.fetch)).toBe(old);
    exchanges.last().reject(new Error("first outage"));
    await settle();
    clock.advanceTo(old.refreshAfterTimestamp + 1_000);
    expect(cache.get(KEY, exchanges.fetch)).toBe(old);
    const fresh = token("fresh", clock.now());
    exchanges.last().resolve(fresh);
    await settle();

    clock.advanceTo(fresh.refreshAfterTimestamp);
    expect(cache.get(KEY, exchanges.fetch)).toBe(fresh);
    const outage = new Error("second outage");
    exchanges.last().reject(outage);
    await settle();

    expect(failures.at(-1)).toEqual([KEY, outage, 1_000]);
  });

  it("makes the caller wait for a token within the expiry margin, ignoring a pending backoff", async () => {
    const old = token("old");
    await warm(old);
    const expiredAt = old.expiresOnTimestamp - EXPIRY_MARGIN_MS;

    clock.advanceTo(expiredAt - 500);
    expect(cache.get(KEY, exchanges.fetch)).toBe(old);
    exchanges.last().reject(new Error("refresh failed"));
    await settle();
    expect(exchanges.started).toBe(2);

    clock.advanceTo(expiredAt);
    const waiting = waited(cache.get(KEY, exchanges.fetch));
    expect(exchanges.started).toBe(3);

    const fresh = token("fresh", clock.now());
    exchanges.last().resolve(fresh);
    await expect(waiting).resolves.toBe(fresh);
  });

  it("inside the expiry margin, serves the still-valid old token when the exchange fails", async () => {
    const old = token("old");
    await warm(old);
    clock.advanceTo(old.expiresOnTimestamp - EXPIRY_MARGIN_MS + 1000);
    const waiting = waited(cache.get(KEY, exchanges.fetch));
    exchanges.last().reject(new Error("Entra is down"));
    await expect(waiting).resolves.toBe(old);
  });

  it("once the old token has really expired, a failed exchange fails the caller", async () => {
    const old = token("old");
    await warm(old);
    clock.advanceTo(old.expiresOnTimestamp - EXPIRY_MARGIN_MS + 1000);
    const waiting = waited(cache.get(KEY, exchanges.fetch));
    clock.advanceTo(old.expiresOnTimestamp); // the exchange outlived the token
    const failure = new Error("Entra is down");
    exchanges.last().reject(failure);
    await expect(waiting).rejects.toBe(failure);
  });

  it("lets an expired token's callers join a background refresh already under way", async () => {
    const old = token("old");
    await warm(old);
    clock.advanceTo(old.refreshAfterTimestamp);
    expect(cache.get(KEY, exchanges.fetch)).toBe(old);

    clock.advanceTo(old.expiresOnTimestamp);
    const waiting = waited(cache.get(KEY, exchanges.fetch));
    expect(exchanges.started).toBe(2);

    const fresh = token("fresh", clock.now());
    exchanges.last().resolve(fresh);
    await expect(waiting).resolves.toBe(fresh);
  });

  it("rejects every waiting caller when a foreground exchange fails, and tries again on the next call", async () => {
    const failure = new Error("AADSTS700016");
    const callers = Array.from({ length: 3 }, () => waited(cache.get(KEY, exchanges.fetch)));
    const outcomes = Promise.allSettled(callers);

    exchanges.last().reject(failure);

    expect(await outcomes).toEqual(
      Array.from({ length: 3 }, () => ({ status: "rejected", reason: failure })),
    );
    expect(exchanges.started).toBe(1);
    expect(failures).toEqual([]);

    const retry = waited(cache.get(KEY, exchanges.fetch));
    expect(exchanges.started).toBe(2);
    const cached = token("after retry");
    exchanges.last().resolve(cached);
    await expect(retry).resolves.toBe(cached);
  });

  it("does not let an exchange started before set() overwrite the newer token", async () => {
    const old = token("old");
    await warm(old);
    clock.advanceTo(old.refreshAfterTimestamp);
    expect(cache.get(KEY, exchanges.fetch)).toBe(old); // background refresh starts
    const challenged = token("after claims challenge", clock.now());
    cache.set(KEY, challenged);
    exchanges.last().resolve(token("slow refresh", clock.now()));
    await settle();
    expect(cache.get(KEY, exchanges.fetch)).toBe(challenged);
  });

  it("set() replaces the cached token without an exchange", async () => {
    await warm(token("old"));
    const replacement = token("after claims challenge");

    cache.set(KEY, replacement);

    expect(cache.get(KEY, exchanges.fetch)).toBe(replacement);
    expect(exchanges.started).toBe(1);
  });

  it("set() stores a token for a key never fetched", () => {
    const stored = token("stored");

    cache.set("other", stored);

    expect(cache.get("other", exchanges.fetch)).toBe(stored);
    expect(exchanges.started).toBe(0);
  });

  it("set() clears a pending backoff, so a due refresh starts at once", async () => {
    const old = token("old");
    await warm(old);
    clock.advanceTo(old.refreshAfterTimestamp);
    expect(cache.get(KEY, exchanges.fetch)).toBe(old);
    exchanges.last().reject(new Error("refresh failed"));
    await settle();
    expect(exchanges.started).toBe(2);

    cache.set(KEY, { ...old, token: "set during backoff" });
    expect(cache.get(KEY, exchanges.fetch)).toMatchObject({ token: "set during backoff" });

    expect(exchanges.started).toBe(3);
  });
  it("keeps nothing for a key whose exchange failed: 10,000 distinct failed keys leave an empty cache", async () => {
    const refused = () => Promise.reject(new Error("refused by Entra"));
    for (let i = 0; i < 10_000; i += 1) {
      await expect(waited(cache.get(`key-${i}`, refused))).rejects.toThrow("refused by Entra");
    }
    expect(cache.size).toBe(0);
  });

  it("keeps the entry of a key that has a token when its refresh fails", async () => {
    const old = token("old");
    await warm(old);
    clock.advanceTo(old.refreshAfterTimestamp);
    expect(cache.get(KEY, exchanges.fetch)).toBe(old);
    exchanges.last().reject(new Error("refresh failed"));
    await settle();
    expect(cache.size).toBe(1);
    expect(cache.get(KEY, exchanges.fetch)).toBe(old);
  });

  it("holds at most maxEntries keys, dropping the oldest one with no exchange under way", async () => {
    const small = new TokenCache(clock, {}, 3);
    const pending = waited(small.get("in flight", exchanges.fetch)); // the oldest, but callers wait on it
    for (const key of ["a", "b", "c", "d"]) {
      const fetched = waited(small.get(key, () => Promise.resolve(token(key))));
      await fetched;
    }
    expect(small.size).toBe(3);
    // "a" and "b" went; "in flight" stayed for its callers.
    expect(small.get("c", exchanges.fetch)).toMatchObject({ token: "c" });
    expect(small.get("d", exchanges.fetch)).toMatchObject({ token: "d" });
    exchanges.pending[0]?.resolve(token("in flight"));
    await expect(pending).resolves.toMatchObject({ token: "in flight" });
    expect(small.get("in flight", exchanges.fetch)).toMatchObject({ token: "in flight" });
    expect(exchanges.started).toBe(1);
  });
});

describe("TokenCache on a clock that steps", () => {
  /** Wall-clock time that can be set anywhere, and a monotonic time that only moves forward. */
  class SteppingClock implements Clock {
    wall = T0;
    mono = 1_000;
    now = () => this.wall;
    monotonicNow = () => this.mono;
    sleep = () => Promise.reject(new Error("the cache must not sleep"));
    elapse(ms: number): void {
      this.wall += ms;
      this.mono += ms;
    }
  }

  it("does not serve a token past its real lifetime when the wall clock is set back", async () => {
    const stepping = new SteppingClock();
    const stepCache = new TokenCache(stepping);
    const first = token("first"); // received at T0: one hour, refresh after 30 minutes
    await expect(waited(stepCache.get(KEY, () => Promise.resolve(first)))).resolves.toBe(first);

    stepping.elapse(61 * 60_000); // an hour and a minute later the token has expired...
    stepping.wall -= 2 * 60 * 60_000; // ...but the wall clock was just set back two hours
    const fresh = token("fresh", stepping.wall);

    await expect(waited(stepCache.get(KEY, () => Promise.resolve(fresh)))).resolves.toBe(fresh);
  });

  it("keeps serving a valid token when the wall clock jumps ahead", async () => {
    const stepping = new SteppingClock();
    const stepCache = new TokenCache(stepping);
    const first = token("first");
    await waited(stepCache.get(KEY, () => Promise.resolve(first)));

    stepping.wall += 3 * 60 * 60_000; // an NTP correction forward: the token is still 1 hour from expiry
    expect(stepCache.get(KEY, () => Promise.reject(new Error("no exchange expected")))).toBe(first);
  });
});

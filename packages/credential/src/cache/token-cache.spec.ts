import type { Clock } from "../clock.js";
import { EXPIRY_MARGIN_MS } from "./refresh-policy.js";
import { TokenCache, type CachedToken, type TokenKey } from "./token-cache.js";

const T0 = Date.parse("2026-03-01T12:00:00Z");
/** A key for a resource named `name`. */
const keyFor = (name: string): TokenKey => ({
  tenantId: "tenant",
  scope: `https://${name}/.default`,
  enableCae: true,
});
const KEY = keyFor("vault.azure.net");

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
let failures: [TokenKey, unknown, number][];
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
    const one = waited(cache.get(keyFor("a"), exchanges.fetch));
    const two = waited(cache.get(keyFor("b"), exchanges.fetch));

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

  it("does not let a refresh started before a claims challenge overwrite the challenge's token", async () => {
    const old = token("old");
    await warm(old);
    clock.advanceTo(old.refreshAfterTimestamp);
    expect(cache.get(KEY, exchanges.fetch)).toBe(old); // background refresh starts
    const challenged = token("after claims challenge", clock.now());
    const answered = cache.challenge(KEY, "claims-1", () => Promise.resolve(challenged));
    await expect(answered).resolves.toBe(challenged);
    exchanges.pending[1]?.resolve(token("slow refresh", clock.now()));
    await settle();
    expect(cache.get(KEY, exchanges.fetch)).toBe(challenged);
  });

  it("answers a claims challenge with an exchange even with a valid token, then serves its token", async () => {
    await warm(token("old"));
    const replacement = token("after claims challenge");

    const answered = cache.challenge(KEY, "claims-1", exchanges.fetch);
    expect(exchanges.started).toBe(2);
    exchanges.last().resolve(replacement);
    await expect(answered).resolves.toBe(replacement);

    expect(cache.get(KEY, exchanges.fetch)).toBe(replacement);
    expect(exchanges.started).toBe(2);
  });

  it("shares one exchange among callers answering the same challenge, and never with another challenge", async () => {
    const sameA = cache.challenge(KEY, "claims-1", exchanges.fetch);
    const sameB = cache.challenge(KEY, "claims-1", exchanges.fetch);
    const other = cache.challenge(KEY, "claims-2", exchanges.fetch);
    expect(exchanges.started).toBe(2);
    exchanges.pending[0]?.resolve(token("for claims-1"));
    exchanges.pending[1]?.resolve(token("for claims-2"));
    await expect(Promise.all([sameA, sameB, other])).resolves.toEqual([
      expect.objectContaining({ token: "for claims-1" }),
      expect.objectContaining({ token: "for claims-1" }),
      expect.objectContaining({ token: "for claims-2" }),
    ]);
  });

  it("a challenge's token clears a pending backoff, so a due refresh starts at once", async () => {
    const old = token("old");
    await warm(old);
    clock.advanceTo(old.refreshAfterTimestamp);
    expect(cache.get(KEY, exchanges.fetch)).toBe(old);
    exchanges.last().reject(new Error("refresh failed"));
    await settle();
    expect(exchanges.started).toBe(2);

    await cache.challenge(KEY, "claims-1", () =>
      Promise.resolve({ ...old, token: "challenged during backoff" }),
    );
    expect(cache.get(KEY, exchanges.fetch)).toMatchObject({ token: "challenged during backoff" });

    expect(exchanges.started).toBe(3);
  });

  it("keeps nothing for a key whose exchange failed: 10,000 distinct failed keys leave an empty cache", async () => {
    const refused = () => Promise.reject(new Error("refused by Entra"));
    for (let i = 0; i < 10_000; i += 1) {
      await expect(waited(cache.get(keyFor(`key-${i}`), refused))).rejects.toThrow("refused by Entra");
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
    const pending = waited(small.get(keyFor("in flight"), exchanges.fetch)); // the oldest, but callers wait on it
    for (const key of ["a", "b", "c", "d"]) {
      const fetched = waited(small.get(keyFor(key), () => Promise.resolve(token(key))));
      await fetched;
    }
    expect(small.size).toBe(3);
    // "a" and "b" went; "in flight" stayed for its callers.
    expect(small.get(keyFor("c"), exchanges.fetch)).toMatchObject({ token: "c" });
    expect(small.get(keyFor("d"), exchanges.fetch)).toMatchObject({ token: "d" });
    exchanges.pending[0]?.resolve(token("in flight"));
    await expect(pending).resolves.toMatchObject({ token: "in flight" });
    expect(small.get(keyFor("in flight"), exchanges.fetch)).toMatchObject({ token: "in flight" });
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

describe("TokenCache when callers abort", () => {
  /** A fetcher whose exchange the test settles, keeping the signal that says it was abandoned. */
  function held() {
    let settle!: { resolve(value: CachedToken): void; reject(error: Error): void };
    const abandoned: AbortSignal[] = [];
    const fetch = (signal: AbortSignal) => {
      abandoned.push(signal);
      return new Promise<CachedToken>((resolve, reject) => {
        settle = { resolve, reject };
      });
    };
    return { fetch, abandoned, finish: () => settle };
  }

  it("abandons the exchange when its only waiting caller aborts, and keeps nothing", async () => {
    const cacheOf = new TokenCache(new FakeClock(T0));
    const { fetch, abandoned, finish } = held();
    const caller = new AbortController();
    const waiting = cacheOf.get(KEY, fetch, caller.signal);
    caller.abort();
    await expect(waiting).rejects.toMatchObject({ name: "AbortError" });
    expect(abandoned[0]?.aborted).toBe(true);
    finish().reject(new Error("aborted"));
    await settle();
    expect(cacheOf.size).toBe(0);
  });

  it("keeps the exchange while another caller, with or without a signal, still waits", async () => {
    const cacheOf = new TokenCache(new FakeClock(T0));
    const { fetch, abandoned, finish } = held();
    const first = new AbortController();
    const second = new AbortController();
    const waitingFirst = cacheOf.get(KEY, fetch, first.signal);
    const waitingSecond = cacheOf.get(KEY, fetch, second.signal);
    const waitingWithoutSignal = cacheOf.get(KEY, fetch);
    first.abort();
    second.abort();
    await expect(waitingFirst).rejects.toMatchObject({ name: "AbortError" });
    await expect(waitingSecond).rejects.toMatchObject({ name: "AbortError" });
    expect(abandoned[0]?.aborted).toBe(false);
    const fresh = token("fresh");
    finish().resolve(fresh);
    await expect(waitingWithoutSignal).resolves.toBe(fresh);
  });

  it("never abandons a background refresh nobody waits for", async () => {
    const fake = new FakeClock(T0);
    const cacheOf = new TokenCache(fake);
    const old = token("old");
    await cacheOf.get(KEY, () => Promise.resolve(old));
    fake.advanceTo(old.refreshAfterTimestamp);
    const { fetch, abandoned } = held();
    const caller = new AbortController();
    expect(cacheOf.get(KEY, fetch, caller.signal)).toBe(old); // served at once, refresh in the background
    caller.abort();
    expect(abandoned[0]?.aborted).toBe(false);
  });

  it("starts a new exchange for a caller who comes after one was abandoned", async () => {
    const cacheOf = new TokenCache(new FakeClock(T0));
    const first = held();
    const caller = new AbortController();
    const waiting = cacheOf.get(KEY, first.fetch, caller.signal);
    caller.abort();
    await expect(waiting).rejects.toMatchObject({ name: "AbortError" });
    const second = held();
    const late = cacheOf.get(KEY, second.fetch);
    expect(second.abandoned).toHaveLength(1);
    const fresh = token("fresh");
    second.finish().resolve(fresh);
    first.finish().reject(new Error("aborted"));
    await expect(late).resolves.toBe(fresh);
    expect(cacheOf.get(KEY, second.fetch)).toBe(fresh);
  });

  it("abandons a claims challenge the same way, apart from the refresh", async () => {
    const cacheOf = new TokenCache(new FakeClock(T0));
    const refresh = held();
    const challenge = held();
    const refreshing = cacheOf.get(KEY, refresh.fetch);
    const caller = new AbortController();
    const answering = cacheOf.challenge(KEY, "claims-1", challenge.fetch, caller.signal);
    caller.abort();
    await expect(answering).rejects.toMatchObject({ name: "AbortError" });
    expect(challenge.abandoned[0]?.aborted).toBe(true);
    expect(refresh.abandoned[0]?.aborted).toBe(false);
    refresh.finish().resolve(token("refreshed"));
    await expect(refreshing).resolves.toMatchObject({ token: "refreshed" });
  });
});

import { FaultInjector } from "./fault-injector.js";
import { FaultRuleError } from "./fault-rule.js";

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A clock the test moves by hand. */
function fakeClock(start = 1_000_000) {
  let now = start;
  return {
    now: () => now,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

/** Returns the given values in turn, then fails loudly if asked for more. */
function scriptedRandom(...values: number[]) {
  const queue = [...values];
  return () => {
    const next = queue.shift();
    if (next === undefined) throw new Error("random() called more often than the test scripted");
    return next;
  };
}

const noRandom = scriptedRandom();

describe("FaultInjector.select", () => {
  it("selects nothing when no rule is active", () => {
    expect(new FaultInjector(fakeClock().now, noRandom).select("token")).toBeUndefined();
  });

  it("applies a rule only to its own endpoint", () => {
    const faults = new FaultInjector(fakeClock().now, noRandom);
    faults.add({ endpoint: "token", status: 503 });

    expect(faults.select("jwks")).toBeUndefined();
    expect(faults.select("keyvault")).toBeUndefined();
    expect(faults.select("token")).toMatchObject({ endpoint: "token", status: 503 });
  });

  it('applies a "*" rule to every endpoint', () => {
    const faults = new FaultInjector(fakeClock().now, noRandom);
    faults.add({ endpoint: "*", reset: true });

    for (const endpoint of ["token", "jwks", "graph", "keyvault", "issuer-discovery"] as const) {
      expect(faults.select(endpoint)).toMatchObject({ endpoint: "*", reset: true });
    }
  });

  it("applies a rule with first: 2 to exactly two requests", () => {
    const faults = new FaultInjector(fakeClock().now, noRandom);
    faults.add({ endpoint: "token", status: 500, first: 2 });

    const selected = [1, 2, 3, 4].map(() => faults.select("token"));

    expect(selected.map((r) => r?.status)).toEqual([500, 500, undefined, undefined]);
  });

  it("does not count requests to other endpoints against first", () => {
    const faults = new FaultInjector(fakeClock().now, noRandom);
    faults.add({ endpoint: "token", status: 500, first: 1 });

    faults.select("jwks");
    faults.select("graph");

    expect(faults.select("token")?.status).toBe(500);
    expect(faults.select("token")).toBeUndefined();
  });

  it("never applies a rule with first: 0", () => {
    const faults = new FaultInjector(fakeClock().now, noRandom);
    faults.add({ endpoint: "token", status: 500, first: 0 });

    expect(faults.select("token")).toBeUndefined();
  });

  it("applies a percent rule when the random draw, scaled to 100, is below the percentage", () => {
    const faults = new FaultInjector(fakeClock().now, scriptedRandom(0.2999, 0.3, 0.95, 0));
    faults.add({ endpoint: "keyvault", status: 503, percent: 30 });

    const selected = [1, 2, 3, 4].map(() => faults.select("keyvault")?.status);

    expect(selected).toEqual([503, undefined, undefined, 503]);
  });

  it("never applies a rule with percent 0 and always applies one with percent 100", () => {
    const zero = new FaultInjector(fakeClock().now, scriptedRandom(0));
    zero.add({ endpoint: "token", status: 500, percent: 0 });
    const hundred = new FaultInjector(fakeClock().now, scriptedRandom(0.9999));
    hundred.add({ endpoint: "token", status: 500, percent: 100 });

    expect(zero.select("token")).toBeUndefined();
    expect(hundred.select("token")?.status).toBe(500);
  });

  it("does not draw a random number for a rule without percent", () => {
    const faults = new FaultInjector(fakeClock().now, noRandom);
    faults.add({ endpoint: "token", status: 500 });

    expect(faults.select("token")?.status).toBe(500);
  });

  it("starts a rule startAfterMs after it was added and stops it durationMs later", () => {
    const clock = fakeClock();
    const faults = new FaultInjector(clock.now, noRandom);
    clock.advance(5_000); // time before the rule is added must not count towards its start
    faults.add({ endpoint: "token", status: 503, startAfterMs: 500, durationMs: 200 });

    const at = (elapsed: number) => {
      clock.advance(elapsed);
      return faults.select("token")?.status;
    };

    expect(at(499)).toBeUndefined(); // +499
    expect(at(1)).toBe(503); // +500: starts
    expect(at(199)).toBe(503); // +699: last millisecond in force
    expect(at(1)).toBeUndefined(); // +700: over
    expect(at(10_000)).toBeUndefined();
  });

  it("applies a rule with only durationMs from the moment it is added", () => {
    const clock = fakeClock();
    const faults = new FaultInjector(clock.now, noRandom);
    faults.add({ endpoint: "graph", status: 429, durationMs: 1000 });

    expect(faults.select("graph")?.status).toBe(429);
    clock.advance(999);
    expect(faults.select("graph")?.status).toBe(429);
    clock.advance(1);
    expect(faults.select("graph")).toBeUndefined();
  });

  it("times each rule from when that rule was added", () => {
    const clock = fakeClock();
    const faults = new FaultInjector(clock.now, noRandom);
    faults.add({ endpoint: "token", status: 500, durationMs: 100 });
    clock.advance(1_000);
    faults.add({ endpoint: "token", status: 503, durationMs: 100 });

    expect(faults.select("token")?.status).toBe(503);
  });

  it("does not count requests before a rule starts against its first", () => {
    const clock = fakeClock();
    const faults = new FaultInjector(clock.now, noRandom);
    faults.add({ endpoint: "token", status: 500, first: 1, startAfterMs: 100 });

    expect(faults.select("token")).toBeUndefined();
    expect(faults.select("token")).toBeUndefined();
    clock.advance(100);
    expect(faults.select("token")?.status).toBe(500);
    expect(faults.select("token")).toBeUndefined();
  });

  it("uses the first rule that matches and leaves the later ones uncounted", () => {
    const faults = new FaultInjector(fakeClock().now, noRandom);
    faults.add({ endpoint: "*", status: 500, first: 1 }, { endpoint: "token", status: 503, first: 1 });

    expect(faults.select("token")?.status).toBe(500);
    // The first rule is used up; the second has not been counted yet, so it applies now.
    expect(faults.select("token")?.status).toBe(503);
    expect(faults.select("token")).toBeUndefined();
  });

  it("falls through to the next rule when a percent rule's draw misses", () => {
    const faults = new FaultInjector(fakeClock().now, scriptedRandom(0.99));
    faults.add({ endpoint: "token", status: 500, percent: 10 }, { endpoint: "token", latencyMs: 50 });

    expect(faults.select("token")).toMatchObject({ latencyMs: 50 });
  });
});

describe("FaultInjector rule management", () => {
  it("assigns a fresh id to each rule without one and keeps a given id", () => {
    const faults = new FaultInjector(fakeClock().now, noRandom);

    const [a, b, c] = faults.add(
      { endpoint: "token", status: 500 },
      { endpoint: "token", status: 500 },
      { id: "my-rule", endpoint: "jwks", hang: true },
    );

    expect(a?.id).toMatch(GUID);
    expect(b?.id).toMatch(GUID);
    expect(a?.id).not.toBe(b?.id);
    expect(c?.id).toBe("my-rule");
  });

  it("does not write the id into the caller's rule object", () => {
    const input = { endpoint: "token", status: 500 };

    new FaultInjector(fakeClock().now, noRandom).add(input);

    expect(input).toEqual({ endpoint: "token", status: 500 });
  });

  it("adds none of the rules when one of them is invalid", () => {
    const faults = new FaultInjector(fakeClock().now, noRandom);

    expect(() =>
      faults.add({ endpoint: "token", status: 500 }, { endpoint: "nowhere", status: 500 }),
    ).toThrow(FaultRuleError);
    expect(faults.list()).toEqual([]);
  });

  it("lists the active rules in order with their ids", () => {
    const faults = new FaultInjector(fakeClock().now, noRandom);
    faults.add({ id: "one", endpoint: "token", status: 500 });
    faults.add({ id: "two", endpoint: "*", latencyMs: 5 });

    expect(faults.list()).toEqual([
      { id: "one", endpoint: "token", status: 500 },
      { id: "two", endpoint: "*", latencyMs: 5 },
    ]);
  });

  it("hands out copies from list, so editing them changes nothing", () => {
    const faults = new FaultInjector(fakeClock().now, noRandom);
    faults.add({ id: "one", endpoint: "token", status: 500 });

    const [listed] = faults.list();
    if (listed) listed.status = 200;

    expect(faults.select("token")?.status).toBe(500);
  });

  it("removes a rule by id and says whether it found one", () => {
    const faults = new FaultInjector(fakeClock().now, noRandom);
    const [rule] = faults.add({ endpoint: "token", status: 500 });
    faults.add({ id: "keep", endpoint: "jwks", status: 500 });

    expect(faults.remove(rule?.id ?? "")).toBe(true);
    expect(faults.remove(rule?.id ?? "")).toBe(false);
    expect(faults.remove("no-such-rule")).toBe(false);
    expect(faults.select("token")).toBeUndefined();
    expect(faults.list().map((r) => r.id)).toEqual(["keep"]);
  });

  it("clears every rule", () => {
    const faults = new FaultInjector(fakeClock().now, noRandom);
    faults.add({ endpoint: "token", status: 500 }, { endpoint: "*", reset: true });

    faults.clear();

    expect(faults.list()).toEqual([]);
    expect(faults.select("token")).toBeUndefined();
  });
});

it("returns copies from add(), so changing one does not change the rule in force", () => {
  const clock = fakeClock();
  const injector = new FaultInjector(clock.now, noRandom);
  const [added] = injector.add({ endpoint: "token", status: 503 });
  if (added) added.status = 200;
  expect(injector.select("token")?.status).toBe(503);
});

import { EXPIRY_MARGIN_MS, refreshPoint, refreshRetryDelay } from "./refresh-policy.js";

const T0 = Date.parse("2026-03-01T12:00:00Z");
const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

describe("refreshPoint", () => {
  it.each([
    // [case, lifetime, refresh_in (from receipt), expected refresh point (from receipt)]
    ["a 1-hour token refreshes at half-life, 30 minutes", HOUR, undefined, 30 * MINUTE],
    ["a 24-hour token refreshes at half-life, 12 hours", 24 * HOUR, undefined, 12 * HOUR],
    ["a 1-hour token with refresh_in 10 minutes honours it", HOUR, 10 * MINUTE, 10 * MINUTE],
    [
      "a 1-hour token with refresh_in past expiry-5 min is capped at 55 minutes",
      HOUR,
      58 * MINUTE,
      55 * MINUTE,
    ],
    ["a 1-hour token with refresh_in after expiry is capped at 55 minutes", HOUR, 2 * HOUR, 55 * MINUTE],
    ["a 1-hour token with refresh_in exactly expiry-5 min keeps it", HOUR, 55 * MINUTE, 55 * MINUTE],
    ["a 5-minute token refreshes at half-life, 150 s", 5 * MINUTE, undefined, 150 * SECOND],
    ["a 90-second token refreshes at half-life, 45 s", 90 * SECOND, undefined, 45 * SECOND],
    [
      "a 5-minute token with refresh_in 4 minutes is capped at half-life",
      5 * MINUTE,
      4 * MINUTE,
      150 * SECOND,
    ],
    ["a 5-minute token with an earlier refresh_in honours it", 5 * MINUTE, 1 * MINUTE, 1 * MINUTE],
    ["a 10-minute token (the boundary) refreshes at 5 minutes", 10 * MINUTE, undefined, 5 * MINUTE],
    [
      "a 10-minute token with refresh_in 8 minutes is capped at expiry-5 min",
      10 * MINUTE,
      8 * MINUTE,
      5 * MINUTE,
    ],
    ["a token 1 ms under 10 minutes is capped at its half-life", 10 * MINUTE - 1, 8 * MINUTE, 5 * MINUTE - 1],
    ["a token 1 ms over 10 minutes is capped at expiry-5 min", 10 * MINUTE + 1, 8 * MINUTE, 5 * MINUTE + 1],
    ["an odd lifetime is rounded down to the millisecond", 3, undefined, 1],
  ])("%s", (_case, lifetime, refreshIn, expected) => {
    const refreshOn = refreshIn === undefined ? undefined : T0 + refreshIn;

    expect(refreshPoint(T0, T0 + lifetime, refreshOn)).toBe(T0 + expected);
  });

  it.each([
    ["at receipt", 0],
    ["before receipt", -30 * SECOND],
  ])("ignores a refresh_in %s and uses the half-life", (_case, refreshIn) => {
    expect(refreshPoint(T0, T0 + HOUR, T0 + refreshIn)).toBe(T0 + 30 * MINUTE);
  });

  it.each([
    ["zero", 0],
    ["negative", -MINUTE],
  ])("refreshes at once a token whose lifetime is %s", (_case, lifetime) => {
    expect(refreshPoint(T0, T0 + lifetime)).toBe(T0);
    expect(refreshPoint(T0, T0 + lifetime, T0 + MINUTE)).toBe(T0);
  });

  it.each([30 * SECOND, 90 * SECOND, 4 * MINUTE, 5 * MINUTE, 9 * MINUTE, HOUR, 24 * HOUR])(
    "for a %d ms token, refreshes after receipt (never on every call) and before the expiry margin",
    (lifetime) => {
      const point = refreshPoint(T0, T0 + lifetime);

      expect(point).toBeGreaterThan(T0);
      expect(point).toBeLessThan(T0 + lifetime - EXPIRY_MARGIN_MS);
    },
  );
});

describe("refreshRetryDelay", () => {
  it("doubles from 1 s per failed background refresh and stops at 30 s", () => {
    expect([1, 2, 3, 4, 5, 6, 7, 20, 10_000].map(refreshRetryDelay)).toEqual([
      1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000, 30_000,
    ]);
  });

  it("waits 1 s when asked before any failure", () => {
    expect(refreshRetryDelay(0)).toBe(1_000);
  });
});

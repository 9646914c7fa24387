import { parseRetryAfter, retryDelayMs, RETRYABLE_STATUSES } from "./backoff.js";

const options = { initialDelayMs: 300, maxDelayMs: 10_000 };
const middle = () => 0.5;

describe("retryDelayMs", () => {
  it("starts at initialDelayMs and doubles per attempt when the jitter is neutral", () => {
    expect([1, 2, 3, 4, 5].map((attempt) => retryDelayMs(attempt, options, middle))).toEqual([
      300, 600, 1200, 2400, 4800,
    ]);
  });

  it("caps the doubled delay at maxDelayMs", () => {
    expect(retryDelayMs(6, options, middle)).toBe(9600);
    expect(retryDelayMs(7, options, middle)).toBe(10_000);
    expect(retryDelayMs(50, options, middle)).toBe(10_000);
  });

  it("spreads the delay from 0.8 to 1.2 times the base with the injected random", () => {
    expect(retryDelayMs(1, options, () => 0)).toBe(240);
    expect(retryDelayMs(1, options, () => 0.999_999)).toBe(360);
    expect(retryDelayMs(3, options, () => 0.25)).toBe(1080);
  });

  it("jitters capped delays too, so clients at the cap do not retry in lockstep", () => {
    expect(retryDelayMs(20, options, () => 0)).toBe(8000);
    expect(retryDelayMs(20, options, () => 0.999_999)).toBe(12_000);
  });

  it("treats an attempt below 1 as the first", () => {
    expect(retryDelayMs(0, options, middle)).toBe(300);
  });
});

describe("parseRetryAfter", () => {
  const now = Date.parse("2025-03-01T12:00:00Z");

  it.each([
    ["0", 0],
    ["1", 1000],
    ["120", 120_000],
    [" 7 ", 7000],
  ])("reads delta-seconds %j as %d ms", (value, expected) => {
    expect(parseRetryAfter(value, now)).toBe(expected);
  });

  it.each([
    ["IMF-fixdate", "Sat, 01 Mar 2025 12:00:30 GMT", 30_000],
    ["RFC 850 date", "Saturday, 01-Mar-25 12:01:00 GMT", 60_000],
    ["asctime date", "Sat Mar  1 12:00:05 2025", 5000],
    ["date equal to now", "Sat, 01 Mar 2025 12:00:00 GMT", 0],
  ])("reads the %s form as the time left until that date", (_form, value, expected) => {
    expect(parseRetryAfter(value, now)).toBe(expected);
  });

  it.each([
    undefined,
    "",
    "   ",
    "-1",
    "1.5",
    "+3",
    "1e3",
    "soon",
    "0x10",
    "Xyz, 99 Foo 2025 GMT",
    "12 seconds",
  ])("returns undefined for %j", (value) => {
    expect(parseRetryAfter(value, now)).toBeUndefined();
  });

  it("returns undefined for an HTTP-date already in the past", () => {
    expect(parseRetryAfter("Sat, 01 Mar 2025 11:59:59 GMT", now)).toBeUndefined();
  });
});

describe("RETRYABLE_STATUSES", () => {
  it("lists request timeout, throttling and the transient server errors, and no other 4xx", () => {
    expect(RETRYABLE_STATUSES).toEqual([408, 429, 500, 502, 503, 504]);
  });
});

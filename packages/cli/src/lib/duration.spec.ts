import { formatDuration, relative } from "./duration.js";

describe("formatDuration", () => {
  it.each([
    [0, "0s"],
    [999, "0s"],
    [45_000, "45s"],
    [60_000, "1m"],
    [3_598_000, "59m 58s"],
    [3_600_000, "1h"],
    [7_380_000, "2h 3m"],
    [86_400_000, "1d"],
    [100_800_000, "1d 4h"],
    [-90_000, "1m 30s"],
  ])("shows %i ms as %s", (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

describe("relative", () => {
  it("says 'in' for the future and 'ago' for the past", () => {
    expect(relative(1_000_000 + 120_000, 1_000_000)).toBe("in 2m");
    expect(relative(1_000_000 - 5000, 1_000_000)).toBe("5s ago");
  });
});

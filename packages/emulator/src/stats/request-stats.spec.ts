import { RequestStats } from "./request-stats.js";

const tokenOk = { host: "127.0.0.1:4001", path: "/tenant/oauth2/v2.0/token", endpoint: "token", status: 200 };
const tokenBad = { ...tokenOk, status: 400 };
const secret = { host: "127.0.0.1:4002", path: "/secrets/my-secret", endpoint: "keyvault", status: 200 };

function statsWith(...entries: (typeof tokenOk)[]): RequestStats {
  const stats = new RequestStats();
  for (const entry of entries) stats.record(entry);
  return stats;
}

describe("RequestStats", () => {
  it("counts nothing before anything is recorded", () => {
    const stats = new RequestStats();

    expect(stats.count()).toBe(0);
    expect(stats.snapshot()).toEqual([]);
  });

  it("groups identical requests into one record with a count", () => {
    const stats = statsWith(tokenOk, tokenOk, tokenOk, tokenBad);

    expect(stats.snapshot()).toEqual([
      { ...tokenOk, count: 3 },
      { ...tokenBad, count: 1 },
    ]);
  });

  it("counts everything without a filter", () => {
    expect(statsWith(tokenOk, tokenOk, tokenBad, secret).count()).toBe(4);
  });

  it("counts only the records that match every field of the filter", () => {
    const stats = statsWith(tokenOk, tokenOk, tokenBad, secret, { ...secret, status: 0 });

    expect(stats.count({ endpoint: "token" })).toBe(3);
    expect(stats.count({ endpoint: "token", status: 400 })).toBe(1);
    expect(stats.count({ status: 200 })).toBe(3);
    expect(stats.count({ host: "127.0.0.1:4002" })).toBe(2);
    expect(stats.count({ path: "/secrets/my-secret", status: 0 })).toBe(1);
    expect(stats.count({ endpoint: "graph" })).toBe(0);
  });

  it("keeps records apart that differ in one field only", () => {
    const stats = statsWith(
      tokenOk,
      { ...tokenOk, host: "localhost:4001" },
      { ...tokenOk, path: "/other/oauth2/v2.0/token" },
    );

    expect(stats.snapshot()).toHaveLength(3);
  });

  it("hands out snapshots that are copies", () => {
    const stats = statsWith(tokenOk);

    const [record] = stats.snapshot();
    if (record) record.count = 99;
    stats.record(tokenOk);

    expect(stats.count()).toBe(2);
    expect(record?.count).toBe(99);
  });

  it("does not keep a reference to the recorded entry", () => {
    const entry = { ...tokenOk };
    const stats = statsWith(entry);

    entry.status = 500;

    expect(stats.count({ status: 200 })).toBe(1);
  });

  it("forgets everything on reset and counts afresh", () => {
    const stats = statsWith(tokenOk, secret);

    stats.reset();
    expect(stats.count()).toBe(0);
    expect(stats.snapshot()).toEqual([]);

    stats.record(tokenOk);
    expect(stats.snapshot()).toEqual([{ ...tokenOk, count: 1 }]);
  });
});

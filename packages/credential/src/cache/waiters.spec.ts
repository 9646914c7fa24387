import { Waiters } from "./waiters.js";

/** An exchange the test settles by hand, and the signal that says it was abandoned. */
function exchangeFor(waiters: Waiters, key = "k") {
  let settle!: { resolve(value: string): void; reject(error: Error): void };
  let abandoned!: AbortSignal;
  const exchange = waiters.run(key, (signal) => {
    abandoned = signal;
    return new Promise<string>((resolve, reject) => {
      settle = { resolve, reject };
    });
  });
  return { exchange, settle, abandoned };
}

const neverAskAgain = () => Promise.reject(new Error("asked again"));

describe("Waiters", () => {
  it("abandons the exchange when its only waiting caller aborts", async () => {
    const waiters = new Waiters();
    const { exchange, abandoned } = exchangeFor(waiters);
    const caller = new AbortController();
    const waiting = waiters.wait("k", exchange, caller.signal, neverAskAgain);
    expect(abandoned.aborted).toBe(false);
    caller.abort();
    await expect(waiting).rejects.toMatchObject({ name: "AbortError" });
    expect(abandoned.aborted).toBe(true);
  });

  it("keeps the exchange while another caller, with or without a signal, still waits", async () => {
    const waiters = new Waiters();
    const { exchange, settle, abandoned } = exchangeFor(waiters);
    const first = new AbortController();
    const second = new AbortController();
    const waitingFirst = waiters.wait("k", exchange, first.signal, neverAskAgain);
    const waitingSecond = waiters.wait("k", exchange, second.signal, neverAskAgain);
    const waitingWithoutSignal = waiters.wait("k", exchange, undefined, neverAskAgain);
    first.abort();
    second.abort();
    await expect(waitingFirst).rejects.toMatchObject({ name: "AbortError" });
    await expect(waitingSecond).rejects.toMatchObject({ name: "AbortError" });
    expect(abandoned.aborted).toBe(false);
    settle.resolve("token");
    await expect(waitingWithoutSignal).resolves.toBe("token");
  });

  it("does not abandon an exchange that has ended when a caller aborts afterwards", async () => {
    const waiters = new Waiters();
    const { exchange, settle, abandoned } = exchangeFor(waiters);
    const caller = new AbortController();
    const waiting = waiters.wait("k", exchange, caller.signal, neverAskAgain);
    settle.resolve("token");
    await expect(waiting).resolves.toBe("token");
    caller.abort();
    expect(abandoned.aborted).toBe(false);
  });

  it("never abandons an exchange nobody waited for (a background refresh)", async () => {
    const waiters = new Waiters();
    const { exchange, settle, abandoned } = exchangeFor(waiters);
    settle.resolve("token");
    await expect(exchange).resolves.toBe("token");
    expect(abandoned.aborted).toBe(false);
  });

  it("makes a caller who comes after the exchange was abandoned wait for it to end, then ask again", async () => {
    const waiters = new Waiters();
    const { exchange, settle } = exchangeFor(waiters);
    const leaving = new AbortController();
    const left = waiters.wait("k", exchange, leaving.signal, neverAskAgain);
    leaving.abort();
    await expect(left).rejects.toMatchObject({ name: "AbortError" });
    const askAgain = jest.fn(() => Promise.resolve("fresh token"));
    const late = waiters.wait("k", exchange, undefined, askAgain);
    settle.reject(new Error("abandoned"));
    await expect(late).resolves.toBe("fresh token");
    expect(askAgain).toHaveBeenCalledTimes(1);
  });

  it("counts callers per key: aborting on one key abandons nothing on another", async () => {
    const waiters = new Waiters();
    const a = exchangeFor(waiters, "a");
    const b = exchangeFor(waiters, "b");
    const caller = new AbortController();
    const waitingA = waiters.wait("a", a.exchange, caller.signal, neverAskAgain);
    const waitingB = waiters.wait("b", b.exchange, undefined, neverAskAgain);
    caller.abort();
    await expect(waitingA).rejects.toMatchObject({ name: "AbortError" });
    expect(a.abandoned.aborted).toBe(true);
    expect(b.abandoned.aborted).toBe(false);
    b.settle.resolve("token");
    await expect(waitingB).resolves.toBe("token");
  });
});

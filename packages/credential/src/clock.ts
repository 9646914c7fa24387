// Time, injected: the cache, the backoff and their tests share one clock, so tests run on a fake one.

export interface Clock {
  /** Milliseconds since the epoch: for the timestamps getToken returns and for HTTP dates. */
  now(): number;
  /** Resolves after `ms`, or rejects with the signal's reason when it aborts first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /**
   * Milliseconds on a clock that never steps (any origin): token lifetimes are measured on it, so a wall
   * clock set backwards cannot make an expired token look valid. Optional for custom clocks, which then
   * measure lifetimes with `now()`.
   */
  monotonicNow?(): number;
}

/** The clock's monotonic time, or its wall-clock time when it has none. */
export function monotonicNow(clock: Clock): number {
  return clock.monotonicNow === undefined ? clock.now() : clock.monotonicNow();
}

export const systemClock: Clock = {
  now: () => Date.now(),
  monotonicNow: () => performance.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason as Error);
        return;
      }
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal?.reason as Error);
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      }, ms);
      signal?.addEventListener("abort", onAbort, { once: true });
    }),
};

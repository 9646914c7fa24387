// A clock for the credential that tests can move forward by hours in an instant; its sleeps return at once,
// so retries and backoff run without waiting, while the network underneath runs in real time.
import type { Clock } from "@workload-identity/credential";

export interface ShiftedClock extends Clock {
  advance(ms: number): void;
  /** Every delay the credential asked to sleep, in order. */
  sleeps: number[];
}

export function shiftedClock(): ShiftedClock {
  let offset = 0;
  const sleeps: number[] = [];
  return {
    now: () => Date.now() + offset,
    sleep: (ms, signal) => {
      sleeps.push(ms);
      return signal?.aborted ? Promise.reject(signal.reason as Error) : Promise.resolve();
    },
    advance: (ms) => {
      offset += ms;
    },
    sleeps,
  };
}

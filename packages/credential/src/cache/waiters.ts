// The callers waiting on each shared exchange. When the last of them aborts, the exchange is abandoned: left
// running, its requests and retries would go on for nobody until timeoutMs and keep the process alive that long.
// An exchange nobody waits for (a background refresh) runs to its end.
import type { GetTokenOptions } from "@azure/core-auth";
import { abortError } from "../errors/errors.js";

export type AbortSignalLike = NonNullable<GetTokenOptions["abortSignal"]>;

interface Flight {
  /** Aborted when the exchange is abandoned. */
  abandon: AbortController;
  waiting: number;
}

export class Waiters {
  private readonly flights = new Map<string, Flight>();

  /** Starts the exchange for `key`, giving it the signal that says it was abandoned. */
  run<T>(key: string, exchange: (abandoned: AbortSignal) => Promise<T>): Promise<T> {
    const flight: Flight = { abandon: new AbortController(), waiting: 0 };
    this.flights.set(key, flight);
    const forget = () => {
      if (this.flights.get(key) === flight) this.flights.delete(key);
    };
    const running = exchange(flight.abandon.signal);
    running.then(forget, forget);
    return running;
  }

  /**
   * `exchange` (the one for `key`, or a promise that follows it) for one caller, who stops waiting when `signal`
   * aborts. A caller who comes just after the exchange was abandoned waits for it to end, then asks again.
   */
  wait<T>(
    key: string,
    exchange: Promise<T>,
    signal: AbortSignalLike | undefined,
    askAgain: () => Promise<T>,
  ): Promise<T> {
    const flight = this.flights.get(key);
    if (flight === undefined) return race(exchange, signal);
    if (flight.abandon.signal.aborted) return race(exchange.then(askAgain, askAgain), signal);
    flight.waiting += 1;
    return race(exchange, signal, (aborted) => {
      flight.waiting -= 1;
      if (aborted && flight.waiting === 0) {
        flight.abandon.abort(new Error("every caller waiting for this token aborted"));
      }
    });
  }
}

/** `promise`, or AbortError as soon as `signal` aborts; `onLeave` runs once, when the caller stops waiting. */
function race<T>(
  promise: Promise<T>,
  signal: AbortSignalLike | undefined,
  onLeave?: (aborted: boolean) => void,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let waiting = true;
    const leave = (aborted: boolean) => {
      if (!waiting) return;
      waiting = false;
      signal?.removeEventListener("abort", onAbort);
      onLeave?.(aborted);
    };
    const onAbort = () => {
      leave(true);
      reject(abortError(reasonOf(signal)));
    };
    void promise
      .finally(() => {
        leave(false);
      })
      .then(resolve, reject);
    if (signal?.aborted) onAbort();
    else signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** core-auth's AbortSignalLike has no `reason`; a real AbortSignal does. */
export function reasonOf(signal: AbortSignalLike | undefined): unknown {
  return (signal as { reason?: unknown } | undefined)?.reason;
}

// How long to wait before retrying a token request: exponential backoff with jitter, or the server's Retry-After.

/** Statuses worth retrying: timeouts, throttling and server faults (RFC 9110 section 15.5.9, RFC 6585 section 4). */
export const RETRYABLE_STATUSES: readonly number[] = [408, 429, 500, 502, 503, 504];

export interface BackoffOptions {
  /** Delay before the first retry. */
  initialDelayMs: number;
  /** Ceiling for the doubled delay, applied before jitter. */
  maxDelayMs: number;
}

/**
 * Delay before retry number `attempt` (1 for the first retry): initialDelayMs doubled per attempt, capped at
 * maxDelayMs, then multiplied by 0.8 to 1.2 so that pods restarted together do not retry in lockstep.
 * The cap applies before the jitter, so that even capped delays stay spread out.
 */
export function retryDelayMs(attempt: number, options: BackoffOptions, random: () => number): number {
  const exponent = Math.max(0, attempt - 1);
  const base = Math.min(options.initialDelayMs * 2 ** exponent, options.maxDelayMs);
  return Math.round(base * (0.8 + 0.4 * random()));
}

// delta-seconds is digits only (RFC 9110 section 10.2.3); "-1" or "1.5" are not valid and must not become dates.
const DELTA_SECONDS = /^\d+$/;
// Every HTTP-date form (IMF-fixdate, RFC 850, asctime) starts with a day name; Date.parse alone accepts "-1".
const HTTP_DATE = /^[A-Za-z]{3}/;

/**
 * The wait a Retry-After header asks for, in milliseconds, from either delta-seconds ("120") or an HTTP-date
 * ("Wed, 21 Oct 2015 07:28:00 GMT"). Undefined when absent, unparsable or in the past, so the caller falls back
 * to its own backoff.
 */
export function parseRetryAfter(headerValue: string | undefined, nowMs: number): number | undefined {
  const value = headerValue?.trim();
  if (value === undefined || value === "") return undefined;
  if (DELTA_SECONDS.test(value)) return Number(value) * 1000;
  if (!HTTP_DATE.test(value)) return undefined;
  // asctime dates carry no zone but mean GMT (RFC 9110 section 5.6.7); Date.parse would read them as local time.
  const dateMs = Date.parse(/GMT$/i.test(value) ? value : `${value} GMT`);
  if (Number.isNaN(dateMs)) return undefined;
  const delayMs = dateMs - nowMs;
  return delayMs < 0 ? undefined : delayMs;
}

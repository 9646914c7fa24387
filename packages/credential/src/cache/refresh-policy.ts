// When a cached token should be refreshed: early enough never to serve an expired token, late enough that
// short tokens are not fetched on every call (msal-node and @azure/identity refetch anything under 5 minutes).

const FIVE_MINUTES = 5 * 60_000;
const TEN_MINUTES = 10 * 60_000;

/**
 * The server's `refresh_in` when given, else half the lifetime; never later than 5 minutes before expiry,
 * or, for tokens shorter than 10 minutes, than half their lifetime before expiry.
 */
export function refreshPoint(receivedAt: number, expiresOn: number, refreshOn?: number): number {
  const lifetime = expiresOn - receivedAt;
  if (lifetime <= 0) return receivedAt;
  const wanted = refreshOn !== undefined && refreshOn > receivedAt ? refreshOn : receivedAt + lifetime / 2;
  const latest = lifetime >= TEN_MINUTES ? expiresOn - FIVE_MINUTES : expiresOn - lifetime / 2;
  return Math.floor(Math.min(wanted, latest));
}

/** A token this close to expiry is not handed out: the caller waits for a fresh one. */
export const EXPIRY_MARGIN_MS = 5_000;

/** Backoff between failed background refreshes: 1 s, 2 s, 4 s... never more than 30 s apart. */
export function refreshRetryDelay(failures: number): number {
  return Math.min(30_000, 1_000 * 2 ** Math.max(0, failures - 1));
}

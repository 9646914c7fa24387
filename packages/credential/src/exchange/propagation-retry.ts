// Entra answers "no matching federated identity credential" for seconds to minutes after the credential is
// created (Microsoft's workload identity federation docs; azure-workload-identity #273, #576, #1200, where users
// deleted and recreated credentials that were right all along). Until a first token has been obtained, that
// answer is retried with backoff for a bounded time, so an app deployed with its credential starts by itself.
import { monotonicNow, type Clock } from "../clock.js";
import { AuthenticationError } from "../errors/errors.js";
import type { Log } from "../log.js";

const FIRST_DELAY_MS = 2_000;
const MAX_DELAY_MS = 15_000;

export class PropagationRetry {
  private obtainedToken = false;

  constructor(
    /** How long after the first attempt a retry may still start; 0 turns retrying off. */
    private readonly windowMs: number,
    private readonly clock: Clock,
    private readonly log: Log,
  ) {}

  async run<T>(exchange: () => Promise<T>, signal: AbortSignal): Promise<T> {
    const started = monotonicNow(this.clock);
    let refusal: AuthenticationError | undefined;
    for (let attempt = 1; ; attempt += 1) {
      let delayMs: number;
      try {
        const result = await exchange();
        this.obtainedToken = true;
        return result;
      } catch (error) {
        // A deadline that ends a retry says less than the refusal that caused it.
        if (signal.aborted && refusal !== undefined) throw refusal;
        if (!this.retries(error)) throw error;
        delayMs = Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** (attempt - 1));
        if (monotonicNow(this.clock) - started + delayMs > this.windowMs) throw error;
        refusal = error;
        this.log.warning(
          `Entra found no federated identity credential matching the token (AADSTS${String(error.aadstsCode)}); ` +
            `one created in the last minutes may still be propagating, so the request is retried in ${delayMs / 1000} s ` +
            `(for up to ${Math.round(this.windowMs / 1000)} s in all: federatedCredentialPropagationMs).`,
        );
      }
      try {
        await this.clock.sleep(delayMs, signal);
      } catch {
        throw refusal;
      }
    }
  }

  private retries(error: unknown): error is AuthenticationError {
    return (
      !this.obtainedToken &&
      this.windowMs > 0 &&
      error instanceof AuthenticationError &&
      (error.code === "ERR_FEDERATED_CREDENTIAL_MISMATCH" || error.code === "ERR_NO_FEDERATED_CREDENTIAL")
    );
  }
}

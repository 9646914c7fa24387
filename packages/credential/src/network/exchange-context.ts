// Per-request context shared between the credential and the network client, keyed by MSAL's correlation id.
// MSAL replaces any error its network client throws with a generic `network_error`, so the real failure
// (status, headers, body) is parked here for the credential to read back.

export type TokenRequestFailure =
  | { kind: "http"; status: number; headers: Record<string, string>; body: string; attempts: number }
  | { kind: "network"; error: Error; attempts: number }
  /** The proxy refused to connect (CONNECT answered, or an http request answered, with `status`). */
  | { kind: "proxy"; status: number; variable: string; attempts: number }
  | { kind: "aborted"; reason: unknown; attempts: number };

export interface ExchangeContext {
  /** Stops waiting and retrying: the exchange's deadline or the caller's abort. */
  signal?: AbortSignal;
  /** Set by the network client when the request finally fails. */
  failure?: TokenRequestFailure;
  /** HTTP attempts made for this request, retries included. */
  attempts: number;
}

export class ExchangeContexts {
  private readonly contexts = new Map<string, ExchangeContext>();

  open(correlationId: string, signal?: AbortSignal): ExchangeContext {
    const context: ExchangeContext = { attempts: 0, ...(signal ? { signal } : {}) };
    this.contexts.set(correlationId, context);
    return context;
  }

  get(correlationId: string | undefined): ExchangeContext | undefined {
    return correlationId === undefined ? undefined : this.contexts.get(correlationId);
  }

  close(correlationId: string): void {
    this.contexts.delete(correlationId);
  }
}

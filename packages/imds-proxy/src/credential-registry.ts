// The credentials behind the proxy, one per client id. Anyone in the pod can name any client id, so a
// credential is kept only once it has got a token (Entra knows the identity), at most MAX_IDENTITIES of
// them, least recently used dropped first; one being tried lives only while its requests are under way.
// Repeated requests hit a kept credential's token cache, and concurrent ones share its single exchange.
import {
  WorkloadIdentityCredential,
  type WorkloadIdentityCredentialOptions,
} from "@workload-identity/credential";
import type { IssuedToken } from "./token-response.js";

/** What the proxy asks of a credential (`WorkloadIdentityCredential` fits). */
export interface TokenSource {
  getToken(scope: string): Promise<IssuedToken>;
  /** Frees its connections; called when the proxy lets the credential go. */
  close?(): Promise<void>;
}

/**
 * Makes the credential for a client id (undefined: none was asked for and AZURE_CLIENT_ID is not set).
 * Throws the credential's configuration error when it cannot be made.
 */
export type CredentialFactory = (clientId: string | undefined) => TokenSource;

export type Readiness = { ready: true } | { ready: false; reason: string };

/** Far more identities than one pod uses; the bound only stops a process in the pod from growing the proxy. */
export const MAX_IDENTITIES = 64;

/** Injected by the Workload Identity webhook (v1.6+) into AKS identity-binding pods: the cluster's token proxy. */
export const AZURE_KUBERNETES_TOKEN_PROXY = "AZURE_KUBERNETES_TOKEN_PROXY";

/**
 * The credential's identity-binding switch for this pod: on exactly when the webhook injected
 * AZURE_KUBERNETES_TOKEN_PROXY. One image serves every cluster and cannot be rebuilt per cluster, so the pod's
 * environment decides; an ordinary pod keeps the direct exchange, unchanged (stray AZURE_KUBERNETES_* variables
 * without the proxy URL are ignored there, as with the switch off, instead of failing the proxy at start).
 */
export function tokenProxyInjected(env: Record<string, string | undefined>): boolean {
  return (env[AZURE_KUBERNETES_TOKEN_PROXY] ?? "").trim() !== "";
}

/** An explicit `enableAzureProxy` in `options` wins over the environment. */
export function workloadIdentityFactory(
  env: Record<string, string | undefined>,
  options: Omit<WorkloadIdentityCredentialOptions, "clientId" | "env"> = {},
): CredentialFactory {
  const resolved = { ...options, enableAzureProxy: options.enableAzureProxy ?? tokenProxyInjected(env) };
  return (clientId) =>
    new WorkloadIdentityCredential({ ...resolved, ...(clientId === undefined ? {} : { clientId }), env });
}

interface Trial {
  source: TokenSource;
  /** Requests under way with this credential. */
  users: number;
}

export class CredentialRegistry {
  /** Identities that got a token, least recently used first. */
  private readonly kept = new Map<string, TokenSource>();
  /** Identities with requests under way and no token yet. */
  private readonly trials = new Map<string, Trial>();

  constructor(
    private readonly factory: CredentialFactory,
    /** `AZURE_CLIENT_ID`: the identity of requests that name none. */
    readonly defaultClientId: string | undefined,
    private readonly maxIdentities = MAX_IDENTITIES,
  ) {}

  /** Credentials held: kept ones and ones being tried. */
  get size(): number {
    return this.kept.size + this.trials.size;
  }

  /** @throws the credential's configuration error, or its getToken error; nothing is kept for either. */
  async getToken(clientId: string | undefined, scope: string): Promise<IssuedToken> {
    // GUIDs compare case-insensitively: one identity, one credential, one cache.
    const key = clientId?.toLowerCase() ?? "";
    const kept = this.kept.get(key);
    if (kept !== undefined) {
      this.kept.delete(key); // most recently used goes last
      this.kept.set(key, kept);
      return kept.getToken(scope);
    }
    let trial = this.trials.get(key);
    if (trial === undefined) {
      trial = { source: this.factory(clientId), users: 0 };
      this.trials.set(key, trial);
    }
    trial.users += 1;
    try {
      const token = await trial.source.getToken(scope);
      this.keep(key, trial.source);
      return token;
    } finally {
      trial.users -= 1;
      if (trial.users === 0 && this.trials.get(key) === trial) {
        this.trials.delete(key);
        if (this.kept.get(key) !== trial.source) release(trial.source);
      }
    }
  }

  /** Ready once the default identity's credential can be made from the environment. */
  readiness(): Readiness {
    if (this.kept.has(this.defaultClientId?.toLowerCase() ?? "")) return { ready: true };
    try {
      release(this.factory(this.defaultClientId));
      return { ready: true };
    } catch (error) {
      return { ready: false, reason: error instanceof Error ? error.message : String(error) };
    }
  }

  /** Lets every credential go. */
  async close(): Promise<void> {
    const sources = [...this.kept.values(), ...[...this.trials.values()].map((t) => t.source)];
    this.kept.clear();
    this.trials.clear();
    await Promise.allSettled(sources.map((source) => source.close?.() ?? Promise.resolve()));
  }

  private keep(key: string, source: TokenSource): void {
    if (this.kept.has(key)) return;
    if (this.kept.size >= this.maxIdentities) {
      const [oldestKey, oldest] = this.kept.entries().next().value ?? [];
      if (oldestKey !== undefined) this.kept.delete(oldestKey);
      if (oldest !== undefined) release(oldest);
    }
    this.kept.set(key, source);
  }
}

/** Closes in the background: a credential let go has nothing left to report. */
function release(source: TokenSource): void {
  source.close?.().catch(() => undefined);
}

// One credential per client id, made on first use and kept: repeated requests hit its token cache, and
// concurrent ones share its single exchange.
import {
  WorkloadIdentityCredential,
  type WorkloadIdentityCredentialOptions,
} from "@workload-identity/credential";
import type { IssuedToken } from "./token-response.js";

/** What the proxy asks of a credential (`WorkloadIdentityCredential` fits). */
export interface TokenSource {
  getToken(scope: string): Promise<IssuedToken>;
}

/**
 * Makes the credential for a client id (undefined: none was asked for and AZURE_CLIENT_ID is not set).
 * Throws the credential's configuration error when it cannot be made.
 */
export type CredentialFactory = (clientId: string | undefined) => TokenSource;

export type Readiness = { ready: true } | { ready: false; reason: string };

export function workloadIdentityFactory(
  env: Record<string, string | undefined>,
  options: Omit<WorkloadIdentityCredentialOptions, "clientId" | "env"> = {},
): CredentialFactory {
  return (clientId) =>
    new WorkloadIdentityCredential({ ...options, ...(clientId === undefined ? {} : { clientId }), env });
}

export class CredentialRegistry {
  private readonly credentials = new Map<string, TokenSource>();

  constructor(
    private readonly factory: CredentialFactory,
    /** `AZURE_CLIENT_ID`: the identity of requests that name none. */
    readonly defaultClientId: string | undefined,
  ) {}

  /** @throws the credential's configuration error (nothing is kept then, so a fixed setup recovers). */
  get(clientId: string | undefined): TokenSource {
    // GUIDs compare case-insensitively: one identity, one credential, one cache.
    const key = clientId?.toLowerCase();
    const known = key === undefined ? undefined : this.credentials.get(key);
    if (known !== undefined) return known;
    const credential = this.factory(clientId);
    if (key !== undefined) this.credentials.set(key, credential);
    return credential;
  }

  /** Ready once the default identity's credential can be made from the environment. */
  readiness(): Readiness {
    try {
      this.get(this.defaultClientId);
      return { ready: true };
    } catch (error) {
      return { ready: false, reason: error instanceof Error ? error.message : String(error) };
    }
  }
}

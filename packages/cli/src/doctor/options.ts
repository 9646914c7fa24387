// The doctor's options, resolved once: explicit option, else the environment, else the default.
import type { CredentialFactory } from "./checks/token-exchange.js";
import type { FetchJson } from "./fetch-json.js";

export const DEFAULT_SCOPE = "https://management.azure.com/.default";
export const DEFAULT_TIMEOUT_MS = 15_000;

export interface DoctorOptions {
  /** The scope of the test token exchange (default https://management.azure.com/.default). */
  scope?: string;
  /**
   * The audience the token must carry (the one the federated credential has). Default: api://AKSIdentityBinding
   * in an identity-binding pod (an AZURE_KUBERNETES_* variable set), else the one Microsoft recommends for the
   * cloud of AZURE_AUTHORITY_HOST (api://AzureADTokenExchange, or its USGov and China forms).
   */
  audience?: string;
  /** Check this token file instead of AZURE_FEDERATED_TOKEN_FILE. */
  tokenFile?: string;
  /**
   * The longest each network check waits (the issuer fetches, the token proxy handshake), and the token exchange
   * with its retries (default 15 s).
   */
  timeoutMs?: number;
  /** The environment to diagnose (default process.env). */
  env?: Record<string, string | undefined>;
  /** The clock, in milliseconds since the epoch (for tests). */
  now?: () => number;
  /** Fetches the issuer's documents (for tests; default Node's https). */
  fetchJson?: FetchJson;
  /** Makes the credential for the exchange (for tests; default WorkloadIdentityCredential). */
  createCredential?: CredentialFactory;
}

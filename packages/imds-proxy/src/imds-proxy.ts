// createImdsProxy: the HTTP server with its handler and credentials; listens on demand, closes at once.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { WorkloadIdentityCredentialOptions } from "@workload-identity/credential";
import { createKlog, type Klog } from "@workload-identity/klog";
import {
  CredentialRegistry,
  workloadIdentityFactory,
  type CredentialFactory,
  type Readiness,
} from "./credential-registry.js";
import { createRequestHandler } from "./handler.js";
import { DEFAULT_BIND, DEFAULT_PORT } from "./options.js";

export interface ImdsProxyOptions {
  /** Default 8000; 0 lets the system choose (see `listen()`'s answer). */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Read for AZURE_CLIENT_ID (the default identity) and by the credentials; default `process.env`. */
  env?: Record<string, string | undefined>;
  /**
   * Passed to every `WorkloadIdentityCredential` (retries, timeout, logging). `enableAzureProxy` defaults to
   * whether `env` has AZURE_KUBERNETES_TOKEN_PROXY (an AKS identity-binding pod).
   */
  credentialOptions?: Omit<WorkloadIdentityCredentialOptions, "clientId" | "env">;
  /** Makes the credential for a client id instead of `WorkloadIdentityCredential` (for tests and embedding). */
  createCredential?: CredentialFactory;
  /** Default: klog lines on stderr. */
  log?: Klog;
  /** Epoch milliseconds, for `expires_in`; default `Date.now`. */
  now?: () => number;
}

export interface ImdsProxyAddress {
  host: string;
  port: number;
  /** `http://host:port`, the value for AZURE_POD_IDENTITY_AUTHORITY_HOST. */
  url: string;
}

export interface ImdsProxy {
  readonly server: Server;
  listen(): Promise<ImdsProxyAddress>;
  /** Stops listening and closes every connection, in-flight requests included, and the credentials'. */
  close(): Promise<void>;
  /** What /readyz answers. */
  readiness(): Readiness;
  /** Credentials held: one per client id that got a token (at most 64), plus those with requests under way. */
  readonly identities: number;
}

export function createImdsProxy(options: ImdsProxyOptions = {}): ImdsProxy {
  const port = options.port ?? DEFAULT_PORT;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new RangeError(`createImdsProxy: port ${String(port)} is not a port number (0-65535).`);
  }
  const host = options.host ?? DEFAULT_BIND;
  const env = options.env ?? process.env;
  const defaultClientId = env.AZURE_CLIENT_ID?.trim() === "" ? undefined : env.AZURE_CLIENT_ID?.trim();
  const registry = new CredentialRegistry(
    options.createCredential ?? workloadIdentityFactory(env, options.credentialOptions),
    defaultClientId,
  );
  const server = createServer(
    createRequestHandler({ registry, log: options.log ?? createKlog(), now: options.now ?? Date.now }),
  );

  return {
    server,
    listen: () =>
      new Promise((resolve, reject) => {
        const onError = (error: Error) => {
          reject(error);
        };
        server.once("error", onError);
        server.listen(port, host, () => {
          server.off("error", onError);
          const address = server.address() as AddressInfo;
          const urlHost = address.family === "IPv6" ? `[${address.address}]` : address.address;
          resolve({ host: address.address, port: address.port, url: `http://${urlHost}:${address.port}` });
        });
      }),
    close: async () => {
      await new Promise<void>((resolve, reject) => {
        if (!server.listening) {
          resolve();
          return;
        }
        server.close((error) => {
          if (error) reject(error);
          else resolve();
        });
        server.closeAllConnections();
      });
      await registry.close();
    },
    readiness: () => registry.readiness(),
    get identities() {
      return registry.size;
    },
  };
}

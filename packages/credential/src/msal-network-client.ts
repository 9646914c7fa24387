// For people who use @azure/msal-node directly (with createAssertionCallback): the credential's own network
// module for MSAL's `system.networkClient`, so they get its retries below MSAL and, in an AKS identity-binding
// pod, the token proxy with its rotating CA and server name, exactly as the credential does.
import type { RetryOptions } from "./config/options.js";
import { resolveRetry } from "./config/resolve-config.js";
import { resolveTokenProxy } from "./config/token-proxy.js";
import { createLog } from "./log.js";
import { RetryingNetworkClient } from "./network/retrying-network-client.js";
import { TokenProxyRoute } from "./network/token-proxy-route.js";

export interface MsalNetworkClientOptions {
  /** Send every request MSAL makes to AZURE_KUBERNETES_TOKEN_PROXY when the pod has one (default false). */
  enableAzureProxy?: boolean;
  retryOptions?: RetryOptions;
  /** The environment to read instead of `process.env`. */
  env?: Record<string, string | undefined>;
}

/**
 * MSAL's INetworkModule, written out: this package's public types must not load @azure/msal-node's, whose
 * CommonJS typings do not compile under `moduleResolution: node16` (TS1479; the consumer test found it).
 */
export interface MsalNetworkClient {
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- MSAL's own signature
  sendGetRequestAsync<T>(
    url: string,
    options?: { headers?: Record<string, string>; body?: string },
    timeout?: number,
  ): Promise<{ headers: Record<string, string>; body: T; status: number }>;
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- MSAL's own signature
  sendPostRequestAsync<T>(
    url: string,
    options?: { headers?: Record<string, string>; body?: string },
  ): Promise<{ headers: Record<string, string>; body: T; status: number }>;
  /** Closes its connections (through proxies, and to an identity binding's token proxy). */
  close(): Promise<void>;
}

/** An MSAL network module for `system.networkClient`. Throws CredentialUnavailableError as the credential does. */
export function createMsalNetworkClient(options: MsalNetworkClientOptions = {}): MsalNetworkClient {
  const env = options.env ?? process.env;
  const log = createLog(true);
  const warnings: string[] = [];
  const retry = resolveRetry(options.retryOptions ?? {}, 60_000, warnings);
  const { proxy, note } = resolveTokenProxy(options.enableAzureProxy === true, env);
  for (const warning of warnings) log.warning(`createMsalNetworkClient: ${warning}.`);
  if (note !== undefined) log.info(`createMsalNetworkClient: ${note}`);
  return new RetryingNetworkClient({
    retry,
    log,
    env,
    ...(proxy === undefined ? {} : { tokenProxy: new TokenProxyRoute(proxy, log) }),
  });
}

// For people who use @azure/msal-node directly (with createAssertionCallback): the credential's own network
// module for MSAL's `system.networkClient`, so they get its retries below MSAL and, in an AKS identity-binding
// pod, the token proxy with its rotating CA and server name, exactly as the credential does.
import type { INetworkModule } from "@azure/msal-node";
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

/** An MSAL network module; `close()` closes its connections. Throws CredentialUnavailableError as the credential does. */
export function createMsalNetworkClient(
  options: MsalNetworkClientOptions = {},
): INetworkModule & { close(): Promise<void> } {
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

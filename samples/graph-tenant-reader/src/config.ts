// The tenant reader's configuration, from the environment only.

export interface ReaderConfig {
  /** Graph's base URL without a trailing slash; national clouds have their own. */
  graphEndpoint: string;
  /** The scope of the Graph token: Graph's audience in that cloud plus `/.default`. */
  graphScope: string;
  port: number;
  pollIntervalMs: number;
  /** The credential's identity-binding switch: on when the webhook injected AZURE_KUBERNETES_TOKEN_PROXY. */
  enableAzureProxy: boolean;
}

export const REQUIRED = [
  "AZURE_CLIENT_ID",
  "AZURE_TENANT_ID",
  "AZURE_FEDERATED_TOKEN_FILE",
  "AZURE_AUTHORITY_HOST",
] as const;
export const PUBLIC_GRAPH = "https://graph.microsoft.com";
/** Microsoft Graph in each cloud (https://learn.microsoft.com/graph/deployments). */
export const GRAPH_HOSTS = [
  PUBLIC_GRAPH,
  "https://graph.microsoft.us",
  "https://dod-graph.microsoft.us",
  "https://microsoftgraph.chinacloudapi.cn",
];

/**
 * A token is for Graph's audience, not for the host the requests go to. A national cloud's `.default` scope
 * "MUST use the domain of the Microsoft Graph service root endpoint for the national cloud deployment"
 * (https://learn.microsoft.com/graph/sdks/national-clouds); any other host (a proxy, the emulator's loopback
 * Graph) stands for the global service.
 */
export function graphScopeFor(origin: string): string {
  return `${GRAPH_HOSTS.includes(origin) ? origin : PUBLIC_GRAPH}/.default`;
}

/**
 * Injected by the Workload Identity webhook (v1.6+) into AKS identity-binding pods, beside
 * AZURE_KUBERNETES_SNI_NAME and AZURE_KUBERNETES_CA_FILE (or _CA_DATA), which the credential reads itself.
 */
export const AZURE_KUBERNETES_TOKEN_PROXY = "AZURE_KUBERNETES_TOKEN_PROXY";

/**
 * The image is built once and runs in any cluster, so the pod decides: in an identity-binding pod the webhook
 * injected AZURE_KUBERNETES_TOKEN_PROXY and token requests must go through that proxy (a bound identity has no
 * federated credential for the cluster's own issuer, so the direct exchange fails); anywhere else the
 * credential works exactly as before, stray AZURE_KUBERNETES_* variables ignored.
 */
export function tokenProxyInjected(env: Record<string, string | undefined>): boolean {
  return (env[AZURE_KUBERNETES_TOKEN_PROXY] ?? "").trim() !== "";
}

/**
 * Node's timers hold at most 2^31 - 1 ms (24.8 days) and fire after 1 ms beyond it: an unbounded interval
 * turns the poll into a busy loop on Graph.
 */
export const MIN_POLL_INTERVAL_SECONDS = 1;
export const MAX_POLL_INTERVAL_SECONDS = 24 * 24 * 60 * 60;

/** `value` is what was given, when showing it helps (never for the AZURE_* variables). */
export type ConfigResult =
  { ok: true; config: ReaderConfig } | { ok: false; problem: string; name: string; value?: string };

export function readConfig(env: Record<string, string | undefined>): ConfigResult {
  const missing = REQUIRED.find((name) => (env[name] ?? "").trim() === "");
  if (missing !== undefined) return { ok: false, problem: "environment variable is not set", name: missing };

  const endpoint = (env.GRAPH_ENDPOINT ?? "").trim() || PUBLIC_GRAPH;
  if (
    !URL.canParse(endpoint) ||
    new URL(endpoint).protocol !== "https:" ||
    new URL(endpoint).pathname !== "/"
  ) {
    return {
      ok: false,
      problem: "environment variable is not an https origin such as https://graph.microsoft.com",
      name: "GRAPH_ENDPOINT",
    };
  }
  const port = Number(env.PORT ?? "8080");
  if (!(Number.isInteger(port) && port > 0 && port < 65536)) {
    return { ok: false, problem: "environment variable is not a port number", name: "PORT" };
  }
  const given = env.POLL_INTERVAL_SECONDS ?? "60";
  const interval = Number(given);
  if (!(interval >= MIN_POLL_INTERVAL_SECONDS && interval <= MAX_POLL_INTERVAL_SECONDS)) {
    return {
      ok: false,
      problem: `environment variable is not a number of seconds from ${MIN_POLL_INTERVAL_SECONDS} to ${MAX_POLL_INTERVAL_SECONDS} (24 days)`,
      name: "POLL_INTERVAL_SECONDS",
      value: given,
    };
  }
  const graphEndpoint = new URL(endpoint).origin;
  return {
    ok: true,
    config: {
      graphEndpoint,
      graphScope: graphScopeFor(graphEndpoint),
      port,
      pollIntervalMs: interval * 1000,
      enableAzureProxy: tokenProxyInjected(env),
    },
  };
}

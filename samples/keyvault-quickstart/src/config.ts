// The quickstart's configuration: the environment only, as msal-go reads it; every required variable named.

export interface QuickstartConfig {
  vaultUrl: string;
  secretName: string;
  pollIntervalMs: number;
  /** The credential's identity-binding switch: on when the webhook injected AZURE_KUBERNETES_TOKEN_PROXY. */
  enableAzureProxy: boolean;
}

/** The webhook injects the AZURE_* variables; the pod spec sets the rest. */
export const REQUIRED = [
  "KEYVAULT_URL",
  "SECRET_NAME",
  "AZURE_CLIENT_ID",
  "AZURE_TENANT_ID",
  "AZURE_FEDERATED_TOKEN_FILE",
  "AZURE_AUTHORITY_HOST",
] as const;

/**
 * Injected by the Workload Identity webhook (v1.6+) into AKS identity-binding pods, beside
 * AZURE_KUBERNETES_SNI_NAME and AZURE_KUBERNETES_CA_FILE (or _CA_DATA), which the credential reads itself.
 */
export const AZURE_KUBERNETES_TOKEN_PROXY = "AZURE_KUBERNETES_TOKEN_PROXY";

/**
 * Node's timers hold at most 2^31 - 1 ms (24.8 days) and fire after 1 ms beyond it: an unbounded interval
 * turns the poll into a busy loop on the vault.
 */
export const MIN_POLL_INTERVAL_SECONDS = 1;
export const MAX_POLL_INTERVAL_SECONDS = 24 * 24 * 60 * 60;

/** `value` is what was given, when showing it helps (never for the AZURE_* variables). */
export type ConfigResult =
  { ok: true; config: QuickstartConfig } | { ok: false; problem: string; name: string; value?: string };

export function readConfig(env: Record<string, string | undefined>): ConfigResult {
  const missing = REQUIRED.find((name) => (env[name] ?? "").trim() === "");
  if (missing !== undefined) return { ok: false, problem: "environment variable is not set", name: missing };

  const vaultUrl = (env.KEYVAULT_URL ?? "").trim();
  if (!URL.canParse(vaultUrl) || new URL(vaultUrl).protocol !== "https:") {
    return { ok: false, problem: "environment variable is not an https URL", name: "KEYVAULT_URL" };
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
  return {
    ok: true,
    config: {
      vaultUrl,
      secretName: (env.SECRET_NAME ?? "").trim(),
      pollIntervalMs: interval * 1000,
      enableAzureProxy: tokenProxyInjected(env),
    },
  };
}

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
 * Key Vault's challenge names vault.azure.net, which a loopback vault (the local emulator) can never match:
 * only then is the challenge-resource check turned off.
 */
export function isLoopbackUrl(url: string): boolean {
  const host = new URL(url).hostname;
  return host === "localhost" || host === "[::1]" || /^127\.\d+\.\d+\.\d+$/.test(host);
}

// Which names real-hostname mode answers under, and the environment that sends every client to them.
import type { EmulatorConfig, GraphAudience, RealHostnamesConfig } from "../config/emulator-config.js";

/**
 * Each cloud's authority host and Key Vault DNS suffix (a vault's URL is `https://{name}.{suffix}/`, its resource
 * `https://{suffix}`), by the Graph audience that names the tenant's cloud (`graph.audience`). From Azure's
 * published environments: `ActiveDirectoryAuthority`, `AzureKeyVaultDnsSuffix` and
 * `AzureKeyVaultServiceEndpointResourceId` of AzureCloud, AzureUSGovernment and AzureChinaCloud (Azure PowerShell's
 * environment list; `az cloud show`; go-autorest's environments.go). MSAL in every language knows these three
 * authority hosts without instance discovery.
 */
export const CLOUDS: Record<GraphAudience, { authority: string; vaultDnsSuffix: string }> = {
  "https://graph.microsoft.com": {
    authority: "login.microsoftonline.com",
    vaultDnsSuffix: "vault.azure.net",
  },
  "https://graph.microsoft.us": {
    authority: "login.microsoftonline.us",
    vaultDnsSuffix: "vault.usgovcloudapi.net",
  },
  "https://dod-graph.microsoft.us": {
    authority: "login.microsoftonline.us",
    vaultDnsSuffix: "vault.usgovcloudapi.net",
  },
  "https://microsoftgraph.chinacloudapi.cn": {
    authority: "login.chinacloudapi.cn",
    vaultDnsSuffix: "vault.azure.cn",
  },
};
/** Loopback stays direct: the admin endpoint, an identity-binding token proxy, the application's own servers. */
export const LOOPBACK_NO_PROXY = "localhost,127.0.0.1,::1";

export interface RealHostNames {
  authority: string;
  /** Key Vault's resource in this cloud: the challenge names it, and tokens for it are what vaults take. */
  keyVaultResource: string;
  graph: string;
  issuer: string;
  /** By vault name. */
  vaults: Record<string, string>;
}

export function realHostNames(config: EmulatorConfig, real: RealHostnamesConfig): RealHostNames {
  const cloud = CLOUDS[config.graph.audience];
  return {
    authority: cloud.authority,
    keyVaultResource: `https://${cloud.vaultDnsSuffix}`,
    graph: new URL(config.graph.audience).host,
    issuer: real.issuerHost,
    vaults: Object.fromEntries(
      config.vaults.map((v) => [v.name, `${v.name.toLowerCase()}.${cloud.vaultDnsSuffix}`]),
    ),
  };
}

export function allHosts(names: RealHostNames): string[] {
  return [names.authority, names.graph, names.issuer, ...Object.values(names.vaults)];
}

/**
 * What a process needs, in any language, to reach the emulated names: the proxy in both spellings (Node, Python
 * and curl let the lower-case one win when both are set, so a shell's own `https_proxy` would otherwise take
 * over), Node's opt-in to it, and the CA for each runtime. `SSL_CERT_FILE`, `REQUESTS_CA_BUNDLE` and
 * `CURL_CA_BUNDLE` replace the system store, so they get the bundle.
 */
export function realHostnamesEnv(
  proxyUrl: string,
  caCertPath: string,
  bundlePath: string,
): Record<string, string> {
  return {
    HTTPS_PROXY: proxyUrl,
    https_proxy: proxyUrl,
    NO_PROXY: LOOPBACK_NO_PROXY,
    no_proxy: LOOPBACK_NO_PROXY,
    NODE_USE_ENV_PROXY: "1",
    NODE_EXTRA_CA_CERTS: caCertPath,
    SSL_CERT_FILE: bundlePath,
    REQUESTS_CA_BUNDLE: bundlePath,
    CURL_CA_BUNDLE: bundlePath,
  };
}

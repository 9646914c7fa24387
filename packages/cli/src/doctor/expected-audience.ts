// Which `aud` the projected token must carry for the federated credential to match: --audience when given,
// else the audience Microsoft recommends for the cloud of AZURE_AUTHORITY_HOST.

export type AudienceSource = "option" | "cloud" | "assumed";

export interface ExpectedAudience {
  audience: string;
  /** `option`: --audience; `cloud`: the authority host's cloud; `assumed`: an unknown host, so the public cloud's. */
  source: AudienceSource;
  /** Why this audience, for people, on one line. */
  reason: string;
}

interface Cloud {
  name: string;
  audience: string;
}

const PUBLIC: Cloud = { name: "Azure public cloud", audience: "api://AzureADTokenExchange" };
const US_GOVERNMENT: Cloud = { name: "Azure US Government", audience: "api://AzureADTokenExchangeUSGov" };
const CHINA: Cloud = { name: "Azure China (21Vianet)", audience: "api://AzureADTokenExchangeChina" };

/**
 * The recommended audience per cloud, from Microsoft Learn, "Configure an application to trust a managed
 * identity" (https://learn.microsoft.com/entra/workload-id/workload-identity-federation-config-app-trust-managed-identity):
 * public cloud api://AzureADTokenExchange, Fairfax (US Government) api://AzureADTokenExchangeUSGov, Mooncake
 * (China) api://AzureADTokenExchangeChina. The host aliases are those MSAL.NET's KnownCloudConfiguration gives
 * each of these audiences (and those the credential's authority metadata knows).
 */
const CLOUD_BY_AUTHORITY_HOST = new Map<string, Cloud>([
  ["login.microsoftonline.com", PUBLIC],
  ["login.windows.net", PUBLIC],
  ["login.microsoft.com", PUBLIC],
  ["sts.windows.net", PUBLIC],
  ["login.microsoftonline.us", US_GOVERNMENT],
  ["login.usgovcloudapi.net", US_GOVERNMENT],
  ["login.chinacloudapi.cn", CHINA],
  ["login.partner.microsoftonline.cn", CHINA],
]);

/** What the credential uses when AZURE_AUTHORITY_HOST is not set: the public cloud's. */
const DEFAULT_AUTHORITY_HOST = "login.microsoftonline.com";

/**
 * The audience the doctor expects in the token. Rules are tried in order; a new one (such as identity
 * bindings' api://AKSIdentityBinding, keyed on the proxy variable) goes before the authority host's.
 */
export function expectedAudience(
  env: Record<string, string | undefined>,
  explicit?: string,
): ExpectedAudience {
  const option = explicit?.trim();
  if (option !== undefined && option !== "") {
    return { audience: option, source: "option", reason: "from --audience" };
  }
  const variable = env.AZURE_AUTHORITY_HOST?.trim();
  if (variable === undefined || variable === "") {
    const reason = `${PUBLIC.name}, by the default authority host ${DEFAULT_AUTHORITY_HOST} (AZURE_AUTHORITY_HOST is not set)`;
    return { audience: PUBLIC.audience, source: "cloud", reason };
  }
  const host = hostOf(variable);
  const cloud = host === undefined ? undefined : CLOUD_BY_AUTHORITY_HOST.get(host);
  if (cloud !== undefined) {
    return {
      audience: cloud.audience,
      source: "cloud",
      reason: `${cloud.name}, by AZURE_AUTHORITY_HOST ${host}`,
    };
  }
  // The Workload Identity webhook projects the public audience unless configured otherwise, and
  // Entra-compatible hosts (the emulator among them) use it too: refusing it there would be wrong more often
  // than right, so it is assumed, and the report says so.
  const unknown = host === undefined ? "is not a URL" : `${host} is not a known Entra cloud`;
  return {
    audience: PUBLIC.audience,
    source: "assumed",
    reason: `${PUBLIC.name}, assumed: AZURE_AUTHORITY_HOST ${unknown} (pass --audience otherwise)`,
  };
}

/** The lower-case host name of an authority URL (no port, no credentials, no trailing dot), if it is a URL. */
function hostOf(authorityHost: string): string | undefined {
  if (!URL.canParse(authorityHost)) return undefined;
  return new URL(authorityHost).hostname.toLowerCase().replace(/\.$/, "");
}

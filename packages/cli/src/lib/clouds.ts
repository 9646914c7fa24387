// The Azure clouds a workload may authenticate in: the audience Microsoft recommends for federated credentials
// there, and the authority host the Workload Identity webhook injects for it.

export type CloudId = "public" | "usgov" | "china";

export interface Cloud {
  id: CloudId;
  name: string;
  /**
   * From Microsoft Learn, "Configure an application to trust a managed identity"
   * (https://learn.microsoft.com/entra/workload-id/workload-identity-federation-config-app-trust-managed-identity):
   * public cloud api://AzureADTokenExchange, Fairfax (US Government) api://AzureADTokenExchangeUSGov, Mooncake
   * (China) api://AzureADTokenExchangeChina.
   */
  audience: string;
  /**
   * AZURE_AUTHORITY_HOST as the webhook injects it for its AZURE_ENVIRONMENT (go-autorest's
   * ActiveDirectoryEndpoint; the webhook's TestGetAzureAuthorityHost pins all three, trailing slash included).
   */
  authorityHost: string;
  /** The webhook's AZURE_ENVIRONMENT value for this cloud. */
  environment: string;
}

export const CLOUDS: Record<CloudId, Cloud> = {
  public: {
    id: "public",
    name: "Azure public cloud",
    audience: "api://AzureADTokenExchange",
    authorityHost: "https://login.microsoftonline.com/",
    environment: "AzurePublicCloud",
  },
  usgov: {
    id: "usgov",
    name: "Azure US Government",
    audience: "api://AzureADTokenExchangeUSGov",
    authorityHost: "https://login.microsoftonline.us/",
    environment: "AzureUSGovernmentCloud",
  },
  china: {
    id: "china",
    name: "Azure China (21Vianet)",
    audience: "api://AzureADTokenExchangeChina",
    authorityHost: "https://login.chinacloudapi.cn/",
    environment: "AzureChinaCloud",
  },
};

export function isCloudId(value: string): value is CloudId {
  return Object.hasOwn(CLOUDS, value);
}

// Where an emulated vault says it lives (its ARM resource id and region), and the headers Key Vault sends.
import { randomUUID } from "node:crypto";
import type { InvalidAudienceStyle } from "../config/emulator-config.js";
import type { RequestContext } from "../http/route.js";

export const KEY_VAULT_RESOURCE = "https://vault.azure.net";
/** Azure Key Vault's first-party application id, the other audience the newer AKV10022 text names. */
export const KEY_VAULT_APP_ID = "cfa8b339-82a2-471a-a3c9-0fc0be7a4093";

/**
 * The audiences a vault takes: those its AKV10022 text names, in the style configured. `resource` is Key Vault's
 * resource in the vault's cloud (the public cloud's unless real-hostname mode serves a national cloud).
 */
export function acceptedAudiences(style: InvalidAudienceStyle, resource = KEY_VAULT_RESOURCE): string[] {
  return style === "resource-or-app-id" ? [resource, KEY_VAULT_APP_ID] : [resource];
}

/** The subscription and resource group every emulated vault is placed in: the 403 text names them. */
export const VAULT_SUBSCRIPTION_ID = "00000000-0000-0000-0000-000000000000";
export const VAULT_RESOURCE_GROUP = "workload-identity-emulator";
export const VAULT_LOCATION = "eastus";
/** A service version of the form Key Vault reports (1.9.3019.1 in a 403 of 2026-02-07). */
const SERVICE_VERSION = "1.9.3019.1";

export function vaultResourceId(vaultName: string): string {
  return `/subscriptions/${VAULT_SUBSCRIPTION_ID}/resourceGroups/${VAULT_RESOURCE_GROUP}/providers/Microsoft.KeyVault/vaults/${vaultName}`;
}

/**
 * The headers of every Key Vault answer, as recorded from Azure (Azure/azure-sdk-for-js Key Vault recordings,
 * 2021-12-21; a 403 of 2026-02-07): no caching, the region, the echoed client request id, a fresh request id,
 * the service version, the caller's address, HSTS and nosniff.
 */
export function keyVaultHeaders(ctx?: RequestContext): Record<string, string> {
  const clientRequestId = ctx?.req.headers["x-ms-client-request-id"];
  const address = ctx?.req.socket.remoteAddress?.replace(/^::ffff:/, "") ?? "127.0.0.1";
  const v6 = address.includes(":");
  return {
    "cache-control": "no-cache",
    pragma: "no-cache",
    expires: "-1",
    "x-ms-keyvault-region": VAULT_LOCATION,
    ...(typeof clientRequestId === "string" ? { "x-ms-client-request-id": clientRequestId } : {}),
    "x-ms-request-id": randomUUID(),
    "x-ms-keyvault-service-version": SERVICE_VERSION,
    "x-ms-keyvault-network-info": `conn_type=${v6 ? "Ipv6" : "Ipv4"};addr=${address};act_addr_fam=${v6 ? "InterNetworkV6" : "InterNetwork"};`,
    "strict-transport-security": "max-age=31536000;includeSubDomains",
    "x-content-type-options": "nosniff",
  };
}

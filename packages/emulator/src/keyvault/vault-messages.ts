// Key Vault's error texts: the 401s (AKV100xx) by why the token was refused, the RBAC 403 and the 404.
import type { JWTPayload } from "jose";
import type { InvalidAudienceStyle } from "../config/emulator-config.js";
import type { VerifyFailure } from "../entra/access-token-issuer.js";
import { acceptedAudiences, VAULT_LOCATION, vaultResourceId } from "./vault-resource.js";

export interface Refusal {
  reason: VerifyFailure | "missing";
  style: InvalidAudienceStyle;
  /** Key Vault's resource in the vault's cloud (default: the public cloud's). */
  resource?: string;
  /** The token's claims, once its signature and lifetime were good. */
  claims?: JWTPayload | undefined;
  expectedIssuers?: string[];
}

const FIXED: Record<Exclude<VerifyFailure, "audience" | "issuer"> | "missing", string> = {
  // Azure/azure-sdk-for-js Key Vault recordings, 2021-12-21 (before that without "AKV10000: ").
  missing: "AKV10000: Request is missing a Bearer or PoP token.",
  malformed: "AKV10000: Request is missing a Bearer or PoP token.",
  signature: "AKV10025: Token signature validation failed.",
  expired: "AKV10021: The access token is expired.",
};

export function unauthorizedMessage(refusal: Refusal): string {
  switch (refusal.reason) {
    case "audience": {
      // Both forms name what they found, as it is, then a period. "resource": 2020-06-09 (Azure/go-autorest#525)
      // to 2023 (SANS Holiday Hack write-up); "resource-or-app-id": 2024-03-18
      // (argoproj-labs/argocd-vault-plugin#621), the newest seen.
      const expected = acceptedAudiences(refusal.style, refusal.resource).join(" or ");
      return `AKV10022: Invalid audience. Expected ${expected}, found: ${String(refusal.claims?.aud)}.`;
    }
    case "issuer":
      // https://github.com/Azure/azure-sdk-for-js/blob/main/sdk/keyvault/keyvault-secrets/TROUBLESHOOTING.md:
      // "AKV10032: Invalid issuer. Expected one of https://sts.windows.net/{tenant 1}/, found https://sts.windows.net/{tenant 2}/."
      return `AKV10032: Invalid issuer. Expected one of ${(refusal.expectedIssuers ?? []).join(", ")}, found ${String(refusal.claims?.iss)}.`;
    default:
      return FIXED[refusal.reason];
  }
}

export interface Caller {
  appid: string;
  oid: string;
  iss: string;
}

/**
 * The RBAC refusal of a secret read, line for line and with Azure's separators (raw body of a GET secret in a
 * Container Apps troubleshooting doc; piyushsachdeva/Terraform_AKS#2, 2024-01-30): the resource id
 * lower-cased, a space before the line break after DecisionReason, and a line break at the very end.
 */
export function forbiddenByRbacMessage(request: {
  caller: Caller;
  vaultName: string;
  secretName: string;
}): string {
  const { caller, vaultName, secretName } = request;
  const resource = `${vaultResourceId(vaultName)}/secrets/${secretName}`.toLowerCase();
  return [
    "Caller is not authorized to perform action on resource.",
    "If role assignments, deny assignments or role definitions were changed recently, please observe propagation time.",
    `Caller: appid=${caller.appid};oid=${caller.oid};iss=${caller.iss}`,
    "Action: 'Microsoft.KeyVault/vaults/secrets/getSecret/action'",
    `Resource: '${resource}'`,
    "Assignment: (not found)",
    "DenyAssignmentId: null",
    "DecisionReason: 'DeniedWithNoValidRBAC' ",
    `Vault: ${vaultName};location=${VAULT_LOCATION}`,
    "",
  ].join("\r\n");
}

/**
 * `id` is the name, or name/version when a version was asked for. Azure/azure-sdk-for-js Key Vault recordings
 * (2020-06, 2021-04) and Azure/azure-sdk-for-js#25489 (2023-04-07): no period after the link.
 */
export function secretNotFoundMessage(id: string): string {
  return (
    `A secret with (name/id) ${id} was not found in this key vault. If you recently deleted this secret you ` +
    "may be able to recover it using the correct recovery command. For help resolving this issue, please see " +
    "https://go.microsoft.com/fwlink/?linkid=2125182"
  );
}

// Which tenant a getToken call may use, by @azure/identity's multi-tenant rules.
import { CredentialUnavailableError } from "../errors/errors.js";
import { MULTI_TENANT_ALIASES, quote } from "./resolve-config.js";

/** The configured tenant, or the requested one when `additionallyAllowedTenants` (or "*") allows it. */
export function tenantForRequest(
  configured: string,
  allowed: readonly string[],
  requested: string | undefined,
): string {
  if (requested === undefined || requested === "" || requested.toLowerCase() === configured.toLowerCase()) {
    return configured;
  }
  if (!/^[0-9a-zA-Z.-]+$/.test(requested)) {
    throw new CredentialUnavailableError(
      "ERR_INVALID_CONFIGURATION",
      `WorkloadIdentityCredential: the requested tenant ${quote(requested)} may contain only letters, digits, "-" and ".".`,
    );
  }
  if (MULTI_TENANT_ALIASES.has(requested.toLowerCase())) {
    throw new CredentialUnavailableError(
      "ERR_INVALID_CONFIGURATION",
      `WorkloadIdentityCredential: the requested tenant ${quote(requested)} is not a tenant; client credentials need the tenant's GUID or domain name.`,
    );
  }
  if (allowed.includes("*") || allowed.some((t) => t.toLowerCase() === requested.toLowerCase()))
    return requested;
  throw new CredentialUnavailableError(
    "ERR_TENANT_NOT_ALLOWED",
    `WorkloadIdentityCredential: not configured for tenant ${quote(requested)}; add it to additionallyAllowedTenants ` +
      `(or AZURE_ADDITIONALLY_ALLOWED_TENANTS), or add "*" to allow any tenant.`,
  );
}

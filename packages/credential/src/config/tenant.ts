// Which tenant a getToken call may use, by @azure/identity's multi-tenant rules.
import { CredentialUnavailableError } from "../errors/errors.js";
import { quote } from "./resolve-config.js";
import { tenantNameProblem } from "./tenant-name.js";

export interface TenantPolicy {
  /** The credential's own tenant. */
  configured: string;
  /** additionallyAllowedTenants (or AZURE_ADDITIONALLY_ALLOWED_TENANTS without it); "*" allows any. */
  allowed: readonly string[];
  /** AZURE_IDENTITY_DISABLE_MULTITENANTAUTH: every request gets the configured tenant. */
  multiTenantDisabled: boolean;
}

/** The configured tenant, or the requested one when the allow-list (or "*") allows it. */
export function tenantForRequest(policy: TenantPolicy, requested: string | undefined): string {
  const { configured, allowed } = policy;
  if (
    policy.multiTenantDisabled ||
    requested === undefined ||
    requested === "" ||
    requested.toLowerCase() === configured.toLowerCase()
  ) {
    return configured;
  }
  const problem = tenantNameProblem(requested);
  if (problem !== undefined) {
    throw new CredentialUnavailableError(
      "ERR_INVALID_CONFIGURATION",
      `WorkloadIdentityCredential: the requested tenant ${quote(requested)} ${problem}.`,
    );
  }
  if (allowed.includes("*") || allowed.some((t) => t.toLowerCase() === requested.toLowerCase()))
    return requested;
  throw new CredentialUnavailableError(
    "ERR_TENANT_NOT_ALLOWED",
    `WorkloadIdentityCredential: not configured for tenant ${quote(requested)}; add it to additionallyAllowedTenants ` +
      `(or, without that option, AZURE_ADDITIONALLY_ALLOWED_TENANTS), or add "*" to allow any tenant.`,
  );
}

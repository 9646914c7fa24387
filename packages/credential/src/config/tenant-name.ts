// What a tenant may be: a GUID or a domain name, which the token URL takes as one path segment.

const TENANT_CHARACTERS = /^[0-9a-zA-Z.-]+$/;
const ALPHANUMERIC = /[0-9a-zA-Z]/;

/** Authorities that name no tenant, where a client-credential request cannot work. */
export const MULTI_TENANT_ALIASES = new Set(["common", "organizations", "consumers"]);

/** What is wrong with `tenant` as a tenant name, or undefined when nothing is. */
export function tenantNameProblem(tenant: string): string | undefined {
  // "." and ".." would be dot segments: URL resolution turns {authority}/../oauth2/... into a path outside the
  // authority, so the assertion would be posted somewhere else.
  if (!TENANT_CHARACTERS.test(tenant) || !ALPHANUMERIC.test(tenant)) {
    return 'may contain only letters, digits, "-" and ".", and needs a letter or digit (a tenant GUID or a domain name)';
  }
  if (MULTI_TENANT_ALIASES.has(tenant.toLowerCase())) {
    return "is not a tenant: client credentials need the tenant's GUID or domain name";
  }
  return undefined;
}

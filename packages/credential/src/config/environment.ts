// The environment variables the Workload Identity webhook injects (and @azure/identity's extra one).

export const AZURE_CLIENT_ID = "AZURE_CLIENT_ID";
export const AZURE_TENANT_ID = "AZURE_TENANT_ID";
export const AZURE_FEDERATED_TOKEN_FILE = "AZURE_FEDERATED_TOKEN_FILE";
export const AZURE_AUTHORITY_HOST = "AZURE_AUTHORITY_HOST";
/** Semicolon-separated tenants the credential may also get tokens for, as @azure/identity reads it. */
export const AZURE_ADDITIONALLY_ALLOWED_TENANTS = "AZURE_ADDITIONALLY_ALLOWED_TENANTS";
/** Any non-empty value makes getToken ignore its tenantId option, as in @azure/identity. */
export const AZURE_IDENTITY_DISABLE_MULTITENANTAUTH = "AZURE_IDENTITY_DISABLE_MULTITENANTAUTH";

export const DEFAULT_AUTHORITY_HOST = "https://login.microsoftonline.com/";

/** Where the README's troubleshooting section is, for messages to point at. */
export const TROUBLESHOOTING =
  "see https://www.npmjs.com/package/@workload-identity/credential#troubleshooting";

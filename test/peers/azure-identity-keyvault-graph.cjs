// Reads a Key Vault secret and the tenant from Microsoft Graph with @azure/identity's WorkloadIdentityCredential,
// as the SDKs' quick starts use it: the credential reads AZURE_CLIENT_ID, AZURE_TENANT_ID,
// AZURE_FEDERATED_TOKEN_FILE and AZURE_AUTHORITY_HOST itself, SecretClient runs the vault's challenge, and the
// Graph client takes its token from the same credential through TokenCredentialAuthenticationProvider. Nothing
// here knows about an emulator: the Azure SDK takes the proxy from HTTPS_PROXY, the Graph client's fetch from
// NODE_USE_ENV_PROXY=1, and both trust NODE_EXTRA_CA_CERTS.
const { WorkloadIdentityCredential } = require("@azure/identity");
const { SecretClient } = require("@azure/keyvault-secrets");
const { Client } = require("@microsoft/microsoft-graph-client");
const {
  TokenCredentialAuthenticationProvider,
} = require("@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials");

function required(name) {
  const value = process.env[name];
  if (!value) {
    console.error(`${name} is not set`);
    process.exit(1);
  }
  return value;
}

async function main() {
  const credential = new WorkloadIdentityCredential();

  const secretName = required("SECRET_NAME");
  const secrets = new SecretClient(required("KEYVAULT_URL"), credential);
  const secret = await secrets.getSecret(secretName);
  console.log(`secret ${secretName}: ${secret.value}`);

  const graph = Client.initWithMiddleware({
    authProvider: new TokenCredentialAuthenticationProvider(credential, {
      scopes: ["https://graph.microsoft.com/.default"],
    }),
  });
  const organization = await graph.api("/organization").get();
  for (const tenant of organization.value) console.log(`tenant ${tenant.id}: ${tenant.displayName}`);
}

main().catch((error) => {
  console.error(`failed: ${error.message}`);
  process.exit(1);
});

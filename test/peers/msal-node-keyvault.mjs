// Reads a Key Vault secret with msal-node behind @azure/keyvault-secrets, as a Workload Identity pod does: the
// shape of the Workload Identity project's msal-node example, except that the client assertion is a callback
// MSAL calls for each token request, so a token file kubelet has rotated is read afresh. Nothing here knows
// about an emulator: Node 24 takes the proxy from HTTPS_PROXY (NODE_USE_ENV_PROXY=1) and the CA from
// NODE_EXTRA_CA_CERTS.
import { ConfidentialClientApplication } from "@azure/msal-node";
import { SecretClient } from "@azure/keyvault-secrets";
import { readFile } from "node:fs/promises";

function required(name) {
  const value = process.env[name];
  if (!value) {
    console.error(`${name} is not set`);
    process.exit(1);
  }
  return value;
}

const tokenFile = required("AZURE_FEDERATED_TOKEN_FILE");
const app = new ConfidentialClientApplication({
  auth: {
    clientId: required("AZURE_CLIENT_ID"),
    // AZURE_AUTHORITY_HOST ends with "/" as the webhook injects it.
    authority: `${required("AZURE_AUTHORITY_HOST").replace(/\/$/, "")}/${required("AZURE_TENANT_ID")}`,
    clientAssertion: () => readFile(tokenFile, "utf8"),
  },
});

// The TokenCredential interface @azure/keyvault-secrets calls, with the scope its challenge names.
const credential = {
  async getToken(scopes) {
    const result = await app.acquireTokenByClientCredential({
      scopes: Array.isArray(scopes) ? scopes : [scopes],
    });
    if (!result) throw new Error("msal-node returned no token");
    return { token: result.accessToken, expiresOnTimestamp: result.expiresOn.getTime() };
  },
};

const secretName = required("SECRET_NAME");
const client = new SecretClient(required("KEYVAULT_URL"), credential);
try {
  const secret = await client.getSecret(secretName);
  console.log(`secret ${secretName}: ${secret.value}`);
} catch (error) {
  console.error(`failed to get secret ${secretName}: ${error.message}`);
  process.exit(1);
}

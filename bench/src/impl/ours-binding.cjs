// Adapter: @workload-identity/credential in an AKS identity-binding pod: the switch on, the rest from the environment
// (AZURE_KUBERNETES_TOKEN_PROXY, _SNI_NAME, _CA_FILE beside the usual variables).
"use strict";

const packageName = "@workload-identity/credential";

/**
 * @param {any} pkg the package, loaded by the probe with import() or require()
 * @returns {{ getToken(scope: string): Promise<unknown> }}
 */
const create = (pkg) => {
  const credential = new pkg.WorkloadIdentityCredential({ enableAzureProxy: true });
  return { getToken: (scope) => credential.getToken(scope) };
};

module.exports = { packageName, create };

// Adapter: @azure/identity's WorkloadIdentityCredential in an AKS identity-binding pod (4.14 or later reads the
// AZURE_KUBERNETES_* variables when enableAzureProxy is on). Instance discovery off, as in ./identity.cjs.
"use strict";

const packageName = "@azure/identity";

/**
 * @param {any} pkg the package, loaded by the probe with import() or require()
 * @returns {{ getToken(scope: string): Promise<unknown> }}
 */
const create = (pkg) => {
  const credential = new pkg.WorkloadIdentityCredential({
    enableAzureProxy: true,
    disableInstanceDiscovery: true,
  });
  return { getToken: (scope) => credential.getToken(scope) };
};

module.exports = { packageName, create };

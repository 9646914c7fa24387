// Adapter: @azure/identity's WorkloadIdentityCredential, configured by the pod's environment.
// Instance discovery is off because MSAL would ask login.microsoftonline.com about the emulator's host.
"use strict";

const packageName = "@azure/identity";

/**
 * @param {any} pkg the package, loaded by the probe with import() or require()
 * @returns {{ getToken(scope: string): Promise<unknown> }}
 */
const create = (pkg) => {
  const credential = new pkg.WorkloadIdentityCredential({ disableInstanceDiscovery: true });
  return { getToken: (scope) => credential.getToken(scope) };
};

module.exports = { packageName, create };

// Adapter: @workload-identity/credential, configured by the pod's environment alone.
// CommonJS so that the ESM and the CommonJS probes share it without loading the other module system.
"use strict";

const packageName = "@workload-identity/credential";

/**
 * @param {any} pkg the package, loaded by the probe with import() or require()
 * @returns {{ getToken(scope: string): Promise<unknown> }}
 */
const create = (pkg) => {
  const credential = new pkg.WorkloadIdentityCredential();
  return { getToken: (scope) => credential.getToken(scope) };
};

module.exports = { packageName, create };

// Adapter: @azure/msal-node alone, as a pod would use it without @azure/identity, with the fix the upstream
// sample lacks: the client-assertion callback re-reads the projected token at every call. MSAL's own cache.
"use strict";

const { readFile } = require("node:fs/promises");

const packageName = "@azure/msal-node";

/**
 * @param {any} msal the package, loaded by the probe with import() or require()
 * @param {NodeJS.ProcessEnv} [env]
 * @returns {{ getToken(scope: string): Promise<unknown> }}
 */
const create = (msal, env = process.env) => {
  const authorityHost = String(env.AZURE_AUTHORITY_HOST);
  const tokenFile = String(env.AZURE_FEDERATED_TOKEN_FILE);
  const app = new msal.ConfidentialClientApplication({
    auth: {
      clientId: String(env.AZURE_CLIENT_ID),
      authority: new URL(String(env.AZURE_TENANT_ID), authorityHost).href,
      // A host MSAL does not know: trusted as given, its metadata fetched from the host itself.
      knownAuthorities: [new URL(authorityHost).host],
      clientAssertion: async () => (await readFile(tokenFile, "utf8")).trim(),
    },
  });
  return {
    getToken: async (scope) => {
      const result = await app.acquireTokenByClientCredential({ scopes: [scope] });
      if (!result?.accessToken) throw new Error("msal-node returned no access token");
      return { token: result.accessToken, expiresOnTimestamp: result.expiresOn?.getTime() };
    },
  };
};

module.exports = { packageName, create };

// For people who use @azure/msal-node directly: the credential's own assertion supplier, as a client-assertion
// callback that reads the projected token at every call, so kubelet's rotation is picked up (the upstream
// sample reads it once and breaks).
import { resolveTokenFilePath } from "../config/resolve-config.js";
import { tokenFileSupplier } from "./assertion-supplier.js";

/**
 * `clientAssertion` for `new ConfidentialClientApplication({ auth: { clientId, authority, clientAssertion } })`.
 * @param tokenFilePath default `AZURE_FEDERATED_TOKEN_FILE` (as the credential resolves it)
 * @param env the environment to read instead of `process.env`
 */
export function createAssertionCallback(
  tokenFilePath?: string,
  env: Record<string, string | undefined> = process.env,
): () => Promise<string> {
  return tokenFileSupplier(resolveTokenFilePath(tokenFilePath === "" ? undefined : tokenFilePath, env));
}

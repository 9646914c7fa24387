// For people who use @azure/msal-node directly: a client-assertion callback that reads the projected token
// at every call, so kubelet's rotation is picked up (the upstream sample reads it once and breaks).
import { AZURE_FEDERATED_TOKEN_FILE } from "../config/environment.js";
import { CredentialUnavailableError } from "../errors/errors.js";
import { readTokenFile } from "./read-token-file.js";

/**
 * `clientAssertion` for `new ConfidentialClientApplication({ auth: { clientId, authority, clientAssertion } })`.
 * @param tokenFilePath default `AZURE_FEDERATED_TOKEN_FILE`
 */
export function createAssertionCallback(tokenFilePath?: string): () => Promise<string> {
  const path = tokenFilePath ?? process.env[AZURE_FEDERATED_TOKEN_FILE];
  if (path === undefined || path.trim() === "") {
    throw new CredentialUnavailableError(
      "ERR_MISSING_CONFIGURATION",
      `createAssertionCallback: ${AZURE_FEDERATED_TOKEN_FILE} is not set and no path was given; label the pod azure.workload.identity/use: "true".`,
    );
  }
  return () => readTokenFile(path.trim());
}

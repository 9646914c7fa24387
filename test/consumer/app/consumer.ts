// Compiled, never run: what an app's TypeScript sees of the packed credential beside its own Azure SDK. run.mjs
// copies it to consumer.mts (node16, ES module), consumer.cts (node16, CommonJS) and consumer.ts (bundler).
import type { TokenCredential } from "@azure/core-auth";
import { SecretClient } from "@azure/keyvault-secrets";
import {
  WorkloadIdentityCredential,
  WorkloadIdentityError,
  errorCategories,
  type AnyWorkloadIdentityError,
  type WorkloadIdentityCredentialOptions,
  type WorkloadIdentityErrorCategory,
} from "@workload-identity/credential";

const options: WorkloadIdentityCredentialOptions = { tenantId: "contoso.onmicrosoft.com", timeoutMs: 10_000 };
const credential: TokenCredential = new WorkloadIdentityCredential(options);
export const client = new SecretClient(
  "https://my-vault.vault.azure.net",
  new WorkloadIdentityCredential(options),
);
export const viaTokenCredential = new SecretClient("https://my-vault.vault.azure.net", credential);

// The options are typed, not `any`: a wrong type must not compile.
// @ts-expect-error clientId is a string
export const wrong = new WorkloadIdentityCredential({ clientId: 42 });

export function whereTheFixIs(e: unknown): WorkloadIdentityErrorCategory | undefined {
  if (!(e instanceof WorkloadIdentityError)) return undefined;
  const error = e as AnyWorkloadIdentityError;
  switch (error.code) {
    case "ERR_TOKEN_FILE_NOT_FOUND":
      return error.path === "" ? "configuration" : error.category; // narrowed to TokenFileError
    case "ERR_FEDERATED_CREDENTIAL_MISMATCH":
      return error.statusCode === 401 ? "rejected" : error.category; // narrowed to AuthenticationError
    default:
      return errorCategories[error.code];
  }
}

// Public surface of @workload-identity/credential.
export { WorkloadIdentityCredential } from "./workload-identity-credential.js";
export type { WorkloadIdentityCredentialOptions, RetryOptions, LoggingOptions } from "./config/options.js";
export {
  WorkloadIdentityError,
  CredentialUnavailableError,
  TokenFileUnavailableError,
  TokenFileError,
  isTokenFileError,
  AuthenticationError,
} from "./errors/errors.js";
export type { AnyWorkloadIdentityError, EntraErrorResponse } from "./errors/errors.js";
export { errorCategories } from "./errors/codes.js";
export type {
  WorkloadIdentityErrorCode,
  ConfigurationErrorCode,
  TokenFileErrorCode,
  TokenFileUnavailableCode,
  TokenFileContentCode,
  EntraErrorCode,
  RequestErrorCode,
  WorkloadIdentityErrorCategory,
} from "./errors/codes.js";
export { oneLine } from "./errors/one-line.js";
export { createAssertionCallback } from "./token-file/assertion-callback.js";
export {
  createMsalNetworkClient,
  type MsalNetworkClient,
  type MsalNetworkClientOptions,
} from "./msal-network-client.js";
export type { Clock } from "./clock.js";

// Public surface of @workload-identity/credential.
export { WorkloadIdentityCredential } from "./workload-identity-credential.js";
export type { WorkloadIdentityCredentialOptions, RetryOptions } from "./config/options.js";
export {
  WorkloadIdentityError,
  CredentialUnavailableError,
  TokenFileError,
  AuthenticationError,
} from "./errors/errors.js";
export type { WorkloadIdentityErrorCode, EntraErrorResponse } from "./errors/errors.js";
export { createAssertionCallback } from "./token-file/assertion-callback.js";
export type { Clock } from "./clock.js";

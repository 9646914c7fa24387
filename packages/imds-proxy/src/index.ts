// Public surface of @workload-identity/imds-proxy.
export { createImdsProxy } from "./imds-proxy.js";
export type { ImdsProxy, ImdsProxyAddress, ImdsProxyOptions } from "./imds-proxy.js";
export type { CredentialFactory, Readiness, TokenSource } from "./credential-registry.js";
export { probeReadiness } from "./probe.js";
export type { ProbeOptions, ProbeResult } from "./probe.js";
export { resourceToScope } from "./token-response.js";
export type { ImdsTokenResponse, IssuedToken } from "./token-response.js";
export type { ImdsErrorBody } from "./imds-error.js";
export { DEFAULT_BIND, DEFAULT_PORT } from "./options.js";

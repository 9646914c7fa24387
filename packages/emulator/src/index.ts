// Public surface of @workload-identity/emulator.
export { createEmulator, prepareStateDir } from "./emulator.js";
export type {
  Emulator,
  EmulatorEnv,
  EmulatorOptions,
  EmulatorUrls,
  IdentityBindingHandle,
} from "./emulator.js";
export {
  resolveConfig,
  EmulatorConfigError,
  DEFAULT_CLIENT_ID,
  DEFAULT_TENANT_ID,
  TOKEN_EXCHANGE_AUDIENCE,
  DEFAULT_ISSUER_HOST,
} from "./config/emulator-config.js";
export type {
  ApplicationConfig,
  EmulatorConfig,
  EmulatorConfigInput,
  DescriptionSeparator,
  EntraSettings,
  FederatedCredentialConfig,
  FederatedErrorStyle,
  GraphAudience,
  GraphConfig,
  InvalidAudienceStyle,
  KeyVaultSettings,
  PortsConfig,
  RealHostnamesConfig,
  ServiceAccountConfig,
  TenantConfig,
  VaultConfig,
} from "./config/emulator-config.js";
export { IDENTITY_BINDING_AUDIENCE } from "./config/identity-binding-config.js";
export type {
  BoundIdentityConfig,
  IdentityBindingConfig,
  IdentityBindingInput,
  IdentityUseGrant,
} from "./config/identity-binding-config.js";
export { ENDPOINTS, FaultRuleError } from "./faults/fault-rule.js";
export type { Endpoint, FaultRule } from "./faults/fault-rule.js";
export type { FaultInjector } from "./faults/fault-injector.js";
export type { RequestStats, RequestRecord, RequestFilter } from "./stats/request-stats.js";
export type { OidcIssuer, SignOptions } from "./issuer/oidc-issuer.js";
export type { TokenProjector } from "./kubelet/token-projector.js";
export { TOKEN_FILE_NAME } from "./kubelet/token-projector.js";
export { writeAtomically } from "./kubelet/atomic-writer.js";
export { KEY_VAULT_RESOURCE } from "./keyvault/vault-service.js";

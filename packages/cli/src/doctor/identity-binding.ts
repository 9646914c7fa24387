// AKS identity bindings as the doctor sees them: the variables the Workload Identity webhook (v1.6) injects into
// such a pod, and the audience it projects the token for. Any of the variables makes a pod an identity-binding pod.

export const AZURE_KUBERNETES_TOKEN_PROXY = "AZURE_KUBERNETES_TOKEN_PROXY";
export const AZURE_KUBERNETES_SNI_NAME = "AZURE_KUBERNETES_SNI_NAME";
export const AZURE_KUBERNETES_CA_FILE = "AZURE_KUBERNETES_CA_FILE";
export const AZURE_KUBERNETES_CA_DATA = "AZURE_KUBERNETES_CA_DATA";

/** In the order the webhook injects them (the CA as a file, or inline when so configured). */
export const IDENTITY_BINDING_VARIABLES = [
  AZURE_KUBERNETES_TOKEN_PROXY,
  AZURE_KUBERNETES_SNI_NAME,
  AZURE_KUBERNETES_CA_FILE,
  AZURE_KUBERNETES_CA_DATA,
] as const;

export type IdentityBindingVariable = (typeof IDENTITY_BINDING_VARIABLES)[number];

/** The projected token's audience in an identity-binding pod (the webhook's cmd/webhook/main.go). */
export const IDENTITY_BINDING_AUDIENCE = "api://AKSIdentityBinding";

/** What a pod needs, beside the azure.workload.identity/use label, for the webhook to set it up for a binding. */
export const USE_IDENTITY_BINDING_ANNOTATION = 'azure.workload.identity/use-identity-binding: "true"';

type Environment = Record<string, string | undefined>;

/** The identity-binding variables set in `env`, as the credential reads them (empty counts as not set). */
export function identityBindingVariables(env: Environment): IdentityBindingVariable[] {
  return IDENTITY_BINDING_VARIABLES.filter((name) => bindingValue(env, name) !== undefined);
}

export function bindingValue(env: Environment, name: IdentityBindingVariable): string | undefined {
  const trimmed = env[name]?.trim();
  return trimmed === undefined || trimmed === "" ? undefined : trimmed;
}

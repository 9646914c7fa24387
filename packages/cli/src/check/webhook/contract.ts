// The names and limits of the Azure Workload Identity webhook (Azure/azure-workload-identity, pkg/webhook/consts.go
// at v1.6.0; the same in v1.5.1 unless webhook-version.ts says otherwise). docs/design-decisions.md, "workload-identity
// check", says which behaviour of pkg/webhook/webhook.go each rule reproduces.

/** On the pod: the MutatingWebhookConfiguration's objectSelector matches it with the value "true" exactly. */
export const USE_LABEL = "azure.workload.identity/use";

/** On the service account only: the webhook never reads these from the pod. */
export const CLIENT_ID_ANNOTATION = "azure.workload.identity/client-id";
export const TENANT_ID_ANNOTATION = "azure.workload.identity/tenant-id";

/** On the pod or the service account; the pod's, when not empty, wins. */
export const TOKEN_EXPIRATION_ANNOTATION = "azure.workload.identity/service-account-token-expiration";
export const MIN_TOKEN_EXPIRATION = 3600;
export const MAX_TOKEN_EXPIRATION = 86400;
/** Kubernetes' default expirationSeconds for a projected token, which the webhook uses when nothing says otherwise. */
export const DEFAULT_TOKEN_EXPIRATION = 3600;

/** On the pod: container names separated by ";", each trimmed. */
export const SKIP_CONTAINERS_ANNOTATION = "azure.workload.identity/skip-containers";

/** On the pod: its presence, whatever its value, injects the IMDS proxy. */
export const INJECT_PROXY_SIDECAR_ANNOTATION = "azure.workload.identity/inject-proxy-sidecar";
export const PROXY_SIDECAR_PORT_ANNOTATION = "azure.workload.identity/proxy-sidecar-port";
export const DEFAULT_PROXY_PORT = 8000;
export const PROXY_INIT_CONTAINER = "azwi-proxy-init";
export const PROXY_SIDECAR_CONTAINER = "azwi-proxy";

/**
 * On the pod, in v1.6 as AKS configures it (`--custom-token-endpoint-annotation-suffix identity-binding`): the
 * value "true", in any case, makes it an identity-binding pod.
 */
export const USE_IDENTITY_BINDING_ANNOTATION = "azure.workload.identity/use-identity-binding";

/** The variables every mutated container gets, unless it sets them itself or the value is empty. */
export const AZURE_CLIENT_ID = "AZURE_CLIENT_ID";
export const AZURE_TENANT_ID = "AZURE_TENANT_ID";
export const AZURE_FEDERATED_TOKEN_FILE = "AZURE_FEDERATED_TOKEN_FILE";
export const AZURE_AUTHORITY_HOST = "AZURE_AUTHORITY_HOST";
export const INJECTED_VARIABLES = [
  AZURE_CLIENT_ID,
  AZURE_TENANT_ID,
  AZURE_FEDERATED_TOKEN_FILE,
  AZURE_AUTHORITY_HOST,
] as const;

/** Where the audience of the federated credential is the default one: the webhook's --audience default. */
export const DEFAULT_AUDIENCE = "api://AzureADTokenExchange";

/** Every annotation and label of the webhook's starts with this: one on a pod shows it is meant to use it. */
export const WORKLOAD_IDENTITY_PREFIX = "azure.workload.identity/";

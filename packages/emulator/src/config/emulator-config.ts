// The emulator's configuration document: its shape, its defaults (which make the demo work) and validation.
import { randomUUID } from "node:crypto";
import { parseFaultRule, type FaultRule } from "../faults/fault-rule.js";
import {
  EmulatorConfigError,
  GUID,
  assertUnique,
  requireOneOf,
  requirePort,
  requirePositive,
  requireString,
} from "./config-error.js";
import {
  IDENTITY_BINDING_AUDIENCE,
  IDENTITY_BINDING_CREDENTIAL_NAME,
  boundIdentities,
  isBound,
  resolveIdentityBinding,
  type IdentityBindingConfig,
  type IdentityBindingInput,
} from "./identity-binding-config.js";

export { EmulatorConfigError };

/**
 * Which answer a federated credential mismatch gets, newest first (dates and sources in docs/design-decisions.md):
 * "per-claim" AADSTS700211/700212/700213/7002138 in the 2025 wording; "per-claim-2024" the same codes in the
 * 2023-12..2024 wording ("Please check ...", docs.microsoft.com link, no 7002138); "aadsts70021" one code naming
 * all three claims as `invalid_client` (401, 2023); "aadsts70021-2022" the same as `invalid_request` (400, 2022).
 */
export const FEDERATED_ERROR_STYLES = [
  "per-claim",
  "per-claim-2024",
  "aadsts70021",
  "aadsts70021-2022",
] as const;
export type FederatedErrorStyle = (typeof FEDERATED_ERROR_STYLES)[number];

/**
 * What separates an Entra error description from its "Trace ID: ... Correlation ID: ... Timestamp: ..." parts:
 * single spaces in answers seen since late 2023 (the default), "\r\n" in answers up to 2023.
 */
export const DESCRIPTION_SEPARATORS = ["space", "crlf"] as const;
export type DescriptionSeparator = (typeof DESCRIPTION_SEPARATORS)[number];

export interface TenantConfig {
  id: string;
  displayName: string;
  /** Verified domains; each is also accepted as the tenant in a token request path. */
  domains: string[];
}

export interface FederatedCredentialConfig {
  name: string;
  /** Exact issuer string to match; omitted means the emulator's own issuer URL (with its trailing slash). */
  issuer?: string;
  subject: string;
  audiences: string[];
  /**
   * Set by the emulator on the credential AKS creates for a bound identity (`aks-identity-binding`): its issuer is
   * the identity's binding issuer, whose URL is known once the emulator listens.
   */
  identityBinding?: true;
}

export interface ApplicationConfig {
  clientId: string;
  displayName: string;
  tenantId: string;
  /** Object id of the application's service principal (the `oid` of its tokens). */
  objectId: string;
  federatedIdentityCredentials: FederatedCredentialConfig[];
  /** Microsoft Graph application roles granted, e.g. `Organization.Read.All`. */
  graphRoles: string[];
}

export interface VaultConfig {
  name: string;
  tenantId: string;
  secrets: Record<string, string>;
  /**
   * Who may read secrets (the "Key Vault Secrets User" role): client ids, or service principal object ids,
   * matched against the token's `appid` and `oid` as Key Vault identifies a caller.
   */
  readers: string[];
  port: number;
}

export interface ServiceAccountConfig {
  namespace: string;
  name: string;
  audience: string;
  lifetimeSeconds: number;
  /** Fraction of the lifetime after which the token is rotated; kubelet uses 0.8. */
  rotateAtFraction: number;
}

export interface EntraSettings {
  accessTokenLifetimeSeconds: number;
  /** Sent as `refresh_in` when set. */
  refreshInSeconds: number | null;
  federatedErrorStyle: FederatedErrorStyle;
  /** Tolerance when checking an assertion's `exp`/`nbf`. */
  clockSkewSeconds: number;
  descriptionSeparator: DescriptionSeparator;
}

/**
 * Microsoft Graph's audience in each cloud: the `aud` of its tokens and the only one the emulated Graph accepts
 * (https://learn.microsoft.com/graph/deployments lists these hosts).
 */
export const GRAPH_AUDIENCES = [
  "https://graph.microsoft.com",
  "https://graph.microsoft.us",
  "https://dod-graph.microsoft.us",
  "https://microsoftgraph.chinacloudapi.cn",
] as const;
export type GraphAudience = (typeof GRAPH_AUDIENCES)[number];

export interface GraphConfig {
  /** The resource clients ask a Graph token for; the emulated Graph is still called on its loopback URL. */
  audience: GraphAudience;
}

/** Which AKV10022 text the vaults answer, newest first: both were seen from Azure (docs/design-decisions.md). */
export const INVALID_AUDIENCE_STYLES = ["resource-or-app-id", "resource"] as const;
export type InvalidAudienceStyle = (typeof INVALID_AUDIENCE_STYLES)[number];

export interface KeyVaultSettings {
  invalidAudienceStyle: InvalidAudienceStyle;
}

export interface PortsConfig {
  issuer: number;
  entra: number;
  graph: number;
  admin: number;
  /** Real-hostname mode's HTTP proxy (what `HTTPS_PROXY` points at); unused otherwise. */
  proxy: number;
}

/**
 * Real-hostname mode: the emulated services answer under Azure's own names, reached through the emulator's HTTP
 * proxy (docs/design-decisions.md, "Real host names").
 */
export interface RealHostnamesConfig {
  /** The cluster issuer's host; AKS issuers are `https://{region}.oic.prod-aks.azure.com/{tenant}/{guid}/`. */
  issuerHost: string;
}

export interface EmulatorConfig {
  tenants: TenantConfig[];
  applications: ApplicationConfig[];
  serviceAccount: ServiceAccountConfig;
  /** Path of the issuer URL; it starts and ends with "/" (AKS issuers end with a slash). */
  issuerPath: string;
  entra: EntraSettings;
  /** Resource URIs known to the tenant besides Key Vault, ARM, Storage and the emulator's Graph. */
  resources: string[];
  graph: GraphConfig;
  keyVault: KeyVaultSettings;
  vaults: VaultConfig[];
  faults: FaultRule[];
  ports: PortsConfig;
  /** AKS identity-binding mode; absent in the default mode. */
  identityBinding?: IdentityBindingConfig;
  /** Real-hostname mode; absent in the default (loopback) mode. */
  realHostnames?: RealHostnamesConfig;
}

type Input<T> = {
  [K in keyof T]?: T[K] extends (infer U)[] ? Input<U>[] : T[K] extends object ? Input<T[K]> : T[K];
};
export type EmulatorConfigInput = Omit<Input<EmulatorConfig>, "identityBinding" | "realHostnames"> & {
  /** Present (`{}` for the defaults) turns on AKS identity-binding mode. */
  identityBinding?: IdentityBindingInput | null;
  /** `true` (or an object, for its settings) turns on real-hostname mode. */
  realHostnames?: boolean | Input<RealHostnamesConfig> | null;
};

export const DEFAULT_TENANT_ID = "6a4c7a1e-3d2b-4f5e-9c8d-7b6a5f4e3d2c";
export const DEFAULT_CLIENT_ID = "0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0";
export const TOKEN_EXCHANGE_AUDIENCE = "api://AzureADTokenExchange";

/** The host of the issuer URL Microsoft's AKS documentation shows (learn.microsoft.com/azure/aks/use-oidc-issuer). */
export const DEFAULT_ISSUER_HOST = "eastus.oic.prod-aks.azure.com";
/** The cluster's GUID in real-hostname mode's default issuer path, `/{tenant}/{this}/` as AKS forms it. */
export const DEFAULT_CLUSTER_ISSUER_ID = "5e1d0c4b-9a8f-4e7d-b6c5-a4b3c2d1e0f9";
const HOST_NAME =
  /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$/;

/**
 * The longest projected-token lifetime: the Workload Identity webhook's annotation allows 3600-86400 s, and
 * kubelet rotates a token at the latest after 24 h whatever its lifetime. It also keeps the rotation timer
 * (lifetime x rotateAtFraction) far below setTimeout's 2^31-1 ms, beyond which Node fires after 1 ms.
 */
const MAX_SERVICE_ACCOUNT_LIFETIME_SECONDS = 86_400;

const VAULT_NAME = /^[a-zA-Z][a-zA-Z0-9-]{1,22}[a-zA-Z0-9]$/;
const SECRET_NAME = /^[0-9a-zA-Z-]{1,127}$/;

/** Fills defaults and validates; the input is never mutated. */
export function resolveConfig(input: EmulatorConfigInput = {}): EmulatorConfig {
  const tenants = (input.tenants ?? [{}]).map((t, i) => resolveTenant(t, i));
  assertUnique(
    tenants.map((t) => t.id),
    "tenants[].id",
  );
  const defaultTenant = tenants[0];
  if (!defaultTenant) throw new EmulatorConfigError("tenants", "at least one tenant is required");

  const bindingInput = input.identityBinding ?? undefined;
  const serviceAccount = resolveServiceAccount(input.serviceAccount ?? {}, bindingInput !== undefined);
  const firstClientId = input.applications?.[0]?.clientId ?? DEFAULT_CLIENT_ID;
  const bound = bindingInput === undefined ? [] : boundIdentities(bindingInput, firstClientId);
  const applications = (input.applications ?? [{}]).map((a, i) =>
    resolveApplication(a, i, defaultTenant.id, serviceAccount, tenants, bound),
  );
  if (applications.length === 0) throw new EmulatorConfigError("applications", "at least one is required");
  assertUnique(
    applications.map((a) => `${a.tenantId}/${a.clientId}`),
    "applications[].clientId",
  );
  const defaultClientId = applications[0]?.clientId ?? DEFAULT_CLIENT_ID;

  const realHostnames = resolveRealHostnames(input.realHostnames);
  // An AKS issuer's path names the tenant and the cluster; the loopback issuer keeps its short "/".
  const issuerPath: unknown =
    input.issuerPath ?? (realHostnames ? `/${defaultTenant.id}/${DEFAULT_CLUSTER_ISSUER_ID}/` : "/");
  if (typeof issuerPath !== "string" || !issuerPath.startsWith("/") || !issuerPath.endsWith("/")) {
    throw new EmulatorConfigError("issuerPath", `${JSON.stringify(issuerPath)} must start and end with "/"`);
  }

  const vaults = (input.vaults ?? [{}]).map((v, i) =>
    resolveVault(v, i, defaultTenant.id, defaultClientId, tenants),
  );
  assertUnique(
    vaults.map((v) => v.name),
    "vaults[].name",
  );

  return {
    tenants,
    applications,
    serviceAccount,
    issuerPath,
    entra: resolveEntraSettings(input.entra ?? {}),
    resources: (input.resources ?? []).map((r, i) => requireString(r, `resources[${i}]`)),
    graph: resolveGraph(input.graph ?? {}),
    keyVault: resolveKeyVault(input.keyVault ?? {}),
    vaults,
    faults: (input.faults ?? []).map((f, i) => {
      try {
        return parseFaultRule(f);
      } catch (error) {
        throw new EmulatorConfigError(`faults[${i}]`, (error as Error).message);
      }
    }),
    ports: resolvePorts(input.ports ?? {}),
    ...(bindingInput === undefined
      ? {}
      : {
          identityBinding: resolveIdentityBinding(bindingInput, {
            firstClientId,
            serviceAccount,
            applications,
          }),
        }),
    ...(realHostnames ? { realHostnames } : {}),
  };
}

function resolveRealHostnames(input: EmulatorConfigInput["realHostnames"]): RealHostnamesConfig | undefined {
  if (input === undefined || input === null || input === false) return undefined;
  if (input !== true && (typeof input !== "object" || Array.isArray(input))) {
    throw new EmulatorConfigError("realHostnames", "must be true, false or an object");
  }
  const issuerHost: unknown = (input === true ? undefined : input.issuerHost) ?? DEFAULT_ISSUER_HOST;
  if (typeof issuerHost !== "string" || !HOST_NAME.test(issuerHost)) {
    throw new EmulatorConfigError(
      "realHostnames.issuerHost",
      "must be a lower-case DNS name with at least two labels, such as eastus.oic.prod-aks.azure.com",
    );
  }
  return { issuerHost };
}

function resolveTenant(t: Input<TenantConfig>, i: number): TenantConfig {
  const id = t.id ?? DEFAULT_TENANT_ID;
  if (!GUID.test(id)) throw new EmulatorConfigError(`tenants[${i}].id`, `"${id}" is not a GUID`);
  return {
    id,
    displayName: t.displayName ?? "Contoso (emulated)",
    domains: (t.domains ?? ["contoso.onmicrosoft.com"]).map((d, j) =>
      requireString(d, `tenants[${i}].domains[${j}]`),
    ),
  };
}

export function resolveEntraSettings(e: Input<EntraSettings>, base?: EntraSettings): EntraSettings {
  const settings: EntraSettings = {
    accessTokenLifetimeSeconds: e.accessTokenLifetimeSeconds ?? base?.accessTokenLifetimeSeconds ?? 3599,
    refreshInSeconds:
      e.refreshInSeconds === undefined ? (base?.refreshInSeconds ?? null) : e.refreshInSeconds,
    federatedErrorStyle: e.federatedErrorStyle ?? base?.federatedErrorStyle ?? "per-claim",
    clockSkewSeconds: e.clockSkewSeconds ?? base?.clockSkewSeconds ?? 0,
    descriptionSeparator: e.descriptionSeparator ?? base?.descriptionSeparator ?? "space",
  };
  requirePositive(settings.accessTokenLifetimeSeconds, "entra.accessTokenLifetimeSeconds");
  if (settings.refreshInSeconds !== null)
    requirePositive(settings.refreshInSeconds, "entra.refreshInSeconds");
  requireOneOf(settings.federatedErrorStyle, FEDERATED_ERROR_STYLES, "entra.federatedErrorStyle");
  requireOneOf(settings.descriptionSeparator, DESCRIPTION_SEPARATORS, "entra.descriptionSeparator");
  const skew: unknown = settings.clockSkewSeconds;
  if (!(typeof skew === "number" && Number.isFinite(skew) && skew >= 0)) {
    throw new EmulatorConfigError("entra.clockSkewSeconds", "must be a number >= 0");
  }
  return settings;
}

/** In identity-binding mode the webhook projects the token for `api://AKSIdentityBinding` instead. */
function resolveServiceAccount(
  s: Input<ServiceAccountConfig>,
  identityBinding: boolean,
): ServiceAccountConfig {
  const sa: ServiceAccountConfig = {
    namespace: s.namespace ?? "default",
    name: s.name ?? "workload-identity-sa",
    audience: s.audience ?? (identityBinding ? IDENTITY_BINDING_AUDIENCE : TOKEN_EXCHANGE_AUDIENCE),
    lifetimeSeconds: s.lifetimeSeconds ?? 3600,
    rotateAtFraction: s.rotateAtFraction ?? 0.8,
  };
  // Below Kubernetes' 600 s minimum on purpose, so tests can watch rotation.
  const lifetime: unknown = sa.lifetimeSeconds;
  if (!(typeof lifetime === "number" && lifetime > 0 && lifetime <= MAX_SERVICE_ACCOUNT_LIFETIME_SECONDS)) {
    throw new EmulatorConfigError(
      "serviceAccount.lifetimeSeconds",
      `must be a number of seconds above 0 and at most ${MAX_SERVICE_ACCOUNT_LIFETIME_SECONDS} (a day, the longest the Workload Identity webhook projects), not ${typeof lifetime === "number" ? String(lifetime) : `a value of type ${typeof lifetime}`}`,
    );
  }
  if (!(sa.rotateAtFraction > 0 && sa.rotateAtFraction < 1)) {
    throw new EmulatorConfigError("serviceAccount.rotateAtFraction", "must be between 0 and 1 (exclusive)");
  }
  return sa;
}

function resolveApplication(
  a: Input<ApplicationConfig>,
  i: number,
  defaultTenantId: string,
  sa: ServiceAccountConfig,
  tenants: TenantConfig[],
  bound: { clientId: string; tenantId?: string }[],
): ApplicationConfig {
  const path = `applications[${i}]`;
  const clientId = a.clientId ?? DEFAULT_CLIENT_ID;
  if (!GUID.test(clientId)) throw new EmulatorConfigError(`${path}.clientId`, `"${clientId}" is not a GUID`);
  const tenantId = a.tenantId ?? defaultTenantId;
  requireTenant(tenantId, `${path}.tenantId`, tenants);
  // AKS federates a bound identity once, for its binding issuer, and not with the cluster's issuer.
  const boundHere = isBound(bound, clientId, tenantId);
  const fics: FederatedCredentialConfig[] = (
    a.federatedIdentityCredentials ??
    (boundHere
      ? []
      : [
          {
            name: "kubernetes-federated-credential",
            subject: `system:serviceaccount:${sa.namespace}:${sa.name}`,
          },
        ])
  ).map((f, j) => ({
    name: f.name ?? `federated-credential-${j}`,
    ...(f.issuer === undefined ? {} : { issuer: f.issuer }),
    subject: requireString(f.subject, `${path}.federatedIdentityCredentials[${j}].subject`),
    audiences: (f.audiences ?? [TOKEN_EXCHANGE_AUDIENCE]).map((x, k) =>
      requireString(x, `${path}.federatedIdentityCredentials[${j}].audiences[${k}]`),
    ),
  }));
  if (boundHere) fics.push(identityBindingCredential(clientId));
  return {
    clientId,
    displayName: a.displayName ?? "workload-identity-demo",
    tenantId,
    objectId: a.objectId ?? randomUUID(),
    federatedIdentityCredentials: fics,
    graphRoles: [...(a.graphRoles ?? ["Organization.Read.All"])],
  };
}

/**
 * The credential AKS creates on a bound identity. Its name and its issuer (the binding issuer) are documented; its
 * subject and audience are not public (they show only in a screenshot): the client id and Entra's recommended
 * audience are our choice.
 */
function identityBindingCredential(clientId: string): FederatedCredentialConfig {
  return {
    name: IDENTITY_BINDING_CREDENTIAL_NAME,
    subject: clientId,
    audiences: [TOKEN_EXCHANGE_AUDIENCE],
    identityBinding: true,
  };
}

function resolveVault(
  v: Input<VaultConfig>,
  i: number,
  defaultTenantId: string,
  defaultClientId: string,
  tenants: TenantConfig[],
): VaultConfig {
  const path = `vaults[${i}]`;
  const name = v.name ?? "quickstart-kv";
  if (!VAULT_NAME.test(name))
    throw new EmulatorConfigError(`${path}.name`, `"${name}" is not a valid vault name`);
  const tenantId = v.tenantId ?? defaultTenantId;
  requireTenant(tenantId, `${path}.tenantId`, tenants);
  const secrets = (v.secrets ?? { "my-secret": "Hello!" }) as Record<string, string>;
  for (const [secretName, value] of Object.entries(secrets)) {
    if (!SECRET_NAME.test(secretName))
      throw new EmulatorConfigError(`${path}.secrets`, `bad name "${secretName}"`);
    requireString(value, `${path}.secrets.${secretName}`);
  }
  return {
    name,
    tenantId,
    secrets: { ...secrets },
    readers: [...(v.readers ?? [defaultClientId])],
    port: requirePort(v.port ?? 0, `${path}.port`),
  };
}

function resolveGraph(g: Input<GraphConfig>): GraphConfig {
  const audience = g.audience ?? "https://graph.microsoft.com";
  requireOneOf(audience, GRAPH_AUDIENCES, "graph.audience");
  return { audience };
}

function resolveKeyVault(k: Input<KeyVaultSettings>): KeyVaultSettings {
  const invalidAudienceStyle = k.invalidAudienceStyle ?? "resource-or-app-id";
  requireOneOf(invalidAudienceStyle, INVALID_AUDIENCE_STYLES, "keyVault.invalidAudienceStyle");
  return { invalidAudienceStyle };
}

function resolvePorts(p: Input<PortsConfig>): PortsConfig {
  const ports = {
    issuer: p.issuer ?? 0,
    entra: p.entra ?? 0,
    graph: p.graph ?? 0,
    admin: p.admin ?? 0,
    proxy: p.proxy ?? 0,
  };
  for (const [k, port] of Object.entries(ports)) requirePort(port, `ports.${k}`);
  return ports;
}

function requireTenant(id: string, path: string, tenants: TenantConfig[]): void {
  if (!tenants.some((t) => t.id === id)) throw new EmulatorConfigError(path, `unknown tenant "${id}"`);
}

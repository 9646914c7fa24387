// The `identityBinding` section: AKS identity bindings (preview), emulated. Each fact the defaults rest on is
// cited in the README's "Identity bindings: evidence"; what AKS does not document is marked here as our choice.
import { createHash } from "node:crypto";
import { EmulatorConfigError, requireGuid, requirePort, requireString } from "./config-error.js";

/**
 * The audience of a pod's projected token when it uses an identity binding: the webhook's
 * `--custom-token-endpoint-audience` default (Azure/azure-workload-identity, branch feature/custom-token-endpoint,
 * cmd/webhook/main.go) and the audience Azure's CSI driver asks for (Azure/secrets-store-csi-driver-provider-azure,
 * pkg/auth/auth.go, IdentityBindingTokenAudience).
 */
export const IDENTITY_BINDING_AUDIENCE = "api://AKSIdentityBinding";

/** The federated credential AKS creates on a bound identity (MicrosoftDocs/azure-aks-docs, identity-bindings.md). */
export const IDENTITY_BINDING_CREDENTIAL_NAME = "aks-identity-binding";

/**
 * Stands for the AKS cluster's `resourceUid` in the default SNI name. A private-preview setup guide computes AKS's
 * SNI name as sha256("identity-binding" + resourceUid) + ".ests.aks"; the SDKs' tests use names of that form.
 */
const EMULATED_CLUSTER_UID = "workload-identity-emulator";

/** setTimeout's longest delay, in whole seconds. */
const MAX_ROTATION_SECONDS = 2_147_483;

/** A managed identity bound to this cluster: one `az aks identity-binding create`. */
export interface BoundIdentityConfig {
  clientId: string;
  /** The identity's tenant (the application's). */
  tenantId: string;
}

/**
 * Who may use which identity: a ClusterRole granting verb `use-managed-identity` on apiGroup `cid.wi.aks.azure.com`,
 * resource `<clientId>`, and the subjects of its ClusterRoleBinding, as Kubernetes names them: a service account
 * (`system:serviceaccount:<namespace>:<name>`), every service account of a namespace
 * (`system:serviceaccounts:<namespace>`), or every service account (`system:serviceaccounts`).
 */
export interface IdentityUseGrant {
  clientId: string;
  subjects: string[];
}

export interface IdentityBindingConfig {
  identities: BoundIdentityConfig[];
  allow: IdentityUseGrant[];
  /** The TLS server name of the token proxy, the only name its certificate is valid for. */
  sniName: string;
  /** Path prefix of the token proxy URL: "/" or "/a/b" (no trailing slash). */
  basePath: string;
  /** Scheduled CA rotation; null rotates only on demand. */
  caRotationSeconds: number | null;
  /** The token proxy's port (0: any free port). */
  port: number;
  /** The binding OIDC issuer's port (0: any free port). */
  issuerPort: number;
}

export interface IdentityBindingInput {
  identities?: { clientId?: string; tenantId?: string }[];
  allow?: { clientId?: string; subjects?: string[] }[];
  sniName?: string;
  basePath?: string;
  caRotationSeconds?: number | null;
  port?: number;
  issuerPort?: number;
}

/** What the section needs from the rest of the configuration. */
export interface IdentityBindingContext {
  /** The first application's client id: the identity bound when `identities` is omitted. */
  firstClientId: string;
  /** The pod's service account, allowed to use that identity when `allow` is omitted. */
  serviceAccount: { namespace: string; name: string };
  /** The applications, resolved, as `{clientId, tenantId}`. */
  applications: { clientId: string; tenantId: string }[];
}

/** The identities named by the section, before the applications are resolved (their credentials depend on it). */
export function boundIdentities(
  input: IdentityBindingInput,
  firstClientId: string,
): { clientId: string; tenantId?: string }[] {
  const identities = input.identities ?? [{ clientId: firstClientId }];
  if (!Array.isArray(identities) || identities.length === 0) {
    throw new EmulatorConfigError("identityBinding.identities", "must list at least one identity");
  }
  return identities.map((identity, i) => ({
    clientId: requireGuid(identity.clientId ?? firstClientId, `identityBinding.identities[${i}].clientId`),
    ...(identity.tenantId === undefined
      ? {}
      : { tenantId: requireGuid(identity.tenantId, `identityBinding.identities[${i}].tenantId`) }),
  }));
}

/** Whether an application (by client id and tenant) is one of the bound identities. */
export function isBound(
  bound: { clientId: string; tenantId?: string }[],
  clientId: string,
  tenantId: string,
): boolean {
  return bound.some(
    (b) =>
      b.clientId.toLowerCase() === clientId.toLowerCase() &&
      (b.tenantId === undefined || b.tenantId.toLowerCase() === tenantId.toLowerCase()),
  );
}

export function resolveIdentityBinding(
  input: IdentityBindingInput,
  context: IdentityBindingContext,
): IdentityBindingConfig {
  if (typeof input !== "object" || Array.isArray(input)) {
    throw new EmulatorConfigError(
      "identityBinding",
      "must be an object ({} turns the mode on with defaults)",
    );
  }
  const identities = boundIdentities(input, context.firstClientId).map((identity, i) => {
    const path = `identityBinding.identities[${i}]`;
    const matches = context.applications.filter(
      (a) =>
        a.clientId.toLowerCase() === identity.clientId.toLowerCase() &&
        (identity.tenantId === undefined || a.tenantId.toLowerCase() === identity.tenantId.toLowerCase()),
    );
    const [match] = matches;
    if (!match) {
      throw new EmulatorConfigError(path, `no application has client id "${identity.clientId}"`);
    }
    if (matches.length > 1) {
      throw new EmulatorConfigError(
        path,
        `client id "${identity.clientId}" is in several tenants: set tenantId`,
      );
    }
    return { clientId: match.clientId, tenantId: match.tenantId };
  });
  const first = identities[0] as BoundIdentityConfig;
  const { namespace, name } = context.serviceAccount;
  if (input.allow !== undefined && !Array.isArray(input.allow)) {
    throw new EmulatorConfigError("identityBinding.allow", "must be a list of {clientId, subjects}");
  }
  const allow = (
    input.allow ?? [{ clientId: first.clientId, subjects: [`system:serviceaccount:${namespace}:${name}`] }]
  ).map((grant, i) => ({
    clientId: requireGuid(grant.clientId, `identityBinding.allow[${i}].clientId`),
    subjects: requireSubjects(grant.subjects, `identityBinding.allow[${i}].subjects`),
  }));
  return {
    identities,
    allow,
    sniName: requireSniName(input.sniName ?? defaultSniName()),
    basePath: requireBasePath(input.basePath ?? "/"),
    caRotationSeconds: requireRotation(
      input.caRotationSeconds === undefined ? 86_400 : input.caRotationSeconds,
    ),
    port: requirePort(input.port ?? 0, "identityBinding.port"),
    issuerPort: requirePort(input.issuerPort ?? 0, "identityBinding.issuerPort"),
  };
}

/** The subject a Kubernetes service account token names, as `[namespace, name]`, or undefined. */
export function serviceAccountOf(subject: string): [string, string] | undefined {
  const match = /^system:serviceaccount:([^:]+):([^:]+)$/.exec(subject);
  return match?.[1] !== undefined && match[2] !== undefined ? [match[1], match[2]] : undefined;
}

/** Whether a grant's subjects cover this service account, as a ClusterRoleBinding's subjects would. */
export function grants(subjects: string[], namespace: string, name: string): boolean {
  return subjects.some(
    (s) =>
      s === `system:serviceaccount:${namespace}:${name}` ||
      s === `system:serviceaccounts:${namespace}` ||
      s === "system:serviceaccounts",
  );
}

function defaultSniName(): string {
  const digest = createHash("sha256").update(`identity-binding${EMULATED_CLUSTER_UID}`).digest("hex");
  return `${digest}.ests.aks`;
}

/**
 * A DNS label, up to 64 characters: AKS's names start with a 64-digit SHA-256 hex label (the SDKs' tests use such
 * names), one past RFC 1035's 63, which TLS stacks accept as a server name.
 */
const DNS_LABEL = /^[a-z0-9]([a-z0-9-]{0,62}[a-z0-9])?$/;

function requireSniName(value: unknown): string {
  const path = "identityBinding.sniName";
  const name = requireString(value, path);
  const labels = name.split(".");
  if (name.length > 253 || labels.length < 2 || !labels.every((l) => DNS_LABEL.test(l))) {
    throw new EmulatorConfigError(path, `"${name}" is not a lower-case DNS name of two labels or more`);
  }
  // TLS carries no IP address as a server name (RFC 6066, section 3).
  if (labels.every((l) => /^\d+$/.test(l))) {
    throw new EmulatorConfigError(path, `"${name}" is an IP address; a server name must be a DNS name`);
  }
  return name;
}

function requireBasePath(value: unknown): string {
  const path = "identityBinding.basePath";
  const base = requireString(value, path);
  if (!base.startsWith("/") || /[?#\s]/.test(base) || base.includes("//")) {
    throw new EmulatorConfigError(
      path,
      `"${base}" must start with "/" and hold no "//", query, fragment or space`,
    );
  }
  try {
    decodeURIComponent(base);
  } catch {
    throw new EmulatorConfigError(path, `"${base}" holds a malformed percent-encoding`);
  }
  return base.length > 1 && base.endsWith("/") ? base.slice(0, -1) : base;
}

function requireRotation(value: unknown): number | null {
  if (value === null) return null;
  if (!(typeof value === "number" && value > 0 && value <= MAX_ROTATION_SECONDS)) {
    throw new EmulatorConfigError(
      "identityBinding.caRotationSeconds",
      `must be null (rotate on demand only) or seconds above 0 and at most ${MAX_ROTATION_SECONDS}`,
    );
  }
  return value;
}

const NAME = "[a-z0-9]([-a-z0-9.]*[a-z0-9])?";
const SUBJECT = new RegExp(
  `^(system:serviceaccount:${NAME}:${NAME}|system:serviceaccounts:${NAME}|system:serviceaccounts)$`,
);

function requireSubjects(value: unknown, path: string): string[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw new EmulatorConfigError(path, "must list at least one subject");
  }
  return value.map((subject: unknown, j) => {
    if (typeof subject !== "string" || !SUBJECT.test(subject)) {
      throw new EmulatorConfigError(
        `${path}[${j}]`,
        `${JSON.stringify(subject)} is not system:serviceaccount:<namespace>:<name>, system:serviceaccounts:<namespace> or system:serviceaccounts`,
      );
    }
    return subject;
  });
}

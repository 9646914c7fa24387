// Every Kubernetes manifest in the repository, found by walking it: each object valid against the API's OpenAPI
// schema (kubernetes-models), and each pod within the "restricted" Pod Security Standard, with no Kubernetes API
// token and with resource requests and a memory limit. The sidecar's iptables container is the one exemption.
// An AKS identity-binding pod also comes with what AKS's documentation asks for: the label and the annotation, and
// the ClusterRole and ClusterRoleBinding that let its service account use the identity.
import { readdirSync, readFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { Deployment } from "kubernetes-models/apps/v1/Deployment";
import { Job } from "kubernetes-models/batch/v1/Job";
import { ClusterRole } from "kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRole";
import { ClusterRoleBinding } from "kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding";
import { Pod } from "kubernetes-models/v1/Pod";
import type { IPodSpec } from "kubernetes-models/v1/PodSpec";
import type { IPodTemplateSpec } from "kubernetes-models/v1/PodTemplateSpec";
import { Service } from "kubernetes-models/v1/Service";
import { ServiceAccount } from "kubernetes-models/v1/ServiceAccount";
import { parseAllDocuments } from "yaml";
import { REPO_ROOT } from "./support/samples.js";

type Container = IPodSpec["containers"][number];

const SIDECAR = "packages/imds-proxy/deploy/sidecar-pod.yaml";
const KEYVAULT_IDENTITY_BINDING = "samples/keyvault-quickstart/deploy/kubernetes-identity-binding.yaml";

/**
 * The containers let off the restricted profile's user and capability rules (runAsNonRoot, runAsUser 0,
 * capabilities.add), by file and name, each with its own test below. Keep this list this short.
 */
const EXEMPT = [{ file: SIDECAR, container: "imds-redirect" }] as const;

// test-fixtures holds manifests written to be wrong (packages/cli/test-fixtures/check, for `workload-identity
// check`): they are inputs to a test, not manifests of the repository.
const SKIPPED_DIRECTORIES = new Set(["node_modules", ".git", ".turbo", "dist", "coverage", "test-fixtures"]);

/** Every YAML file in the repository (repository-relative, with "/"), each taken for a Kubernetes manifest. */
function findManifests(dir = REPO_ROOT): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return SKIPPED_DIRECTORIES.has(entry.name) ? [] : findManifests(path);
    return /\.ya?ml$/.test(entry.name) ? [relative(REPO_ROOT, path).split(sep).join("/")] : [];
  });
}

interface ManifestObject {
  /** "file: Kind name", for test names. */
  label: string;
  file: string;
  doc: Record<string, unknown>;
}

function readObjects(file: string): ManifestObject[] {
  return parseAllDocuments(readFileSync(join(REPO_ROOT, file), "utf8")).map((document, index) => {
    const problems = [...document.errors, ...document.warnings];
    if (problems.length > 0) throw new Error(`${file}, document ${index + 1}: ${problems[0]?.message}`);
    const doc: unknown = document.toJS();
    if (typeof doc !== "object" || doc === null || Array.isArray(doc)) {
      throw new Error(`${file}, document ${index + 1}: not a Kubernetes object`);
    }
    const record = doc as Record<string, unknown>;
    const name = (record.metadata as { name?: unknown } | undefined)?.name;
    return { label: `${file}: ${String(record.kind)} ${String(name)}`, file, doc: record };
  });
}

interface Kind {
  /** Throws when the object does not match the API's schema. */
  validate(doc: object): void;
  /** The pod, or the template of the pods, that objects of this kind make (null for kinds that make none). */
  podOf: ((doc: object) => IPodTemplateSpec | undefined) | null;
}

function kind<T>(
  Model: new (data?: T) => { validate(): void },
  podOf: ((object: T) => IPodTemplateSpec | undefined) | null,
): Kind {
  return {
    validate: (doc) => {
      new Model(doc as T).validate();
    },
    podOf: podOf && ((doc) => podOf(doc as T)),
  };
}

/**
 * The kinds the manifests hold, by "apiVersion kind". Another kind fails its test until it is added here, with
 * where its pods are described.
 */
const KINDS: Record<string, Kind> = {
  "v1 ServiceAccount": kind(ServiceAccount, null),
  "v1 Service": kind(Service, null),
  "v1 Pod": kind(Pod, (pod) => pod),
  "apps/v1 Deployment": kind(Deployment, (deployment) => deployment.spec?.template),
  "batch/v1 Job": kind(Job, (job) => job.spec?.template),
  "rbac.authorization.k8s.io/v1 ClusterRole": kind(ClusterRole, null),
  "rbac.authorization.k8s.io/v1 ClusterRoleBinding": kind(ClusterRoleBinding, null),
};

const kindOf = ({ doc }: ManifestObject): Kind | undefined =>
  KINDS[`${String(doc.apiVersion)} ${String(doc.kind)}`];

interface PodUnderTest {
  label: string;
  file: string;
  /** The object's namespace (a template's pods are made in its owner's). */
  namespace: string | undefined;
  spec: IPodSpec;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

function podsOf(object: ManifestObject): PodUnderTest[] {
  const podOf = kindOf(object)?.podOf;
  if (!podOf) return []; // an unknown kind fails its schema test
  const pod = podOf(object.doc);
  if (pod?.spec === undefined) throw new Error(`${object.label}: no pod spec`);
  const namespace = (object.doc.metadata as { namespace?: string } | undefined)?.namespace;
  return [
    {
      label: object.label,
      file: object.file,
      namespace,
      spec: pod.spec,
      labels: pod.metadata?.labels ?? {},
      annotations: pod.metadata?.annotations ?? {},
    },
  ];
}

const MANIFESTS = findManifests();
const OBJECTS = MANIFESTS.flatMap(readObjects);
const SERVICE_ACCOUNTS = OBJECTS.filter(({ doc }) => doc.kind === "ServiceAccount");
const PODS = OBJECTS.flatMap(podsOf);

function containersOf(spec: IPodSpec): Container[] {
  // Ephemeral containers cannot be part of a created pod (only of the ephemeralcontainers subresource).
  return [...(spec.initContainers ?? []), ...spec.containers];
}

function isExempt(file: string, container: Container): boolean {
  return EXEMPT.some((e) => e.file === file && e.container === container.name);
}

// The restricted profile (with baseline's controls under it), per https://kubernetes.io/docs/concepts/security/pod-security-standards/.
const RESTRICTED_VOLUME_TYPES = new Set([
  "configMap",
  "csi",
  "downwardAPI",
  "emptyDir",
  "ephemeral",
  "persistentVolumeClaim",
  "projected",
  "secret",
]);
const SELINUX_TYPES = new Set(["container_t", "container_init_t", "container_kvm_t", "container_engine_t"]);
const SECCOMP_TYPES = new Set(["RuntimeDefault", "Localhost"]);
const APPARMOR_ANNOTATION = "container.apparmor.security.beta.kubernetes.io/";

interface SeLinux {
  type?: string;
  user?: string;
  role?: string;
}

function seLinuxViolation(where: string, options: SeLinux | undefined): string[] {
  if (options === undefined) return [];
  const bad =
    options.user !== undefined ||
    options.role !== undefined ||
    (options.type !== undefined && options.type !== "" && !SELINUX_TYPES.has(options.type));
  return bad ? [`${where}: seLinuxOptions ${JSON.stringify(options)}`] : [];
}

/** What breaks the restricted profile in a pod spec (and its template's annotations), as readable lines. */
function restrictedViolations({ file, spec, annotations }: PodUnderTest): string[] {
  const pod = spec.securityContext ?? {};
  const found: string[] = [];
  for (const field of ["hostNetwork", "hostPID", "hostIPC"] as const) {
    if (spec[field] === true) found.push(`pod: ${field}`);
  }
  if (pod.windowsOptions?.hostProcess === true) found.push("pod: windowsOptions.hostProcess");
  if (pod.runAsUser === 0) found.push("pod: runAsUser 0");
  if (pod.runAsNonRoot === false) found.push("pod: runAsNonRoot false");
  if ((pod.sysctls ?? []).length > 0) found.push("pod: sysctls (none are needed, so none are allowed)");
  if (pod.appArmorProfile?.type === "Unconfined") found.push("pod: appArmorProfile Unconfined");
  found.push(...seLinuxViolation("pod", pod.seLinuxOptions));
  for (const [key, value] of Object.entries(annotations)) {
    if (
      key.startsWith(APPARMOR_ANNOTATION) &&
      value !== "runtime/default" &&
      !value.startsWith("localhost/")
    ) {
      found.push(`pod: annotation ${key}: ${value}`);
    }
  }
  for (const volume of spec.volumes ?? []) {
    const types = Object.keys(volume).filter((key) => key !== "name");
    if (!types.every((type) => RESTRICTED_VOLUME_TYPES.has(type))) {
      found.push(`volume ${volume.name}: ${types.join(", ")}`);
    }
  }
  for (const container of containersOf(spec)) {
    const where = `container ${container.name}`;
    const own = container.securityContext ?? {};
    const exempt = isExempt(file, container);
    if (own.privileged === true) found.push(`${where}: privileged`);
    if (own.windowsOptions?.hostProcess === true) found.push(`${where}: windowsOptions.hostProcess`);
    if (own.procMount !== undefined && own.procMount !== "Default") found.push(`${where}: procMount`);
    if (own.appArmorProfile?.type === "Unconfined") found.push(`${where}: appArmorProfile Unconfined`);
    found.push(...seLinuxViolation(where, own.seLinuxOptions));
    for (const port of container.ports ?? []) {
      if ((port.hostPort ?? 0) !== 0) found.push(`${where}: hostPort ${port.hostPort}`);
    }
    if (own.allowPrivilegeEscalation !== false) found.push(`${where}: allowPrivilegeEscalation is not false`);
    if (!(own.capabilities?.drop ?? []).includes("ALL")) found.push(`${where}: capabilities.drop lacks ALL`);
    const seccomp = own.seccompProfile?.type ?? pod.seccompProfile?.type;
    if (seccomp === undefined || !SECCOMP_TYPES.has(seccomp)) {
      found.push(`${where}: seccompProfile ${seccomp ?? "unset"}`);
    }
    if (exempt) continue;
    const added = (own.capabilities?.add ?? []).filter((capability) => capability !== "NET_BIND_SERVICE");
    if (added.length > 0) found.push(`${where}: capabilities.add ${added.join(", ")}`);
    if ((own.runAsNonRoot ?? pod.runAsNonRoot) !== true) found.push(`${where}: runAsNonRoot is not true`);
    if (own.runAsUser === 0) found.push(`${where}: runAsUser 0`);
  }
  return found;
}

const MEMORY_SUFFIXES: Record<string, number> = {
  "": 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
};

/** A memory quantity in bytes, for the suffixes a manifest would use. */
function bytes(quantity: string | number): number {
  const [, number, suffix = ""] = /^(\d+(?:\.\d+)?)([A-Za-z]*)$/.exec(String(quantity)) ?? [];
  const factor = MEMORY_SUFFIXES[suffix];
  if (number === undefined || factor === undefined) {
    throw new Error(`memory quantity ${quantity}: unknown form`);
  }
  return Number(number) * factor;
}

/** Our own rules beside the profile: no Kubernetes API token, and requests plus a memory limit everywhere. */
function ownRuleViolations(spec: IPodSpec): string[] {
  const found: string[] = [];
  if (spec.automountServiceAccountToken !== false) {
    found.push("pod: automountServiceAccountToken is not false");
  }
  for (const container of containersOf(spec)) {
    const where = `container ${container.name}`;
    const { requests = {}, limits = {} } = container.resources ?? {};
    for (const resource of ["cpu", "memory"]) {
      if (requests[resource] === undefined) found.push(`${where}: no ${resource} request`);
    }
    const memoryRequest = requests.memory;
    const memoryLimit = limits.memory;
    if (memoryLimit === undefined) found.push(`${where}: no memory limit`);
    else if (memoryRequest !== undefined && bytes(memoryRequest) > bytes(memoryLimit)) {
      found.push(`${where}: memory request ${memoryRequest} above its limit ${memoryLimit}`);
    }
  }
  return found;
}

// AKS identity bindings (https://learn.microsoft.com/azure/aks/identity-bindings; MicrosoftDocs/azure-aks-docs
// articles/aks/identity-bindings.md): the webhook (v1.6.0-alpha.1+) reads the label and this annotation on the pod,
// and the token proxy lets a service account use a managed identity only when RBAC allows it this verb on this
// API group, resource = the identity's client id.
const USE_LABEL = "azure.workload.identity/use";
const USE_IDENTITY_BINDING = "azure.workload.identity/use-identity-binding";
const CLIENT_ID_ANNOTATION = "azure.workload.identity/client-id";
const USE_MANAGED_IDENTITY = { verb: "use-managed-identity", apiGroup: "cid.wi.aks.azure.com" };
const RBAC_GROUP = "rbac.authorization.k8s.io";

interface PolicyRule {
  verbs?: string[];
  apiGroups?: string[];
  resources?: string[];
}
interface RoleBinding {
  roleRef?: { apiGroup?: string; kind?: string; name?: string };
  subjects?: { kind?: string; name?: string; namespace?: string }[];
}

function metadataOf(doc: Record<string, unknown>): {
  name?: string;
  namespace?: string;
  annotations?: Record<string, string>;
} {
  return (doc.metadata as ReturnType<typeof metadataOf> | undefined) ?? {};
}

function allows(rule: PolicyRule, clientId: string): boolean {
  return (
    (rule.verbs ?? []).includes(USE_MANAGED_IDENTITY.verb) &&
    (rule.apiGroups ?? []).includes(USE_MANAGED_IDENTITY.apiGroup) &&
    (rule.resources ?? []).includes(clientId)
  );
}

/**
 * What an identity-binding pod lacks, as readable lines: the label and the annotation where the webhook looks
 * for them, a service account in the same file with a client id, a ClusterRole in the same file allowing
 * use-managed-identity on exactly that client id, and a ClusterRoleBinding of that role to that account.
 */
function identityBindingViolations(pod: PodUnderTest, objects: ManifestObject[]): string[] {
  const found: string[] = [];
  if (pod.labels[USE_LABEL] !== "true") found.push(`pod: no label ${USE_LABEL}: "true"`);
  if (pod.annotations[USE_IDENTITY_BINDING] !== "true") {
    found.push(`pod: no annotation ${USE_IDENTITY_BINDING}: "true"`);
  }
  if (pod.labels[USE_IDENTITY_BINDING] !== undefined) {
    found.push(`pod: ${USE_IDENTITY_BINDING} is a label; the webhook reads it as an annotation`);
  }
  const inFile = objects.filter((o) => o.file === pod.file).map((o) => o.doc);
  const accountName = pod.spec.serviceAccountName;
  const namespace = pod.namespace ?? "default";
  const account = inFile.find(
    (doc) =>
      doc.kind === "ServiceAccount" &&
      metadataOf(doc).name === accountName &&
      (metadataOf(doc).namespace ?? "default") === namespace,
  );
  const clientId = account && metadataOf(account).annotations?.[CLIENT_ID_ANNOTATION];
  if (clientId === undefined) {
    found.push(
      `no ServiceAccount ${String(accountName)} in ${namespace} with the ${CLIENT_ID_ANNOTATION} annotation`,
    );
    return found;
  }
  const roles = inFile
    .filter((doc) => doc.kind === "ClusterRole")
    .filter((doc) => ((doc.rules as PolicyRule[] | undefined) ?? []).some((rule) => allows(rule, clientId)))
    .map((doc) => metadataOf(doc).name);
  if (roles.length === 0) {
    found.push(
      `no ClusterRole allowing ${USE_MANAGED_IDENTITY.verb} on ${USE_MANAGED_IDENTITY.apiGroup}, resource ${clientId}`,
    );
    return found;
  }
  const bound = inFile
    .filter((doc) => doc.kind === "ClusterRoleBinding")
    .map((doc) => doc as RoleBinding)
    .some(
      ({ roleRef, subjects }) =>
        roleRef?.apiGroup === RBAC_GROUP &&
        roleRef.kind === "ClusterRole" &&
        roles.includes(roleRef.name) &&
        (subjects ?? []).some(
          (subject) =>
            subject.kind === "ServiceAccount" &&
            subject.name === accountName &&
            subject.namespace === namespace,
        ),
    );
  if (!bound) {
    found.push(
      `no ClusterRoleBinding of ${roles.join(", ")} to ServiceAccount ${namespace}/${String(accountName)}`,
    );
  }
  return found;
}

const IDENTITY_BINDING_PODS = PODS.filter(
  (pod) =>
    pod.annotations[USE_IDENTITY_BINDING] !== undefined || pod.labels[USE_IDENTITY_BINDING] !== undefined,
);

function sidecarContainer(name: string): Container {
  const pod = PODS.find((p) => p.file === SIDECAR);
  const container = pod && containersOf(pod.spec).find((c) => c.name === name);
  if (container === undefined) throw new Error(`${SIDECAR}: no container ${name}`);
  return container;
}

describe("Kubernetes manifests", () => {
  it("are found by walking the repository: the samples', the doctor Job's and the IMDS sidecar's", () => {
    expect(MANIFESTS.length).toBeGreaterThan(0);
    expect(MANIFESTS).toEqual(
      expect.arrayContaining([
        "samples/keyvault-quickstart/deploy/kubernetes.yaml",
        KEYVAULT_IDENTITY_BINDING,
        "samples/graph-tenant-reader/deploy/kubernetes.yaml",
        "packages/cli/deploy/doctor-job.yaml",
        SIDECAR,
      ]),
    );
    // A Pod, a Job's template and a Deployment's template: each kind's pods are found.
    expect(PODS.map((p) => p.label)).toEqual(
      expect.arrayContaining([
        "packages/cli/deploy/doctor-job.yaml: Job workload-identity-doctor",
        `${SIDECAR}: Pod legacy-app`,
        "samples/graph-tenant-reader/deploy/kubernetes.yaml: Deployment graph-tenant-reader",
        "samples/keyvault-quickstart/deploy/kubernetes.yaml: Pod keyvault-quickstart",
        `${KEYVAULT_IDENTITY_BINDING}: Pod keyvault-quickstart`,
      ]),
    );
    expect(IDENTITY_BINDING_PODS.map((p) => p.label)).toEqual([
      `${KEYVAULT_IDENTITY_BINDING}: Pod keyvault-quickstart`,
    ]);
  });

  it.each(OBJECTS.map((o) => [o.label, o] as const))(
    "%s is a known kind and valid against the Kubernetes API schema",
    (_label, object) => {
      const known = kindOf(object);
      if (known === undefined) {
        throw new Error(
          `apiVersion ${String(object.doc.apiVersion)} kind ${String(object.doc.kind)} is not in KINDS`,
        );
      }
      expect(() => {
        known.validate(object.doc);
      }).not.toThrow();
    },
  );

  it.each(PODS.map((p) => [p.label, p] as const))(
    "%s meets the restricted Pod Security Standard (but for the exempt containers' user and capabilities)",
    (_label, pod) => {
      expect(restrictedViolations(pod)).toEqual([]);
    },
  );

  it.each(PODS.map((p) => [p.label, p] as const))(
    "%s mounts no Kubernetes API token, and every container has cpu and memory requests and a memory limit",
    (_label, pod) => {
      expect(ownRuleViolations(pod.spec)).toEqual([]);
    },
  );

  it.each(SERVICE_ACCOUNTS.map((o) => [o.label, o] as const))(
    "%s does not mount a Kubernetes API token into its pods by default",
    (_label, { doc }) => {
      expect(doc.automountServiceAccountToken).toBe(false);
    },
  );

  it.each(IDENTITY_BINDING_PODS.map((p) => [p.label, p] as const))(
    "%s is an identity-binding pod: label and annotation, and RBAC letting its service account use its client id",
    (_label, pod) => {
      expect(identityBindingViolations(pod, OBJECTS)).toEqual([]);
    },
  );

  it("the identity-binding Key Vault manifest differs from the ordinary one only by the binding", () => {
    // Same service account, pod and container, so the same image serves both kinds of cluster.
    const ordinary = readObjects("samples/keyvault-quickstart/deploy/kubernetes.yaml");
    const binding = readObjects(KEYVAULT_IDENTITY_BINDING);
    const kinds = (objects: ManifestObject[]) => objects.map(({ doc }) => String(doc.kind));
    expect(kinds(binding).sort()).toEqual([...kinds(ordinary), "ClusterRole", "ClusterRoleBinding"].sort());
    const podOf = (objects: ManifestObject[]) => objects.find(({ doc }) => doc.kind === "Pod")?.doc;
    const withoutAnnotations = (pod: Record<string, unknown> | undefined) => ({
      ...pod,
      metadata: { ...(pod?.metadata as object), annotations: undefined },
    });
    expect(withoutAnnotations(podOf(binding))).toEqual(withoutAnnotations(podOf(ordinary)));
    const accountOf = (objects: ManifestObject[]) =>
      objects.find(({ doc }) => doc.kind === "ServiceAccount")?.doc;
    expect(accountOf(binding)).toEqual(accountOf(ordinary));
  });

  it("the exemption is the sidecar's iptables container alone: root, exactly NET_ADMIN and NET_RAW, drops ALL, no escalation", () => {
    expect(EXEMPT).toEqual([{ file: SIDECAR, container: "imds-redirect" }]);
    const pod = PODS.find((p) => p.file === SIDECAR);
    expect(pod?.spec.initContainers?.map((c) => c.name)).toContain("imds-redirect");
    const { securityContext } = sidecarContainer("imds-redirect");
    expect(securityContext?.runAsUser).toBe(0);
    expect(securityContext?.runAsNonRoot).toBe(false);
    expect(securityContext?.privileged).not.toBe(true);
    expect(securityContext?.allowPrivilegeEscalation).toBe(false);
    expect([...(securityContext?.capabilities?.add ?? [])].sort()).toEqual(["NET_ADMIN", "NET_RAW"]);
    expect(securityContext?.capabilities?.drop).toEqual(["ALL"]);
  });

  it("the sidecar's iptables rules send all IMDS traffic to the proxy's port and exempt no user", () => {
    const init = sidecarContainer("imds-redirect");
    const script = [...(init.command ?? []), ...(init.args ?? [])].join(" ");
    const rules = script
      .split(/;|\n|&&/)
      .map((command) => command.trim())
      .filter((command) => /^iptables\b.* -[AI] /.test(command));
    for (const rule of rules) {
      expect(rule).not.toMatch(/--(uid|gid)-owner|-m owner|-j (RETURN|ACCEPT)\b/);
    }
    const proxy = sidecarContainer("imds-proxy");
    const args = proxy.args ?? [];
    const port = args[args.indexOf("--proxy-port") + 1];
    expect(port).toMatch(/^\d+$/);
    expect(rules).toEqual([
      `iptables -t nat -A OUTPUT -p tcp -d 169.254.169.254 --dport 80 -j REDIRECT --to-port ${port}`,
    ]);
    expect(proxy.lifecycle?.postStart?.exec?.command).toContain(`--proxy-port=${port}`);
  });

  it("the imds-proxy README shows sidecar-pod.yaml as it is", () => {
    const readme = readFileSync(join(REPO_ROOT, "packages/imds-proxy/README.md"), "utf8");
    const blocks = [...readme.matchAll(/^```yaml\n([\s\S]*?)^```$/gm)].map((m) => m[1]);
    expect(blocks).toContain(readFileSync(join(REPO_ROOT, SIDECAR), "utf8"));
  });
});

describe("the manifest checks themselves", () => {
  it("schema validation refuses a pod with a mistyped field and an unknown kind is not in KINDS", () => {
    const pod = {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "p" },
      spec: { containers: [{ name: "c", image: "i", securityContext: { runAsUser: "root" } }] },
    };
    expect(() => {
      KINDS["v1 Pod"]?.validate(pod);
    }).toThrow(/runAsUser must be integer/);
    expect(
      kindOf({ label: "x", file: "x", doc: { apiVersion: "apps/v1", kind: "DaemonSet" } }),
    ).toBeUndefined();
  });

  it("the restricted check names every control a pod breaks, and exempts imds-redirect in the sidecar manifest only", () => {
    const spec: IPodSpec = {
      hostNetwork: true,
      hostPID: true,
      hostIPC: true,
      securityContext: {
        runAsUser: 0,
        runAsNonRoot: false,
        sysctls: [{ name: "net.core.somaxconn", value: "1024" }],
      },
      volumes: [{ name: "host", hostPath: { path: "/" } }],
      initContainers: [
        {
          name: "imds-redirect",
          securityContext: {
            runAsUser: 0,
            allowPrivilegeEscalation: false,
            capabilities: { add: ["NET_ADMIN"], drop: ["ALL"] },
            seccompProfile: { type: "RuntimeDefault" },
          },
        },
      ],
      containers: [
        {
          name: "app",
          ports: [{ containerPort: 80, hostPort: 80 }],
          securityContext: {
            privileged: true,
            procMount: "Unmasked",
            seLinuxOptions: { user: "system_u" },
            capabilities: { add: ["SYS_ADMIN", "NET_BIND_SERVICE"] },
            seccompProfile: { type: "Unconfined" },
          },
        },
      ],
    };
    const annotations = { "container.apparmor.security.beta.kubernetes.io/app": "unconfined" };
    const elsewhere = {
      label: "x",
      file: "elsewhere.yaml",
      namespace: undefined,
      spec,
      labels: {},
      annotations,
    };
    const violations = [
      "pod: hostNetwork",
      "pod: hostPID",
      "pod: hostIPC",
      "pod: runAsUser 0",
      "pod: runAsNonRoot false",
      "pod: sysctls (none are needed, so none are allowed)",
      "pod: annotation container.apparmor.security.beta.kubernetes.io/app: unconfined",
      "volume host: hostPath",
      "container app: privileged",
      "container app: procMount",
      'container app: seLinuxOptions {"user":"system_u"}',
      "container app: hostPort 80",
      "container app: allowPrivilegeEscalation is not false",
      "container app: capabilities.drop lacks ALL",
      "container app: seccompProfile Unconfined",
      "container app: capabilities.add SYS_ADMIN",
      "container app: runAsNonRoot is not true",
    ];
    const imdsRedirect = [
      "container imds-redirect: capabilities.add NET_ADMIN",
      "container imds-redirect: runAsNonRoot is not true",
      "container imds-redirect: runAsUser 0",
    ];
    expect(restrictedViolations(elsewhere).sort()).toEqual([...violations, ...imdsRedirect].sort());
    expect(restrictedViolations({ ...elsewhere, file: SIDECAR }).sort()).toEqual([...violations].sort());
  });

  it("the identity-binding check names a missing annotation, a label in its place, a wrong grant and a wrong subject", () => {
    const file = "binding.yaml";
    const account = {
      kind: "ServiceAccount",
      metadata: { name: "sa", namespace: "apps", annotations: { [CLIENT_ID_ANNOTATION]: "id-1" } },
    };
    const role = (resources: string[], verbs = ["use-managed-identity"]) => ({
      kind: "ClusterRole",
      metadata: { name: "use-mi" },
      rules: [{ verbs, apiGroups: ["cid.wi.aks.azure.com"], resources }],
    });
    const binding = (subject: Record<string, string>) => ({
      kind: "ClusterRoleBinding",
      metadata: { name: "use-mi" },
      roleRef: { apiGroup: RBAC_GROUP, kind: "ClusterRole", name: "use-mi" },
      subjects: [subject],
    });
    const objects = (...docs: Record<string, unknown>[]) => docs.map((doc) => ({ label: "x", file, doc }));
    const pod: PodUnderTest = {
      label: "x",
      file,
      namespace: "apps",
      spec: { serviceAccountName: "sa", containers: [] },
      labels: { [USE_LABEL]: "true" },
      annotations: { [USE_IDENTITY_BINDING]: "true" },
    };
    const subject = { kind: "ServiceAccount", name: "sa", namespace: "apps" };
    expect(identityBindingViolations(pod, objects(account, role(["id-1"]), binding(subject)))).toEqual([]);

    const asLabel = { ...pod, labels: { [USE_IDENTITY_BINDING]: "true" }, annotations: {} };
    expect(identityBindingViolations(asLabel, objects(account, role(["id-1"]), binding(subject)))).toEqual([
      `pod: no label ${USE_LABEL}: "true"`,
      `pod: no annotation ${USE_IDENTITY_BINDING}: "true"`,
      `pod: ${USE_IDENTITY_BINDING} is a label; the webhook reads it as an annotation`,
    ]);
    for (const wrong of [role(["id-2"]), role(["id-1"], ["get"])]) {
      expect(identityBindingViolations(pod, objects(account, wrong, binding(subject)))).toEqual([
        "no ClusterRole allowing use-managed-identity on cid.wi.aks.azure.com, resource id-1",
      ]);
    }
    expect(
      identityBindingViolations(
        pod,
        objects(account, role(["id-1"]), binding({ ...subject, namespace: "default" })),
      ),
    ).toEqual(["no ClusterRoleBinding of use-mi to ServiceAccount apps/sa"]);
    expect(identityBindingViolations(pod, objects(role(["id-1"]), binding(subject)))).toEqual([
      `no ServiceAccount sa in apps with the ${CLIENT_ID_ANNOTATION} annotation`,
    ]);
  });

  it("schema validation refuses a ClusterRoleBinding without its roleRef", () => {
    const binding = {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRoleBinding",
      metadata: { name: "b" },
      subjects: [{ kind: "ServiceAccount", name: "sa", namespace: "default" }],
    };
    expect(() => {
      KINDS["rbac.authorization.k8s.io/v1 ClusterRoleBinding"]?.validate(binding);
    }).toThrow(/roleRef/);
  });

  it("the own-rules check names a mounted API token, a missing request or limit, and a request above its limit", () => {
    const spec: IPodSpec = {
      containers: [
        { name: "bare" },
        {
          name: "inverted",
          resources: { requests: { cpu: "10m", memory: "1Gi" }, limits: { memory: "512Mi" } },
        },
      ],
    };
    expect(ownRuleViolations(spec)).toEqual([
      "pod: automountServiceAccountToken is not false",
      "container bare: no cpu request",
      "container bare: no memory request",
      "container bare: no memory limit",
      "container inverted: memory request 1Gi above its limit 512Mi",
    ]);
  });
});

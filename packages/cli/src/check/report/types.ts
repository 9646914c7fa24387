// The check's report: per workload, one line per finding, in the order the webhook and Entra meet them.

/** `info` states a fact that needs no fix (the federated credential to create); it fails nothing. */
export type FindingStatus = "pass" | "info" | "warn" | "fail" | "skip";

export type FindingId =
  | "webhook"
  | "service-account"
  | "identity-binding"
  | "token"
  | "proxy-sidecar"
  | "container"
  | "federated-credential";

/** Stable codes, one per thing that can be wrong, for CI and for `--json` readers to switch on. */
export const FINDING_CODES = [
  // The label the webhook selects pods by.
  "ERR_USE_LABEL_MISSING",
  "ERR_USE_LABEL_ON_WORKLOAD",
  "ERR_USE_LABEL_ON_SERVICE_ACCOUNT",
  "ERR_USE_LABEL_AS_ANNOTATION",
  "ERR_USE_LABEL_VALUE",
  "ERR_NOT_A_STRING",
  "WARN_KUBE_SYSTEM",
  // The service account and what the webhook reads from it.
  "ERR_NO_CLIENT_ID",
  "ERR_EMPTY_TENANT_ID",
  "WARN_CLIENT_ID_NOT_GUID",
  "WARN_SERVICE_ACCOUNT_NOT_IN_INPUT",
  "WARN_POD_ANNOTATION_IGNORED",
  // The projected token.
  "ERR_TOKEN_EXPIRATION",
  "WARN_SKIP_CONTAINERS_UNKNOWN",
  "WARN_NO_CONTAINER_INJECTED",
  "WARN_OWN_TOKEN_VOLUME",
  // Each container.
  "ERR_ENV_CONFLICT",
  "WARN_ENV_SET_BY_CONTAINER",
  "ERR_TOKEN_SUBPATH",
  "ERR_MOUNT_PATH_TAKEN",
  "ERR_TOKEN_MOUNT_MOVED",
  // The IMDS proxy sidecar.
  "WARN_PROXY_ANNOTATION_VALUE",
  "ERR_PROXY_HOST_NETWORK",
  "ERR_PROXY_PORT",
  "ERR_PROXY_PORT_IN_USE",
  "ERR_PROXY_POD_SECURITY",
  // AKS identity bindings.
  "ERR_IDENTITY_BINDING_UNSUPPORTED",
  "ERR_IDENTITY_BINDING_AS_LABEL",
  "WARN_IDENTITY_BINDING_VALUE",
  "ERR_IDENTITY_BINDING_RBAC",
  "ERR_IDENTITY_BINDING_CREDENTIAL",
  // The federated identity credential, as Entra will judge it.
  "ERR_FEDERATED_CREDENTIAL_MISMATCH",
  "ERR_NO_FEDERATED_CREDENTIALS",
  "WARN_ISSUER_NOT_CHECKED",
  "WARN_FEDERATED_CREDENTIAL_LIMIT",
] as const;

export type FindingCode = (typeof FINDING_CODES)[number];

export interface Finding {
  id: FindingId;
  /** The container a `container` finding is about. */
  container?: string;
  /** That container is an init container (which the webhook mutates too). */
  init?: boolean;
  status: FindingStatus;
  /** What the check saw, on one line. */
  message: string;
  /** What to change, on one line, when the finding failed or warned. */
  fix?: string;
  code?: FindingCode;
  /** The line of the manifest it is about (the object's first line when nothing more precise applies). */
  line: number;
  /** Machine-readable facts: the expected credential, the AADSTS codes, the closest credential... */
  details?: Record<string, unknown>;
}

/** `not-using`: nothing in the pod or its service account asks for Workload Identity; nothing was checked. */
export type WorkloadVerdict = "pass" | "warn" | "fail" | "not-using";

export interface WorkloadReport {
  /** The file as given or found, or "(stdin)". */
  source: string;
  /** The path for CI annotations; absent for stdin. */
  file?: string;
  line: number;
  kind: string;
  namespace: string;
  name: string;
  serviceAccount: string;
  verdict: WorkloadVerdict;
  findings: Finding[];
}

export interface CheckReport {
  /** No workload fails (warnings allowed). */
  ok: boolean;
  /** The webhook release whose behaviour the findings reproduce. */
  webhook: { version: string; commit: string };
  summary: Record<WorkloadVerdict, number> & {
    workloads: number;
    /** Objects that are not workloads, by kind. */
    otherObjects: Record<string, number>;
  };
  workloads: WorkloadReport[];
}

export const FINDING_TITLES: Record<FindingId, string> = {
  webhook: "webhook",
  "service-account": "service account",
  "identity-binding": "identity binding",
  token: "token",
  "proxy-sidecar": "proxy sidecar",
  container: "container",
  "federated-credential": "federated credential",
};

export function verdictOf(findings: readonly Finding[]): Exclude<WorkloadVerdict, "not-using"> {
  if (findings.some((f) => f.status === "fail")) return "fail";
  if (findings.some((f) => f.status === "warn")) return "warn";
  return "pass";
}

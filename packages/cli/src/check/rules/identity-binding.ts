// AKS identity bindings (webhook v1.6 with the custom token endpoint AKS configures): the annotation
// azure.workload.identity/use-identity-binding: "true" (any case) projects the token for the binding's token proxy
// and adds the AZURE_KUBERNETES_* variables; the proxy lets the account use the identity only if RBAC allows it.
import { IDENTITY_BINDING_AUDIENCE } from "../../doctor/identity-binding.js";
import { oneLine } from "../../lib/one-line.js";
import { asString } from "../../lib/plain-data.js";
import { metadataOf } from "../model/cluster-objects.js";
import { IDENTITY_BINDING_API_GROUP, identityGrant, USE_MANAGED_IDENTITY_VERB } from "../model/rbac.js";
import type { Finding } from "../report/types.js";
import { CLIENT_ID_ANNOTATION, USE_IDENTITY_BINDING_ANNOTATION } from "../webhook/contract.js";
import { finding, templateAnnotations, type WorkloadContext } from "./context.js";

export function identityBindingOf(context: WorkloadContext): { binding: boolean; findings: Finding[] } {
  const { workload, settings } = context;
  const annotationPath = [
    ...workload.templatePath,
    "metadata",
    "annotations",
    USE_IDENTITY_BINDING_ANNOTATION,
  ];
  const value = workload.annotations[USE_IDENTITY_BINDING_ANNOTATION];
  const none = { binding: false, findings: [] };

  if (value === undefined) {
    if (workload.labels[USE_IDENTITY_BINDING_ANNOTATION] === undefined) return none;
    return {
      binding: false,
      findings: [
        finding(workload, {
          id: "identity-binding",
          status: "fail",
          code: "ERR_IDENTITY_BINDING_AS_LABEL",
          message: `${USE_IDENTITY_BINDING_ANNOTATION} is a label; the webhook reads it as an annotation, so the pods are set up for direct federation, which Entra refuses for a bound identity`,
          fix: `move it to ${templateAnnotations(workload)}`,
          path: [...workload.templatePath, "metadata", "labels", USE_IDENTITY_BINDING_ANNOTATION],
        }),
      ],
    };
  }
  if (typeof value !== "string") {
    return {
      binding: false,
      findings: [
        finding(workload, {
          id: "identity-binding",
          status: "fail",
          code: "ERR_NOT_A_STRING",
          message: `${USE_IDENTITY_BINDING_ANNOTATION} is a YAML ${value === null ? "null" : typeof value}: Kubernetes refuses an annotation value that is not a string`,
          fix: `quote it: "true"`,
          path: annotationPath,
        }),
      ],
    };
  }
  if (value.toLowerCase() !== "true") {
    if (value.toLowerCase() === "false") return none;
    return {
      binding: false,
      findings: [
        finding(workload, {
          id: "identity-binding",
          status: "warn",
          code: "WARN_IDENTITY_BINDING_VALUE",
          message: `${USE_IDENTITY_BINDING_ANNOTATION} is ${JSON.stringify(oneLine(value))}, not "true", so the webhook sets the pods up for direct federation`,
          fix: `set it to "true" for an identity binding, or remove it`,
          path: annotationPath,
        }),
      ],
    };
  }
  if (settings.webhook.identityBindingCaFile === undefined) {
    return {
      binding: false,
      findings: [
        finding(workload, {
          id: "identity-binding",
          status: "fail",
          code: "ERR_IDENTITY_BINDING_UNSUPPORTED",
          message: `webhook ${settings.webhook.release} has no identity bindings: it ignores ${USE_IDENTITY_BINDING_ANNOTATION} and projects an ordinary token, whose direct exchange Entra refuses for a bound identity`,
          fix: `use a cluster with the webhook v1.6 (AKS identity bindings), or remove the annotation and create a federated credential for the cluster`,
          path: annotationPath,
        }),
      ],
    };
  }
  const found: Finding[] = [
    finding(workload, {
      id: "identity-binding",
      status: "pass",
      message: `the token is projected for ${IDENTITY_BINDING_AUDIENCE}, and every container also gets AZURE_KUBERNETES_TOKEN_PROXY, AZURE_KUBERNETES_SNI_NAME and AZURE_KUBERNETES_CA_FILE (${settings.webhook.identityBindingCaFile}, renewed in the token's volume); the application must send its token requests there (enableAzureProxy: true)`,
      path: annotationPath,
    }),
    ...rbacFindings(context),
  ];
  return { binding: true, findings: found };
}

function rbacFindings({ workload, cluster, account }: WorkloadContext): Finding[] {
  const clientId = account.annotations[CLIENT_ID_ANNOTATION];
  const who = `${account.namespace}/${oneLine(account.name)}`;
  const grant = `a ClusterRole granting verb ${USE_MANAGED_IDENTITY_VERB} on apiGroup ${IDENTITY_BINDING_API_GROUP}, resource ${typeof clientId === "string" && clientId !== "" ? oneLine(clientId) : "<the client id>"}, and a ClusterRoleBinding of it to ${who}`;
  if (!cluster.hasRbac || typeof clientId !== "string" || clientId === "") {
    return [
      finding(workload, {
        id: "identity-binding",
        status: "info",
        message: `the token proxy refuses ${who} (HTTP 403) unless the cluster has ${grant}${cluster.hasRbac ? "" : " (the input holds no RBAC objects)"}`,
      }),
    ];
  }
  const { roles, bindings } = identityGrant(cluster, clientId, account);
  const names = (objects: typeof roles) =>
    objects.map((o) => oneLine(asString(metadataOf(o.body).name) ?? "?")).join(", ");
  if (roles.length === 0 || bindings.length === 0) {
    const missing =
      roles.length === 0
        ? `no ClusterRole in the input grants ${USE_MANAGED_IDENTITY_VERB} on ${IDENTITY_BINDING_API_GROUP}, resource ${oneLine(clientId)}`
        : `no ClusterRoleBinding in the input binds ${names(roles)} to ${who}`;
    return [
      finding(workload, {
        id: "identity-binding",
        status: "fail",
        code: "ERR_IDENTITY_BINDING_RBAC",
        message: `${missing}: the token proxy refuses the account (HTTP 403, ERR_TOKEN_PROXY_FORBIDDEN in the credential)`,
        fix: `add ${grant}`,
      }),
    ];
  }
  return [
    finding(workload, {
      id: "identity-binding",
      status: "pass",
      message: `ClusterRole ${names(roles)} and ClusterRoleBinding ${names(bindings)} let ${who} use ${oneLine(clientId)}`,
    }),
  ];
}

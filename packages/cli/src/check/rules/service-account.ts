// The service account the pods run as: the webhook reads the client id and the tenant id from its annotations
// only (never from the pod), and refuses a pod whose account it cannot read.
import { oneLine } from "../../lib/one-line.js";
import type { ManifestObject } from "../input/manifest-object.js";
import { annotationsOf } from "../model/cluster-objects.js";
import type { Finding } from "../report/types.js";
import { AZURE_CLIENT_ID, CLIENT_ID_ANNOTATION, TENANT_ID_ANNOTATION } from "../webhook/contract.js";
import { finding, templateAnnotations, type WorkloadContext } from "./context.js";

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * `containersSetClientId`: every container the webhook mutates sets AZURE_CLIENT_ID itself, so an account without
 * the annotation still works.
 */
export function serviceAccountFindings(context: WorkloadContext, containersSetClientId: boolean): Finding[] {
  const { workload, account } = context;
  const named = `${account.namespace}/${oneLine(account.name)}`;
  const namePath = [...workload.templatePath, "spec", "serviceAccountName"];
  const podClientId = workload.annotations[CLIENT_ID_ANNOTATION];
  const podAnnotationPath = (key: string) => [...workload.templatePath, "metadata", "annotations", key];

  if (account.object === undefined) {
    const meant = accountsWithClientId(context);
    if (meant.length > 0) {
      return [
        finding(workload, {
          id: "service-account",
          status: "fail",
          code: "ERR_NO_CLIENT_ID",
          message: `runs as ${named}${account.name === "default" ? " (no serviceAccountName)" : ""}, which is not in the input, while ${meant.join(", ")} in the same namespace has the ${CLIENT_ID_ANNOTATION} annotation: the webhook reads the annotations of the account the pod runs as`,
          fix: `set ${[...workload.templatePath, "spec", "serviceAccountName"].join(".")} to the account that carries the client id`,
          path: namePath,
        }),
      ];
    }
    return [
      finding(workload, {
        id: "service-account",
        status: "warn",
        code: "WARN_SERVICE_ACCOUNT_NOT_IN_INPUT",
        message:
          account.name === "default"
            ? `runs as ${named} (no serviceAccountName), which is not in the input: it exists in every namespace, but the webhook injects ${AZURE_CLIENT_ID} only if it has the ${CLIENT_ID_ANNOTATION} annotation`
            : `runs as ${named}, which is not in the input: it must exist before the pods are created (the webhook refuses a pod whose service account it cannot read), with the ${CLIENT_ID_ANNOTATION} annotation`,
        fix:
          account.name === "default"
            ? `set serviceAccountName to an account with ${CLIENT_ID_ANNOTATION}, or annotate ${named}`
            : `make sure ${named} exists with ${CLIENT_ID_ANNOTATION}, or check it together with its service account`,
        path: namePath,
      }),
    ];
  }

  const at = (object: ManifestObject, key: string) => object.lineOf(["metadata", "annotations", key]);
  const found: Finding[] = [];
  const clientId = account.annotations[CLIENT_ID_ANNOTATION];
  const tenantId = account.annotations[TENANT_ID_ANNOTATION];
  const accountAt = `${named} (${account.object.source}:${account.object.line})`;

  for (const [key, value] of [
    [CLIENT_ID_ANNOTATION, clientId],
    [TENANT_ID_ANNOTATION, tenantId],
  ] as const) {
    if (value !== undefined && typeof value !== "string") {
      found.push({
        id: "service-account",
        status: "fail",
        code: "ERR_NOT_A_STRING",
        message: `${accountAt} has ${key} as a YAML ${value === null ? "null" : typeof value} (line ${at(account.object, key)}): Kubernetes refuses an annotation value that is not a string`,
        fix: `quote the value of ${key}`,
        line: workload.object.line,
      });
    }
  }
  if (found.length > 0) return found;

  const hasClientId = typeof clientId === "string" && clientId !== "";
  if (!hasClientId && !containersSetClientId) {
    const onPod =
      podClientId === undefined
        ? ""
        : `; the pod's own ${CLIENT_ID_ANNOTATION} annotation is not read (the webhook takes it from the service account only)`;
    found.push(
      finding(workload, {
        id: "service-account",
        status: "fail",
        code: "ERR_NO_CLIENT_ID",
        message: `${accountAt} has no ${CLIENT_ID_ANNOTATION} annotation${clientId === "" ? " value" : ""}, so the webhook injects no ${AZURE_CLIENT_ID}${onPod}`,
        fix: `annotate the service account: ${CLIENT_ID_ANNOTATION}: "<the identity's client id>"`,
        path: podClientId === undefined ? namePath : podAnnotationPath(CLIENT_ID_ANNOTATION),
      }),
    );
  }
  if (tenantId === "") {
    found.push(
      finding(workload, {
        id: "service-account",
        status: "fail",
        code: "ERR_EMPTY_TENANT_ID",
        message: `${accountAt} has an empty ${TENANT_ID_ANNOTATION} (line ${at(account.object, TENANT_ID_ANNOTATION)}): the webhook takes it over the cluster's tenant and then injects no AZURE_TENANT_ID`,
        fix: `set it to the identity's tenant id, or remove it to use the cluster's tenant`,
        path: namePath,
      }),
    );
  }
  if (hasClientId && !GUID.test(clientId)) {
    found.push(
      finding(workload, {
        id: "service-account",
        status: "warn",
        code: "WARN_CLIENT_ID_NOT_GUID",
        message: `${accountAt} has ${CLIENT_ID_ANNOTATION} ${JSON.stringify(oneLine(clientId))}, which is not a GUID (an unrendered placeholder?)`,
        fix: `set it to the client id of the managed identity or application`,
        path: namePath,
      }),
    );
  }
  for (const key of [CLIENT_ID_ANNOTATION, TENANT_ID_ANNOTATION]) {
    if (workload.annotations[key] !== undefined && (key !== CLIENT_ID_ANNOTATION || hasClientId)) {
      found.push(
        finding(workload, {
          id: "service-account",
          status: "warn",
          code: "WARN_POD_ANNOTATION_IGNORED",
          message: `${templateAnnotations(workload)} has ${key}, which the webhook does not read: it takes ${key.slice(key.indexOf("/") + 1)} from the service account only`,
          fix: `remove it from the pod and keep it on the service account ${named}`,
          path: podAnnotationPath(key),
        }),
      );
    }
  }
  if (found.some((f) => f.status === "fail")) return found;

  const client = hasClientId
    ? `client-id ${oneLine(clientId)}`
    : `no client-id (every container sets ${AZURE_CLIENT_ID} itself)`;
  const tenant =
    typeof tenantId === "string"
      ? `tenant-id ${oneLine(tenantId)}`
      : "tenant-id not set, so the cluster's tenant (the webhook's AZURE_TENANT_ID)";
  return [
    finding(workload, {
      id: "service-account",
      status: "pass",
      message: `${accountAt}: ${client}; ${tenant}${workload.namespaceDefaulted ? `; no namespace in the manifest, so ${account.namespace} (--namespace), as kubectl apply would take it` : ""}`,
      path: namePath,
      details: {
        name: account.name,
        namespace: account.namespace,
        inInput: true,
        ...(hasClientId ? { clientId } : {}),
        ...(typeof tenantId === "string" ? { tenantId } : {}),
      },
    }),
    ...found,
  ];
}

/** Accounts of the same namespace in the input that have a client id, when the pod's own account is not there. */
function accountsWithClientId({ workload, cluster, account }: WorkloadContext): string[] {
  return cluster
    .serviceAccountsIn(account.namespace)
    .filter((object) => {
      const value = annotationsOf(object.body)[CLIENT_ID_ANNOTATION];
      return typeof value === "string" && value !== "";
    })
    .map(
      (object) =>
        `${workload.namespace}/${oneLine(String((object.body.metadata as { name?: unknown }).name))}`,
    );
}

// azure.workload.identity/inject-proxy-sidecar: the webhook adds a privileged init container that redirects the
// pod's IMDS traffic, and the proxy that answers it. It refuses the pod on hostNetwork or a port that is no number.
import { oneLine } from "../../lib/one-line.js";
import { asArray, asObject, asString } from "../../lib/plain-data.js";
import { labelsOf } from "../model/cluster-objects.js";
import type { Finding } from "../report/types.js";
import {
  DEFAULT_PROXY_PORT,
  INJECT_PROXY_SIDECAR_ANNOTATION,
  PROXY_INIT_CONTAINER,
  PROXY_SIDECAR_CONTAINER,
  PROXY_SIDECAR_PORT_ANNOTATION,
} from "../webhook/contract.js";
import { parseGoInt } from "../webhook/go-int.js";
import { finding, type WorkloadContext } from "./context.js";

/** Pod Security Standards levels that refuse a privileged container running as root with NET_ADMIN. */
const REFUSING_LEVELS = new Set(["baseline", "restricted"]);
const ENFORCE_LABEL = "pod-security.kubernetes.io/enforce";

export function proxySidecarFindings(context: WorkloadContext): Finding[] {
  const { workload, cluster } = context;
  if (!Object.hasOwn(workload.annotations, INJECT_PROXY_SIDECAR_ANNOTATION)) return [];
  const annotationPath = (key: string) => [...workload.templatePath, "metadata", "annotations", key];
  const found: Finding[] = [];
  const fail = (
    code: Finding["code"],
    message: string,
    fix: string,
    path = annotationPath(INJECT_PROXY_SIDECAR_ANNOTATION),
  ) => found.push(finding(workload, { id: "proxy-sidecar", status: "fail", code, message, fix, path }));

  const value = workload.annotations[INJECT_PROXY_SIDECAR_ANNOTATION];
  if (typeof value !== "string") {
    fail(
      "ERR_NOT_A_STRING",
      `${INJECT_PROXY_SIDECAR_ANNOTATION} is a YAML ${value === null ? "null" : typeof value}: Kubernetes refuses an annotation value that is not a string`,
      `quote it: "true"`,
    );
  } else if (value.toLowerCase() !== "true") {
    found.push(
      finding(workload, {
        id: "proxy-sidecar",
        status: "warn",
        code: "WARN_PROXY_ANNOTATION_VALUE",
        message: `${INJECT_PROXY_SIDECAR_ANNOTATION} is ${JSON.stringify(oneLine(value))}, but the webhook injects the proxy whenever the annotation is there, whatever its value`,
        fix: `remove the annotation to go without the proxy, or set it to "true"`,
        path: annotationPath(INJECT_PROXY_SIDECAR_ANNOTATION),
      }),
    );
  }
  if (workload.spec.hostNetwork === true) {
    fail(
      "ERR_PROXY_HOST_NETWORK",
      "the pod uses hostNetwork, and the webhook refuses to inject the proxy there (its iptables rules would change the node's network): the pod is not admitted",
      `remove hostNetwork, or the ${INJECT_PROXY_SIDECAR_ANNOTATION} annotation`,
      [...workload.templatePath, "spec", "hostNetwork"],
    );
  }

  let port = DEFAULT_PROXY_PORT;
  const portValue = workload.annotations[PROXY_SIDECAR_PORT_ANNOTATION];
  if (portValue !== undefined) {
    const parsed = typeof portValue === "string" ? parseGoInt(portValue, 32) : undefined;
    if (typeof portValue !== "string") {
      fail(
        "ERR_NOT_A_STRING",
        `${PROXY_SIDECAR_PORT_ANNOTATION} is the YAML ${typeof portValue} ${oneLine(JSON.stringify(portValue))}, not a string: Kubernetes refuses the object`,
        `quote it: "${oneLine(JSON.stringify(portValue))}"`,
        annotationPath(PROXY_SIDECAR_PORT_ANNOTATION),
      );
    } else if (parsed === undefined) {
      fail(
        "ERR_PROXY_PORT",
        `${PROXY_SIDECAR_PORT_ANNOTATION} is ${JSON.stringify(oneLine(portValue))}, not a whole number: the webhook refuses the pod`,
        `set it to a free port from 1 to 65535, or remove it for ${DEFAULT_PROXY_PORT}`,
        annotationPath(PROXY_SIDECAR_PORT_ANNOTATION),
      );
    } else if (parsed < 1n || parsed > 65535n) {
      fail(
        "ERR_PROXY_PORT",
        `${PROXY_SIDECAR_PORT_ANNOTATION} is ${parsed}, which is no TCP port: the API server refuses the sidecar's containerPort`,
        `set it to a free port from 1 to 65535`,
        annotationPath(PROXY_SIDECAR_PORT_ANNOTATION),
      );
    } else {
      port = Number(parsed);
    }
  }

  for (const container of workload.containers) {
    (asArray(container.body.ports) ?? []).forEach((entry, index) => {
      const declared = asObject(entry);
      if (declared?.containerPort === port && (asString(declared.protocol) ?? "TCP") === "TCP") {
        fail(
          "ERR_PROXY_PORT_IN_USE",
          `container ${oneLine(container.name)} already uses port ${port}, where the proxy listens in the same network namespace: one of them cannot bind it`,
          `set ${PROXY_SIDECAR_PORT_ANNOTATION} to a port no container uses`,
          [...container.path, "ports", index],
        );
      }
    });
  }

  const namespace = cluster.namespace(workload.namespace);
  const level = namespace === undefined ? undefined : labelsOf(namespace.body)[ENFORCE_LABEL];
  if (typeof level === "string" && REFUSING_LEVELS.has(level)) {
    fail(
      "ERR_PROXY_POD_SECURITY",
      `namespace ${workload.namespace} enforces the ${level} Pod Security Standard (${namespace?.source}:${namespace?.lineOf(["metadata", "labels", ENFORCE_LABEL])}), which refuses the proxy's init container: it is privileged and runs as root with NET_ADMIN`,
      `run the workload in a namespace that allows privileged pods, or go without the proxy`,
    );
  }
  if (found.some((f) => f.status === "fail")) return found;

  const own = workload.containers.filter(
    (c) => c.name === PROXY_INIT_CONTAINER || c.name === PROXY_SIDECAR_CONTAINER,
  );
  return [
    finding(workload, {
      id: "proxy-sidecar",
      status: "pass",
      message: `adds init container ${PROXY_INIT_CONTAINER} (privileged, root, NET_ADMIN: sends the pod's IMDS requests to the proxy) and the proxy ${PROXY_SIDECAR_CONTAINER} on port ${port} (a native sidecar on Kubernetes 1.32 and later, else the first container); both get the variables and the token too${own.length > 0 ? `; the pod's own ${own.map((c) => c.name).join(" and ")} are kept instead` : ""}`,
      path: annotationPath(INJECT_PROXY_SIDECAR_ANNOTATION),
      details: { port },
    }),
    ...found,
  ];
}

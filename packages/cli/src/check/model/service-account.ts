// The service account a pod runs as, as the webhook reads it: spec.serviceAccountName (or the deprecated
// spec.serviceAccount the API server copies into it), else "default", in the pod's namespace.
import { asString } from "../../lib/plain-data.js";
import type { ManifestObject } from "../input/manifest-object.js";
import { annotationsOf, type ClusterObjects } from "./cluster-objects.js";
import type { Workload } from "./workload.js";

export interface ServiceAccountRef {
  name: string;
  namespace: string;
  /** The ServiceAccount object, when the input declares it. */
  object: ManifestObject | undefined;
  /** Its annotations ({} when it is not in the input). */
  annotations: Record<string, unknown>;
}

export function serviceAccountOf(workload: Workload, cluster: ClusterObjects): ServiceAccountRef {
  const name =
    nonEmpty(asString(workload.spec.serviceAccountName)) ??
    nonEmpty(asString(workload.spec.serviceAccount)) ??
    "default";
  const object = cluster.serviceAccount(workload.namespace, name);
  return {
    name,
    namespace: workload.namespace,
    object,
    annotations: object === undefined ? {} : annotationsOf(object.body),
  };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === "" ? undefined : value;
}

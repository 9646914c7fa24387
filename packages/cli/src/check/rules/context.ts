// What every rule sees: the workload, the other objects of the input, the account it runs as, and the settings.
import type { CheckSettings } from "../check-settings.js";
import type { Path } from "../input/manifest-object.js";
import type { ClusterObjects } from "../model/cluster-objects.js";
import type { ServiceAccountRef } from "../model/service-account.js";
import type { Workload } from "../model/workload.js";
import type { Finding, FindingCode, FindingId, FindingStatus } from "../report/types.js";

export type { CheckSettings };

export interface WorkloadContext {
  workload: Workload;
  cluster: ClusterObjects;
  settings: CheckSettings;
  account: ServiceAccountRef;
}

/** A finding about `path` (below the workload's object), placed on that line. */
export function finding(
  workload: Workload,
  fields: {
    id: FindingId;
    status: FindingStatus;
    message: string;
    path?: Path;
    fix?: string;
    code?: FindingCode;
    container?: string;
    init?: boolean;
    details?: Record<string, unknown>;
  },
): Finding {
  const { path, ...rest } = fields;
  return { ...rest, line: path === undefined ? workload.object.line : workload.object.lineOf(path) };
}

/** The pod template's path for messages: "the pod" for a Pod, "spec.template" for a Deployment... */
export function templateName(workload: Workload): string {
  return workload.templatePath.length === 0 ? "the pod" : workload.templatePath.join(".");
}

/** Where a pod's label goes, for fixes. */
export function templateLabels(workload: Workload): string {
  return [...workload.templatePath, "metadata", "labels"].join(".");
}

export function templateAnnotations(workload: Workload): string {
  return [...workload.templatePath, "metadata", "annotations"].join(".");
}

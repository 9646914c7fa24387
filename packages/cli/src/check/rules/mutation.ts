// Will the webhook see the pods at all? Its MutatingWebhookConfiguration selects pods whose own label
// azure.workload.identity/use is exactly "true"; everything else passes it by untouched.
import { oneLine } from "../../lib/one-line.js";
import { asObject } from "../../lib/plain-data.js";
import { annotationsOf, labelsOf } from "../model/cluster-objects.js";
import type { Finding } from "../report/types.js";
import { CLIENT_ID_ANNOTATION, USE_LABEL, WORKLOAD_IDENTITY_PREFIX } from "../webhook/contract.js";
import { finding, templateLabels, templateName, type WorkloadContext } from "./context.js";

export interface Mutation {
  /** The webhook will mutate the pods. */
  mutated: boolean;
  /** Something asks for Workload Identity; without it the workload is reported as not using it. */
  wanted: boolean;
  findings: Finding[];
}

const FIX_LABEL = (where: string) => `add the label ${USE_LABEL}: "true" to ${where}`;

export function mutationOf(context: WorkloadContext): Mutation {
  const { workload, account } = context;
  const labelPath = [...workload.templatePath, "metadata", "labels", USE_LABEL];
  const value = workload.labels[USE_LABEL];
  const where = templateLabels(workload);

  if (value === "true") {
    const found = [
      finding(workload, {
        id: "webhook",
        status: "pass",
        message: `mutates ${workload.templatePath.length === 0 ? "the pod" : "its pods"}: ${USE_LABEL}: "true" is on ${templateName(workload)}'s labels`,
        path: labelPath,
      }),
    ];
    if (workload.namespace === "kube-system") {
      found.push(
        finding(workload, {
          id: "webhook",
          status: "warn",
          code: "WARN_KUBE_SYSTEM",
          message:
            "namespace kube-system: on AKS the Admissions Enforcer keeps admission webhooks away from it, so the pods get nothing unless the webhook's configuration opts out (the webhook's known issues)",
          fix: 'run the workload in another namespace, or label the MutatingWebhookConfiguration admissions.enforcer/disabled: "true"',
          path: ["metadata", "namespace"],
        }),
      );
    }
    return { mutated: true, wanted: true, findings: found };
  }

  if (value !== undefined) {
    if (typeof value !== "string") {
      const written = workload.object.writtenAs(labelPath) ?? JSON.stringify(value);
      return failed(
        finding(workload, {
          id: "webhook",
          status: "fail",
          code: "ERR_NOT_A_STRING",
          message: `the label ${USE_LABEL} is the YAML ${typeof value} ${oneLine(written)}, not the string "true": Kubernetes refuses a label value that is not a string, so the ${workload.kind} is not even created`,
          fix: `quote it: ${USE_LABEL}: "true"`,
          path: labelPath,
        }),
      );
    }
    if (value === "false") {
      return {
        mutated: false,
        wanted: false,
        findings: [
          finding(workload, {
            id: "webhook",
            status: "skip",
            message: `not using Workload Identity: ${USE_LABEL}: "false"`,
            path: labelPath,
          }),
        ],
      };
    }
    return failed(
      finding(workload, {
        id: "webhook",
        status: "fail",
        code: "ERR_USE_LABEL_VALUE",
        message: `the label ${USE_LABEL} is ${JSON.stringify(oneLine(value))}, but the webhook selects pods whose label is exactly "true" (case included), so it never sees these pods`,
        fix: `set it to "true"`,
        path: labelPath,
      }),
    );
  }

  // No label on the pods: find where it was put instead.
  const misplaced: Finding[] = [];
  const own = workload.templatePath.length > 0;
  if (own && labelsOf(workload.object.body)[USE_LABEL] !== undefined) {
    misplaced.push(
      finding(workload, {
        id: "webhook",
        status: "fail",
        code: "ERR_USE_LABEL_ON_WORKLOAD",
        message: `${USE_LABEL} is on the ${workload.kind}'s own labels, not on its pod template's: the webhook mutates pods, and they carry ${where}`,
        fix: `move ${USE_LABEL}: "true" to ${where}`,
        path: ["metadata", "labels", USE_LABEL],
      }),
    );
  }
  const annotationPaths = [
    ...(workload.annotations[USE_LABEL] !== undefined
      ? [[...workload.templatePath, "metadata", "annotations", USE_LABEL]]
      : []),
    ...(own && annotationsOf(workload.object.body)[USE_LABEL] !== undefined
      ? [["metadata", "annotations", USE_LABEL]]
      : []),
  ];
  for (const path of annotationPaths) {
    misplaced.push(
      finding(workload, {
        id: "webhook",
        status: "fail",
        code: "ERR_USE_LABEL_AS_ANNOTATION",
        message: `${USE_LABEL} is an annotation; the webhook selects pods by a label of that name`,
        fix: `move it from the annotations to ${where}, with the value "true"`,
        path,
      }),
    );
  }
  if (account.object !== undefined && labelsOf(account.object.body)[USE_LABEL] !== undefined) {
    misplaced.push({
      id: "webhook",
      status: "fail",
      code: "ERR_USE_LABEL_ON_SERVICE_ACCOUNT",
      message: `${USE_LABEL} is on the service account ${account.namespace}/${oneLine(account.name)} (${account.object.source}:${account.object.lineOf(["metadata", "labels", USE_LABEL])}), not on the pods: since v1.0 the webhook selects pods by their own label`,
      fix: FIX_LABEL(where),
      line: workload.object.line,
    });
  }
  if (misplaced.length > 0) return { mutated: false, wanted: true, findings: misplaced };

  const reason = wantedBecause(context);
  if (reason === undefined) {
    return {
      mutated: false,
      wanted: false,
      findings: [
        finding(workload, {
          id: "webhook",
          status: "skip",
          message: `not using Workload Identity: no ${USE_LABEL} label and no ${WORKLOAD_IDENTITY_PREFIX} annotation, and its service account has no client-id in the input`,
        }),
      ],
    };
  }
  return failed(
    finding(workload, {
      id: "webhook",
      status: "fail",
      code: "ERR_USE_LABEL_MISSING",
      message: `no ${USE_LABEL} label on ${templateName(workload)}, so the webhook injects nothing, though ${reason}`,
      fix: FIX_LABEL(where),
      path: [...workload.templatePath, "metadata"],
    }),
  );
}

function failed(only: Finding): Mutation {
  return { mutated: false, wanted: true, findings: [only] };
}

/** Why the workload looks meant for Workload Identity, or undefined when nothing says so. */
function wantedBecause({ workload, account }: WorkloadContext): string | undefined {
  const clientId = account.annotations[CLIENT_ID_ANNOTATION];
  if (typeof clientId === "string" && clientId !== "") {
    return `its service account ${account.namespace}/${oneLine(account.name)} has the ${CLIENT_ID_ANNOTATION} annotation`;
  }
  const ours = (record: Record<string, unknown>) =>
    Object.keys(record).find((key) => key.startsWith(WORKLOAD_IDENTITY_PREFIX));
  const key =
    ours(workload.annotations) ??
    ours(workload.labels) ??
    ours(asObject(workload.ownMetadata.annotations) ?? {}) ??
    ours(asObject(workload.ownMetadata.labels) ?? {});
  return key === undefined ? undefined : `it has ${oneLine(key)}`;
}

// `check` as a function: read the inputs, find the workloads, judge each by the webhook's and Entra's rules.
import { CheckInputError } from "./check-input-error.js";
import { checkWorkload } from "./check-workload.js";
import { resolveSettings, type CheckOptions } from "./check-settings.js";
import { readCredentialList, type CredentialList } from "./federation/credential-list.js";
import type { InputProblem } from "./input/input-problem.js";
import type { ManifestObject } from "./input/manifest-object.js";
import { parseManifests } from "./input/parse-manifests.js";
import { isSource, readSources } from "./input/sources.js";
import { indexClusterObjects } from "./model/cluster-objects.js";
import { isWorkloadKind, workloadOf, type Workload } from "./model/workload.js";
import type { CheckReport, WorkloadReport, WorkloadVerdict } from "./report/types.js";

export interface CheckOutcome {
  report: CheckReport;
  /** Option problems that do not stop the check (an http issuer). */
  warnings: string[];
}

/** Rejects with CheckInputError when any input cannot be read, and with a usage error for a bad option. */
export async function runCheck(options: CheckOptions): Promise<CheckOutcome> {
  const { namespace, warnings, ...settings } = resolveSettings(options);
  const problems: InputProblem[] = [];

  const credentialLists: CredentialList[] = [];
  for (const option of options.federatedCredentials ?? []) {
    const list = await readCredentialList(option);
    if ("credentials" in list) credentialLists.push(list);
    else problems.push(list);
  }

  const objects: ManifestObject[] = [];
  for (const source of await readSources(options.inputs, options.readStdin ?? (() => Promise.resolve("")))) {
    if (!isSource(source)) {
      problems.push(source);
      continue;
    }
    const parsed = parseManifests(source);
    objects.push(...parsed.objects);
    problems.push(...parsed.problems);
  }
  const workloads: Workload[] = [];
  for (const object of objects) {
    if (!isWorkloadKind(object)) continue;
    const workload = workloadOf(object, namespace);
    if ("object" in workload) workloads.push(workload);
    else problems.push(workload);
  }
  if (problems.length === 0 && objects.length === 0) {
    problems.push({ source: options.inputs.join(" "), message: "no Kubernetes objects: the input is empty" });
  }
  if (problems.length > 0) throw new CheckInputError(problems);

  const cluster = indexClusterObjects(objects, namespace);
  const reports = workloads.map((workload) =>
    checkWorkload(workload, cluster, { ...settings, credentialLists }),
  );
  return { report: reportOf(reports, objects, settings.webhook), warnings };
}

function reportOf(
  workloads: WorkloadReport[],
  objects: readonly ManifestObject[],
  webhook: { release: string; commit: string },
): CheckReport {
  const count = (verdict: WorkloadVerdict) => workloads.filter((w) => w.verdict === verdict).length;
  const otherObjects: Record<string, number> = {};
  for (const object of objects) {
    if (!isWorkloadKind(object)) otherObjects[object.kind] = (otherObjects[object.kind] ?? 0) + 1;
  }
  return {
    ok: count("fail") === 0,
    webhook: { version: webhook.release, commit: webhook.commit },
    summary: {
      workloads: workloads.length,
      pass: count("pass"),
      warn: count("warn"),
      fail: count("fail"),
      "not-using": count("not-using"),
      otherObjects,
    },
    workloads,
  };
}

// The kinds that make pods, and where each keeps its pod template: what the Workload Identity webhook will see
// when the controller creates the pods.
import { oneLine } from "../../lib/one-line.js";
import { asArray, asObject, asString, valueAt, type PlainObject } from "../../lib/plain-data.js";
import type { InputProblem } from "../input/input-problem.js";
import type { ManifestObject, Path } from "../input/manifest-object.js";

export type WorkloadKind =
  "Pod" | "Deployment" | "StatefulSet" | "DaemonSet" | "ReplicaSet" | "Job" | "CronJob";

const TEMPLATES: Record<WorkloadKind, { groups: readonly string[]; template: Path }> = {
  Pod: { groups: [""], template: [] },
  Deployment: { groups: ["apps", "extensions"], template: ["spec", "template"] },
  StatefulSet: { groups: ["apps"], template: ["spec", "template"] },
  DaemonSet: { groups: ["apps", "extensions"], template: ["spec", "template"] },
  ReplicaSet: { groups: ["apps", "extensions"], template: ["spec", "template"] },
  Job: { groups: ["batch"], template: ["spec", "template"] },
  CronJob: { groups: ["batch"], template: ["spec", "jobTemplate", "spec", "template"] },
};

export interface Container {
  name: string;
  /** Init containers get the variables and the token too. */
  init: boolean;
  /** Where it is written, below the object. */
  path: Path;
  body: PlainObject;
}

export interface Workload {
  object: ManifestObject;
  kind: WorkloadKind;
  name: string;
  namespace: string;
  /** The namespace came from --namespace (or its default), as kubectl apply would take it. */
  namespaceDefaulted: boolean;
  /** The pod template below the object ([] for a Pod). */
  templatePath: Path;
  /** The workload's own metadata (for a Pod, the pod's). */
  ownMetadata: PlainObject;
  labels: PlainObject;
  annotations: PlainObject;
  spec: PlainObject;
  containers: Container[];
}

/** The object's API group: "" for the core group ("v1"). */
export function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf("/");
  return slash === -1 ? "" : apiVersion.slice(0, slash);
}

export function isWorkloadKind(object: ManifestObject): object is ManifestObject & { kind: WorkloadKind } {
  const entry = Object.hasOwn(TEMPLATES, object.kind) ? TEMPLATES[object.kind as WorkloadKind] : undefined;
  return entry?.groups.includes(groupOf(object.apiVersion)) ?? false;
}

/** The workload in `object`, or the problem that keeps it from being checked. */
export function workloadOf(
  object: ManifestObject & { kind: WorkloadKind },
  defaultNamespace: string,
): Workload | InputProblem {
  const problem = (path: Path, message: string): InputProblem => ({
    source: oneLine(object.source),
    line: object.lineOf(path),
    message,
  });
  const kind = object.kind;
  const ownMetadata = asObject(object.body.metadata) ?? {};
  const name = asString(ownMetadata.name) ?? asString(ownMetadata.generateName)?.concat("*");
  if (name === undefined || name === "*") {
    return problem(["metadata"], `the ${kind} has no metadata.name`);
  }
  const templatePath = TEMPLATES[kind].template;
  const template = asObject(valueAt(object.body, templatePath));
  if (template === undefined) {
    return problem(
      templatePath,
      `the ${kind} ${oneLine(name)} has no ${templatePath.join(".")}, where its pods are described`,
    );
  }
  const spec = asObject(template.spec);
  const specPath = [...templatePath, "spec"];
  if (spec === undefined || asArray(spec.containers) === undefined) {
    return problem(specPath, `the ${kind} ${oneLine(name)} has no ${[...specPath, "containers"].join(".")}`);
  }
  const metadata = asObject(template.metadata) ?? {};
  const namespace = asString(ownMetadata.namespace);
  return {
    object,
    kind,
    name,
    namespace: namespace ?? defaultNamespace,
    namespaceDefaulted: namespace === undefined,
    templatePath,
    ownMetadata,
    labels: asObject(metadata.labels) ?? {},
    annotations: asObject(metadata.annotations) ?? {},
    spec,
    containers: [
      ...containersOf(spec, "initContainers", specPath, true),
      ...containersOf(spec, "containers", specPath, false),
    ],
  };
}

function containersOf(spec: PlainObject, field: string, specPath: Path, init: boolean): Container[] {
  return (asArray(spec[field]) ?? []).flatMap((entry, index) => {
    const body = asObject(entry);
    if (body === undefined) return [];
    return [{ name: asString(body.name) ?? `#${index + 1}`, init, path: [...specPath, field, index], body }];
  });
}

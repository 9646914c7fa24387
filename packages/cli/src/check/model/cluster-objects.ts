// The objects in the input that are not workloads but decide how workloads fare: service accounts, RBAC objects
// (identity bindings) and namespaces (Pod Security admission).
import { asArray, asObject, asString, type PlainObject } from "../../lib/plain-data.js";
import type { ManifestObject } from "../input/manifest-object.js";
import { groupOf } from "./workload.js";

const RBAC_GROUP = "rbac.authorization.k8s.io";
const RBAC_KINDS = new Set(["ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding"]);

export interface ClusterObjects {
  /** The service account `namespace/name` as the input declares it (the last one wins, as with kubectl apply). */
  serviceAccount(namespace: string, name: string): ManifestObject | undefined;
  /** Every service account the input declares in `namespace`. */
  serviceAccountsIn(namespace: string): ManifestObject[];
  /** The Namespace object named `name`, if the input holds one. */
  namespace(name: string): ManifestObject | undefined;
  /** The input holds RBAC objects, so a missing grant is the input's omission rather than someone else's. */
  hasRbac: boolean;
  clusterRoles: ManifestObject[];
  clusterRoleBindings: ManifestObject[];
}

export function indexClusterObjects(
  objects: readonly ManifestObject[],
  defaultNamespace: string,
): ClusterObjects {
  const accounts = new Map<string, ManifestObject>();
  const namespaces = new Map<string, ManifestObject>();
  for (const object of objects) {
    const metadata = metadataOf(object.body);
    const name = asString(metadata.name);
    if (name === undefined) continue;
    if (object.kind === "ServiceAccount" && groupOf(object.apiVersion) === "") {
      accounts.set(`${asString(metadata.namespace) ?? defaultNamespace}/${name}`, object);
    } else if (object.kind === "Namespace" && groupOf(object.apiVersion) === "") {
      namespaces.set(name, object);
    }
  }
  const rbac = objects.filter((o) => RBAC_KINDS.has(o.kind) && groupOf(o.apiVersion) === RBAC_GROUP);
  return {
    serviceAccount: (namespace, name) => accounts.get(`${namespace}/${name}`),
    serviceAccountsIn: (namespace) =>
      [...accounts.entries()].filter(([key]) => key.startsWith(`${namespace}/`)).map(([, object]) => object),
    namespace: (name) => namespaces.get(name),
    hasRbac: rbac.length > 0,
    clusterRoles: rbac.filter((o) => o.kind === "ClusterRole"),
    clusterRoleBindings: rbac.filter((o) => o.kind === "ClusterRoleBinding"),
  };
}

export function metadataOf(body: PlainObject): PlainObject {
  return asObject(body.metadata) ?? {};
}

export function annotationsOf(body: PlainObject): PlainObject {
  return asObject(metadataOf(body).annotations) ?? {};
}

export function labelsOf(body: PlainObject): PlainObject {
  return asObject(metadataOf(body).labels) ?? {};
}

export function stringsOf(value: unknown): string[] {
  return (asArray(value) ?? []).filter((item): item is string => typeof item === "string");
}

// Whether the input's RBAC lets a service account use a managed identity through an AKS identity binding: a
// ClusterRole granting verb use-managed-identity on API group cid.wi.aks.azure.com, resource <client id>, bound to
// the account by a ClusterRoleBinding (AKS, "Set up identity bindings").
import { asArray, asObject, asString } from "../../lib/plain-data.js";
import type { ManifestObject } from "../input/manifest-object.js";
import { metadataOf, stringsOf, type ClusterObjects } from "./cluster-objects.js";

export const USE_MANAGED_IDENTITY_VERB = "use-managed-identity";
export const IDENTITY_BINDING_API_GROUP = "cid.wi.aks.azure.com";

export interface IdentityGrant {
  /** ClusterRoles that grant the verb on the client id. */
  roles: ManifestObject[];
  /** ClusterRoleBindings of those roles whose subjects cover the account. */
  bindings: ManifestObject[];
}

export function identityGrant(
  cluster: ClusterObjects,
  clientId: string,
  account: { namespace: string; name: string },
): IdentityGrant {
  const roles = cluster.clusterRoles.filter((role) =>
    (asArray(role.body.rules) ?? []).some((entry) => {
      const rule = asObject(entry) ?? {};
      return (
        covers(stringsOf(rule.verbs), USE_MANAGED_IDENTITY_VERB) &&
        covers(stringsOf(rule.apiGroups), IDENTITY_BINDING_API_GROUP) &&
        covers(stringsOf(rule.resources), clientId)
      );
    }),
  );
  const roleNames = new Set(roles.map((role) => asString(metadataOf(role.body).name)));
  const bindings = cluster.clusterRoleBindings.filter((binding) => {
    const roleRef = asObject(binding.body.roleRef) ?? {};
    return (
      roleRef.kind === "ClusterRole" &&
      roleNames.has(asString(roleRef.name)) &&
      (asArray(binding.body.subjects) ?? []).some((subject) =>
        coversAccount(asObject(subject) ?? {}, account),
      )
    );
  });
  return { roles, bindings };
}

function covers(values: string[], wanted: string): boolean {
  return values.includes(wanted) || values.includes("*");
}

/** A subject naming the account itself, or the groups every service account (of its namespace) belongs to. */
function coversAccount(
  subject: Record<string, unknown>,
  account: { namespace: string; name: string },
): boolean {
  if (subject.kind === "ServiceAccount") {
    return subject.name === account.name && subject.namespace === account.namespace;
  }
  return (
    subject.kind === "Group" &&
    (subject.name === "system:serviceaccounts" ||
      subject.name === `system:serviceaccounts:${account.namespace}`)
  );
}

// One workload through the rules, in the order its pods meet them: the webhook's selector, the service account,
// an identity binding, the token, the proxy, each container; then the federated credential Entra will look for.
import { IDENTITY_BINDING_AUDIENCE } from "../doctor/identity-binding.js";
import type { ClusterObjects } from "./model/cluster-objects.js";
import { serviceAccountOf } from "./model/service-account.js";
import type { Workload } from "./model/workload.js";
import type { WorkloadReport } from "./report/types.js";
import { verdictOf } from "./report/types.js";
import { containerFindings } from "./rules/containers.js";
import { finding, type CheckSettings, type WorkloadContext } from "./rules/context.js";
import { federatedCredentialFindings } from "./rules/federated-credential.js";
import { identityBindingOf } from "./rules/identity-binding.js";
import { mutationOf } from "./rules/mutation.js";
import { proxySidecarFindings } from "./rules/proxy-sidecar.js";
import { serviceAccountFindings } from "./rules/service-account.js";
import { tokenFindings } from "./rules/token.js";
import { AZURE_CLIENT_ID } from "./webhook/contract.js";
import { skippedContainers } from "./webhook/skip-containers.js";

export function checkWorkload(
  workload: Workload,
  cluster: ClusterObjects,
  settings: CheckSettings,
): WorkloadReport {
  const account = serviceAccountOf(workload, cluster);
  const context: WorkloadContext = { workload, cluster, settings, account };
  const base = {
    source: workload.object.source,
    ...(workload.object.file === undefined ? {} : { file: workload.object.file }),
    line: workload.object.line,
    kind: workload.kind,
    namespace: workload.namespace,
    name: workload.name,
    serviceAccount: `${account.namespace}/${account.name}`,
  };
  const mutation = mutationOf(context);
  if (!mutation.wanted) return { ...base, verdict: "not-using", findings: mutation.findings };

  const binding = identityBindingOf(context);
  const audience = binding.binding
    ? { value: IDENTITY_BINDING_AUDIENCE, reason: "AKS identity binding" }
    : settings.audience;
  const findings = [
    ...mutation.findings,
    ...serviceAccountFindings(context, everyContainerSetsClientId(workload)),
    ...binding.findings,
  ];
  if (mutation.mutated) {
    const token = tokenFindings(context, audience);
    findings.push(
      ...token.findings,
      ...proxySidecarFindings(context),
      ...containerFindings(context, binding.binding, token.facts.expirationSeconds),
    );
  } else {
    findings.push(
      finding(workload, {
        id: "token",
        status: "skip",
        message: "skipped: the webhook will not mutate the pods, so they get no token and no variables",
      }),
    );
  }
  findings.push(...federatedCredentialFindings(context, audience.value, binding.binding));
  return { ...base, verdict: verdictOf(findings), findings };
}

/** Every container the webhook mutates sets AZURE_CLIENT_ID itself (so the account needs no client id). */
function everyContainerSetsClientId(workload: Workload): boolean {
  const skipped = skippedContainers(workload);
  const mutated = workload.containers.filter((c) => !skipped.has(c.name));
  return (
    mutated.length > 0 &&
    mutated.every((c) =>
      (Array.isArray(c.body.env) ? c.body.env : []).some(
        (entry) => (entry as { name?: unknown } | null)?.name === AZURE_CLIENT_ID,
      ),
    )
  );
}

// The federated identity credential the workload needs (issuer, subject system:serviceaccount:<ns>:<account>,
// audience), and with --federated-credentials, Entra's verdict on the identity's actual ones.
import { IDENTITY_BINDING_AUDIENCE } from "../../doctor/identity-binding.js";
import { oneLine } from "../../lib/one-line.js";
import { redactUrl } from "../../lib/redact-url.js";
import { listFor, type CredentialList } from "../federation/credential-list.js";
import { entraVerdict, type ClaimDifference, type Presented } from "../federation/entra-verdict.js";
import type { Finding } from "../report/types.js";
import { CLIENT_ID_ANNOTATION, USE_IDENTITY_BINDING_ANNOTATION } from "../webhook/contract.js";
import { finding, type WorkloadContext } from "./context.js";

/** Entra's limit per application or user-assigned managed identity (Microsoft Learn, "Important considerations and
 * restrictions for federated identity credentials"). */
export const CREDENTIAL_LIMIT = 20;
/** Warn from here: two more clusters or accounts and the identity is full. */
const NEAR_LIMIT = 18;
/** The credential AKS creates on the identity for its identity bindings (AKS, "Set up identity bindings"). */
export const IDENTITY_BINDING_CREDENTIAL = "aks-identity-binding";

export function federatedCredentialFindings(
  context: WorkloadContext,
  audience: string,
  identityBinding: boolean,
): Finding[] {
  const { workload, account, settings } = context;
  const clientId = account.annotations[CLIENT_ID_ANNOTATION];
  const list = listFor(
    settings.credentialLists,
    typeof clientId === "string" && clientId !== "" ? clientId : undefined,
  );
  if (identityBinding) return bindingCredential(context, list);

  const presented: Presented = {
    issuer: settings.issuer,
    subject: `system:serviceaccount:${account.namespace}:${account.name}`,
    audience,
  };
  const wanted = `issuer ${presented.issuer === undefined ? "<the cluster's OIDC issuer, exactly: pass --issuer>" : redactUrl(presented.issuer)}, subject ${oneLine(presented.subject)}, audience ${oneLine(audience)}`;
  const details = { issuer: presented.issuer, subject: presented.subject, audience };
  if (list === undefined) {
    return [
      finding(workload, { id: "federated-credential", status: "info", message: `needs ${wanted}`, details }),
    ];
  }

  const found: Finding[] = [];
  const verdict = entraVerdict(presented, list.credentials);
  const from = oneLine(list.file);
  const unevaluated =
    list.flexible > 0
      ? ` (${list.flexible} flexible credential${list.flexible === 1 ? "" : "s"} not evaluated)`
      : "";
  switch (verdict.kind) {
    case "match":
      found.push(
        finding(workload, {
          id: "federated-credential",
          status: "pass",
          message: `Entra will take the token: credential ${JSON.stringify(oneLine(verdict.credential.name))} in ${from} has ${wanted}`,
          details: { ...details, credential: verdict.credential.name },
        }),
      );
      break;
    case "issuer-unknown":
      found.push(
        finding(workload, {
          id: "federated-credential",
          status: "warn",
          code: "WARN_ISSUER_NOT_CHECKED",
          message: `credential ${JSON.stringify(oneLine(verdict.credential.name))} in ${from} matches subject ${oneLine(presented.subject)} and audience ${oneLine(audience)}; its issuer ${redactUrl(verdict.credential.issuer)} is not checked`,
          fix: `pass --issuer with the cluster's issuer (az aks show --query oidcIssuerProfile.issuerUrl) to check it character for character`,
          details: { ...details, credential: verdict.credential.name },
        }),
      );
      break;
    case "no-credentials":
      found.push(
        finding(workload, {
          id: "federated-credential",
          status: "fail",
          code: "ERR_NO_FEDERATED_CREDENTIALS",
          message: `${from} holds no federated credential${unevaluated}: Entra refuses the token with AADSTS${verdict.codes.join("/")}`,
          fix: `create one with ${wanted}`,
          details: { ...details, aadsts: verdict.codes },
        }),
      );
      break;
    case "mismatch": {
      const value =
        verdict.claim === "issuer" ? redactUrl(presented.issuer ?? "") : oneLine(presented[verdict.claim]);
      const [code, older] = verdict.codes;
      const codes =
        presented.issuer === undefined && verdict.claim === "subject"
          ? `AADSTS${code} (or 700211 if no credential has the cluster's issuer either; ${older} in older answers)`
          : `AADSTS${code} (${older} in older answers)`;
      const closest = verdict.closest;
      found.push(
        finding(workload, {
          id: "federated-credential",
          status: "fail",
          code: "ERR_FEDERATED_CREDENTIAL_MISMATCH",
          message: `Entra will refuse the token with ${codes}: no credential in ${from} has its ${verdict.claim} ${value}${unevaluated}${closest === undefined ? "" : `; closest, ${JSON.stringify(oneLine(closest.credential.name))}: ${closest.differences.map(describe).join("; ")}`}`,
          fix:
            closest !== undefined && closest.differences.length === 1
              ? `set the ${closest.differences[0]?.claim} of ${JSON.stringify(oneLine(closest.credential.name))} to ${shown(closest.differences[0])}, exactly`
              : `create a federated credential with ${wanted}`,
          details: {
            ...details,
            claim: verdict.claim,
            aadsts: verdict.codes,
            ...(closest === undefined
              ? {}
              : { closest: { name: closest.credential.name, differences: closest.differences } }),
          },
        }),
      );
      break;
    }
  }
  return [...found, ...limitFindings(context, list)];
}

function describe(difference: ClaimDifference): string {
  const value =
    difference.claim === "issuer" ? redactUrl(difference.credential) : oneLine(difference.credential);
  return `its ${difference.claim} ${JSON.stringify(value)} ${difference.difference}`;
}

function shown(difference: ClaimDifference | undefined): string {
  if (difference === undefined) return "";
  return difference.claim === "issuer" ? redactUrl(difference.presented) : oneLine(difference.presented);
}

function limitFindings({ workload }: WorkloadContext, list: CredentialList): Finding[] {
  const count = list.credentials.length + list.flexible;
  if (count < NEAR_LIMIT) return [];
  return [
    finding(workload, {
      id: "federated-credential",
      status: "warn",
      code: "WARN_FEDERATED_CREDENTIAL_LIMIT",
      message: `${oneLine(list.file)} lists ${count} of the ${CREDENTIAL_LIMIT} federated credentials Entra allows an identity${count >= CREDENTIAL_LIMIT ? ": no other cluster or service account can be added" : ""}`,
      fix: `AKS identity bindings let one credential serve every cluster and service account of an identity (az aks identity-binding create, and annotate the pods ${USE_IDENTITY_BINDING_ANNOTATION}: "true")`,
    }),
  ];
}

/** A binding pod's token goes to the cluster's token proxy; AKS made the one credential Entra checks. */
function bindingCredential({ workload }: WorkloadContext, list: CredentialList | undefined): Finding[] {
  const made = `AKS's credential "${IDENTITY_BINDING_CREDENTIAL}" on the identity (az aks identity-binding create makes it, issuer https://ib.oic.prod-aks.azure.com/<tenant>/<client id>); the token (audience ${IDENTITY_BINDING_AUDIENCE}) goes to the cluster's token proxy, so no credential for this cluster's issuer is needed`;
  if (list === undefined) {
    return [finding(workload, { id: "federated-credential", status: "info", message: `needs ${made}` })];
  }
  const credential = list.credentials.find((c) => c.name === IDENTITY_BINDING_CREDENTIAL);
  if (credential !== undefined) {
    return [
      finding(workload, {
        id: "federated-credential",
        status: "pass",
        message: `${oneLine(list.file)} has ${JSON.stringify(IDENTITY_BINDING_CREDENTIAL)} (issuer ${redactUrl(credential.issuer)}), which AKS made for the identity's bindings`,
      }),
    ];
  }
  return [
    finding(workload, {
      id: "federated-credential",
      status: "fail",
      code: "ERR_IDENTITY_BINDING_CREDENTIAL",
      message: `${oneLine(list.file)} has no ${JSON.stringify(IDENTITY_BINDING_CREDENTIAL)} credential: the identity has no identity binding, so the token proxy's exchange fails`,
      fix: `az aks identity-binding create --resource-group <group> --cluster-name <cluster> --name <name> --managed-identity-resource-id <the identity's resource id>`,
    }),
  ];
}

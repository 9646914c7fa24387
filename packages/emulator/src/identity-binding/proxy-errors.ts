// The token proxy's own refusals. AKS does not document its proxy's error bodies (nor its status codes beyond what
// a client sees), so these are our choice: Entra's envelope (the fields and order of Entra's errors, the trace,
// correlation and timestamp tail) so clients parse them like Entra's, with an OAuth `error`, a real status, no AADSTS
// code (Entra did not refuse anything) and a description that names the fix.
import type { Reply } from "../http/reply.js";
import type { DescriptionSeparator } from "../config/emulator-config.js";
import { entraShapedReply } from "../entra/entra-error.js";

export type ProxyRefusalCode =
  | "service-account-token-signature"
  | "service-account-token-issuer"
  | "service-account-token-audience"
  | "service-account-token-lifetime"
  | "service-account-token-subject"
  | "identity-not-allowed"
  | "identity-not-bound"
  | "entra-unreachable";

export interface ProxyRefusal {
  code: ProxyRefusalCode;
  status: 400 | 401 | 403 | 502 | 504;
  error: "invalid_client" | "unauthorized_client" | "temporarily_unavailable";
  message: string;
}

const DOCS = "https://learn.microsoft.com/azure/aks/identity-bindings";
const PREFIX = "AKS identity binding token proxy:";

/** Every refusal the proxy makes itself, each with its code (for tests and logs) and its fix. */
export const ProxyRefusals = {
  badSignature: (): ProxyRefusal =>
    refusal(
      "service-account-token-signature",
      401,
      "invalid_client",
      "the client assertion is not a service account token signed by this cluster's issuer.",
    ),
  wrongIssuer: (issuer: string, expected: string): ProxyRefusal =>
    refusal(
      "service-account-token-issuer",
      401,
      "invalid_client",
      `the service account token's issuer '${issuer}' is not this cluster's issuer '${expected}'.`,
    ),
  wrongAudience: (audiences: string, expected: string): ProxyRefusal =>
    refusal(
      "service-account-token-audience",
      401,
      "invalid_client",
      `the service account token's audience '${audiences}' does not include '${expected}'; a pod that uses an identity binding needs the annotation azure.workload.identity/use-identity-binding: "true".`,
    ),
  outsideLifetime: (nowSeconds: number, nbf: number | undefined, exp: number | undefined): ProxyRefusal =>
    refusal(
      "service-account-token-lifetime",
      401,
      "invalid_client",
      `the service account token is not valid now (${iso(nowSeconds)}): valid from ${nbf === undefined ? "(no nbf)" : iso(nbf)} until ${exp === undefined ? "(no exp)" : iso(exp)}; read the token file again.`,
    ),
  notServiceAccount: (subject: string): ProxyRefusal =>
    refusal(
      "service-account-token-subject",
      401,
      "invalid_client",
      `the token's subject '${subject}' is not a service account (system:serviceaccount:<namespace>:<name>).`,
    ),
  notAllowed: (namespace: string, name: string, clientId: string): ProxyRefusal =>
    refusal(
      "identity-not-allowed",
      403,
      "unauthorized_client",
      `service account '${namespace}/${name}' may not use managed identity '${clientId}': bind it to a ClusterRole granting verb 'use-managed-identity' on apiGroup 'cid.wi.aks.azure.com', resource '${clientId}'.`,
    ),
  notBound: (clientId: string): ProxyRefusal =>
    refusal(
      "identity-not-bound",
      400,
      "unauthorized_client",
      `no identity binding maps managed identity '${clientId}' to this cluster: create one with az aks identity-binding create.`,
    ),
  entraUnreachable: (status: 502 | 504, reason: string): ProxyRefusal =>
    refusal(
      "entra-unreachable",
      status,
      "temporarily_unavailable",
      `Microsoft Entra ID could not be reached: ${reason}`,
    ),
};

export function proxyRefusalReply(
  refused: ProxyRefusal,
  context: { separator: DescriptionSeparator; correlationId?: string | undefined },
): Reply {
  return entraShapedReply(
    {
      status: refused.status,
      error: refused.error,
      message: `${PREFIX} ${refused.message}`,
      codes: [],
      errorUri: DOCS,
    },
    context,
  );
}

function refusal(
  code: ProxyRefusalCode,
  status: ProxyRefusal["status"],
  error: ProxyRefusal["error"],
  message: string,
): ProxyRefusal {
  return { code, status, error, message };
}

function iso(seconds: number): string {
  const date = new Date(seconds * 1000);
  return Number.isNaN(date.getTime()) ? String(seconds) : date.toISOString();
}

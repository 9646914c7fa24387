// Which `aud` the projected token must carry for the federated credential (or an identity binding's token proxy)
// to take it: --audience when given, else api://AKSIdentityBinding in an identity-binding pod, else the audience
// Microsoft recommends for the cloud of AZURE_AUTHORITY_HOST.
import { CLOUDS, type Cloud } from "../lib/clouds.js";
import {
  IDENTITY_BINDING_AUDIENCE,
  identityBindingVariables,
  USE_IDENTITY_BINDING_ANNOTATION,
} from "./identity-binding.js";

export type AudienceSource = "option" | "identity-binding" | "cloud" | "assumed";

export interface ExpectedAudience {
  audience: string;
  /**
   * `option`: --audience; `identity-binding`: an AZURE_KUBERNETES_* variable is set; `cloud`: the authority host's
   * cloud; `assumed`: an unknown host, so the public cloud's.
   */
  source: AudienceSource;
  /** Why this audience, for people, on one line. */
  reason: string;
}

const PUBLIC = CLOUDS.public;
const US_GOVERNMENT = CLOUDS.usgov;
const CHINA = CLOUDS.china;

/**
 * The recommended audience per cloud (lib/clouds.ts says where each comes from), by authority host. The host
 * aliases are those MSAL.NET's KnownCloudConfiguration gives each of these audiences (and those the credential's
 * authority metadata knows).
 */
const CLOUD_BY_AUTHORITY_HOST = new Map<string, Cloud>([
  ["login.microsoftonline.com", PUBLIC],
  ["login.windows.net", PUBLIC],
  ["login.microsoft.com", PUBLIC],
  ["sts.windows.net", PUBLIC],
  ["login.microsoftonline.us", US_GOVERNMENT],
  ["login.usgovcloudapi.net", US_GOVERNMENT],
  ["login.chinacloudapi.cn", CHINA],
  ["login.partner.microsoftonline.cn", CHINA],
]);

/** What the credential uses when AZURE_AUTHORITY_HOST is not set: the public cloud's. */
const DEFAULT_AUTHORITY_HOST = "login.microsoftonline.com";

/** The audience the doctor expects in the token. Rules are tried in order. */
export function expectedAudience(
  env: Record<string, string | undefined>,
  explicit?: string,
): ExpectedAudience {
  const option = explicit?.trim();
  if (option !== undefined && option !== "") {
    return { audience: option, source: "option", reason: "from --audience" };
  }
  // The token goes to the cluster's token proxy, not to a federated credential: the webhook projects it for
  // this audience, whatever the cloud.
  const binding = identityBindingVariables(env);
  if (binding.length > 0) {
    return {
      audience: IDENTITY_BINDING_AUDIENCE,
      source: "identity-binding",
      reason: `AKS identity binding, by ${binding.join(", ")}`,
    };
  }
  const variable = env.AZURE_AUTHORITY_HOST?.trim();
  if (variable === undefined || variable === "") {
    const reason = `${PUBLIC.name}, by the default authority host ${DEFAULT_AUTHORITY_HOST} (AZURE_AUTHORITY_HOST is not set)`;
    return { audience: PUBLIC.audience, source: "cloud", reason };
  }
  const host = hostOf(variable);
  const cloud = host === undefined ? undefined : CLOUD_BY_AUTHORITY_HOST.get(host);
  if (cloud !== undefined) {
    return {
      audience: cloud.audience,
      source: "cloud",
      reason: `${cloud.name}, by AZURE_AUTHORITY_HOST ${host}`,
    };
  }
  // The Workload Identity webhook projects the public audience unless configured otherwise, and
  // Entra-compatible hosts (the emulator among them) use it too: refusing it there would be wrong more often
  // than right, so it is assumed, and the report says so.
  const unknown = host === undefined ? "is not a URL" : `${host} is not a known Entra cloud`;
  return {
    audience: PUBLIC.audience,
    source: "assumed",
    reason: `${PUBLIC.name}, assumed: AZURE_AUTHORITY_HOST ${unknown} (pass --audience otherwise)`,
  };
}

/** The lower-case host name of an authority URL (no port, no credentials, no trailing dot), if it is a URL. */
function hostOf(authorityHost: string): string | undefined {
  if (!URL.canParse(authorityHost)) return undefined;
  return new URL(authorityHost).hostname.toLowerCase().replace(/\.$/, "");
}

/**
 * When the token was projected for the other mode than the pod's (a binding's token without the binding's
 * variables, or the reverse): what that means and the fix, for the claims line. Undefined for other mismatches,
 * and when --audience chose the audience.
 */
export function audienceModeMismatch(
  expected: ExpectedAudience,
  presented: readonly string[],
): { message: string; fix: string } | undefined {
  if (expected.source === "identity-binding") {
    return {
      message: `this pod has the identity-binding variables, but its token was not projected for the binding`,
      fix: `an identity binding's token proxy takes only the audience ${IDENTITY_BINDING_AUDIENCE}: annotate the pod template ${USE_IDENTITY_BINDING_ANNOTATION} so the Workload Identity webhook (v1.6 or later) projects the token for it, then recreate the pod, and point AZURE_FEDERATED_TOKEN_FILE (or --token-file) at that token; for direct federation instead, remove the annotation and the AZURE_KUBERNETES_* variables with it`,
    };
  }
  if (expected.source !== "option" && presented.includes(IDENTITY_BINDING_AUDIENCE)) {
    return {
      message: `${IDENTITY_BINDING_AUDIENCE} is an AKS identity binding's audience, but no AZURE_KUBERNETES_* variable is set here, so token requests go to Entra directly`,
      fix: `run the doctor with the pod's own environment: the Workload Identity webhook injects AZURE_KUBERNETES_TOKEN_PROXY, AZURE_KUBERNETES_SNI_NAME and AZURE_KUBERNETES_CA_FILE into each container of a pod annotated ${USE_IDENTITY_BINDING_ANNOTATION} (recreate the pod if they are missing); for direct federation instead, remove that annotation so the webhook projects ${expected.audience}`,
    };
  }
  return undefined;
}

// Checks an identity-binding pod's AZURE_KUBERNETES_* variables by the credential's own rules: it makes a
// WorkloadIdentityCredential with enableAzureProxy on, which refuses a bad set at construction with a one-line
// message (a URL that is not https or has user info, a query or a fragment; both CA variables; the server name
// or a CA without the URL; a CA file missing, empty or holding no certificate). One set of rules, not two.
import { CredentialUnavailableError, WorkloadIdentityCredential } from "@workload-identity/credential";
import { oneLine } from "../../lib/one-line.js";
import { redactUrl } from "../../lib/redact-url.js";
import {
  AZURE_KUBERNETES_CA_DATA,
  AZURE_KUBERNETES_CA_FILE,
  AZURE_KUBERNETES_SNI_NAME,
  AZURE_KUBERNETES_TOKEN_PROXY,
  bindingValue,
  IDENTITY_BINDING_VARIABLES,
  USE_IDENTITY_BINDING_ANNOTATION,
} from "../identity-binding.js";
import type { CheckResult } from "../types.js";

type Environment = Record<string, string | undefined>;

/** The token proxy as the credential will use it: checked by the later lines, used by the exchange. */
export interface TokenProxyTarget {
  /** AZURE_KUBERNETES_TOKEN_PROXY as given (shown only redacted). */
  url: string;
  sniName: string | undefined;
}

export interface IdentityBindingOutcome {
  result: CheckResult;
  /** Present when the credential accepts the variables. */
  proxy?: TokenProxyTarget;
}

const FIX = `the Workload Identity webhook (v1.6 or later) injects these variables into a pod annotated ${USE_IDENTITY_BINDING_ANNOTATION}: do not set or override them by hand, and recreate the pod so that it injects current ones`;

/**
 * Only the identity-binding variables reach the credential, and the other settings are fixed placeholders, so
 * that a problem elsewhere (the AZURE_* lines above, HTTPS_PROXY) is not reported here. Nothing is sent.
 */
export function checkIdentityBinding(env: Environment): IdentityBindingOutcome {
  const variables = Object.fromEntries(IDENTITY_BINDING_VARIABLES.map((name) => [name, env[name]]));
  try {
    // Constructing is the check; the credential opens nothing until getToken.
    new WorkloadIdentityCredential({
      enableAzureProxy: true,
      env: variables,
      clientId: "00000000-0000-0000-0000-000000000000",
      tenantId: "00000000-0000-0000-0000-000000000000",
      tokenFilePath: "unused",
      authorityHost: "https://login.microsoftonline.com/",
      loggingEnabled: false,
    });
  } catch (error) {
    const message =
      error instanceof CredentialUnavailableError
        ? error.message.replace(/^WorkloadIdentityCredential: /, "").replace(/\.$/, "")
        : String(error);
    return {
      result: {
        id: "identity-binding",
        status: "fail",
        code: error instanceof CredentialUnavailableError ? error.code : "ERR_INVALID_CONFIGURATION",
        message: oneLine(message),
        fix: FIX,
        details: details(env),
      },
    };
  }
  const url = bindingValue(env, AZURE_KUBERNETES_TOKEN_PROXY);
  const sniName = bindingValue(env, AZURE_KUBERNETES_SNI_NAME);
  const caFile = bindingValue(env, AZURE_KUBERNETES_CA_FILE);
  const parts = [
    url === undefined
      ? `no ${AZURE_KUBERNETES_TOKEN_PROXY}`
      : `${AZURE_KUBERNETES_TOKEN_PROXY} ${redactUrl(url)}`,
    sniName === undefined
      ? `no ${AZURE_KUBERNETES_SNI_NAME} (the URL's host is the server name)`
      : `${AZURE_KUBERNETES_SNI_NAME} ${oneLine(sniName)}`,
    caFile !== undefined
      ? `${AZURE_KUBERNETES_CA_FILE} ${oneLine(caFile)}`
      : bindingValue(env, AZURE_KUBERNETES_CA_DATA) !== undefined
        ? `${AZURE_KUBERNETES_CA_DATA} (inline)`
        : `no CA variable (the system trust store)`,
  ];
  return {
    result: {
      id: "identity-binding",
      status: "pass",
      message: `an AKS identity-binding pod: ${parts.join(", ")}; the credential accepts them`,
      details: details(env),
    },
    // The credential refuses the other variables without the URL: with any of them set, it is here.
    ...(url === undefined ? {} : { proxy: { url, sniName } }),
  };
}

/** Which variables are set, and the values that are not secret (the URL redacted, never the CA's content). */
function details(env: Environment): Record<string, unknown> {
  const url = bindingValue(env, AZURE_KUBERNETES_TOKEN_PROXY);
  const sniName = bindingValue(env, AZURE_KUBERNETES_SNI_NAME);
  const caFile = bindingValue(env, AZURE_KUBERNETES_CA_FILE);
  return {
    variables: IDENTITY_BINDING_VARIABLES.filter((name) => bindingValue(env, name) !== undefined),
    ...(url === undefined ? {} : { tokenProxy: redactUrl(url) }),
    ...(sniName === undefined ? {} : { sniName }),
    ...(caFile === undefined ? {} : { caFile }),
  };
}

// The enableAzureProxy switch: in an identity-binding pod the application's credential must turn it on, or its
// token requests go to Entra directly, where AKS gives a bound identity no federated credential for this
// cluster's issuer (AADSTS700211, a message that names neither the switch nor the proxy).
import { redactUrl } from "../../lib/redact-url.js";
import { AZURE_KUBERNETES_TOKEN_PROXY } from "../identity-binding.js";
import type { CheckResult } from "../types.js";

/**
 * A warning, every time the proxy variable is set: the doctor runs apart from the application and cannot see
 * whether its code passes the switch, and forgetting it is the one identity-binding mistake no other line
 * catches (the doctor's own exchange turns it on, so everything else passes). A pass mark would claim a check
 * that was not made; a warning leaves the exit code 0 and the verdict "works here", so a healthy binding pod
 * still reads as healthy, while the line stands out to the person who reads the report.
 */
export function checkEnableAzureProxy(proxyUrl: string): CheckResult {
  return {
    id: "enable-azure-proxy",
    status: "warn",
    message: `${AZURE_KUBERNETES_TOKEN_PROXY} is set: the application's credential must be made with enableAzureProxy: true, or its token requests skip the token proxy ${redactUrl(proxyUrl)} and go to Entra, which refuses them (AKS gives a bound identity no federated credential for this cluster's issuer); not checked: the doctor cannot see the application's code`,
    fix: "pass { enableAzureProxy: true } to WorkloadIdentityCredential, in @workload-identity/credential and in @azure/identity (4.14 or later) alike (with @azure/msal-node, createMsalNetworkClient({ enableAzureProxy: true })); the token exchange line below uses it",
    details: { tokenProxy: redactUrl(proxyUrl) },
  };
}

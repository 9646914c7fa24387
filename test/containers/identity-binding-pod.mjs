// AKS identity-binding pods for the container tests: the emulator in identity-binding mode, its projected volume
// mounted where the Workload Identity webhook v1.6 mounts it, and the variables the webhook injects there.
import { join, relative, sep } from "node:path";
import { createEmulator } from "@workload-identity/emulator";
import { webhookEnv } from "../../scripts/containers/pod-run.mjs";

/**
 * The webhook v1.6 mount: `token/azure-identity-token` (audience api://AKSIdentityBinding) and `ca-cert/ca.crt`
 * (the token proxy's CA) in one projected volume, one `..data` swap (Azure/azure-workload-identity, branch
 * feature/custom-token-endpoint, pkg/webhook/consts.go).
 */
export const BINDING_DIR = "/var/run/secrets/azure/wi";

/** The emulator in identity-binding mode, its volume written to `<workDir>/<name>-token`. */
export async function startBindingEmulator({ workDir, name, config = {} }) {
  const projectionDir = join(workDir, `${name}-token`);
  const emulator = await createEmulator({
    stateDir: join(workDir, `${name}-state`),
    projectionDir,
    config: { ...config, identityBinding: { caRotationSeconds: null, ...config.identityBinding } },
  });
  return { emulator, projectionDir };
}

/**
 * What the webhook injects into an identity-binding pod, pointed at the emulator: the four usual variables (the
 * token in the v1.6 volume), AZURE_KUBERNETES_TOKEN_PROXY, AZURE_KUBERNETES_SNI_NAME and AZURE_KUBERNETES_CA_FILE.
 * The file paths are the emulator's own, moved from its volume to the pod's mount.
 */
export function identityBindingEnv(emulator, projectionDir) {
  const inPod = (hostPath) => `${BINDING_DIR}/${relative(projectionDir, hostPath).split(sep).join("/")}`;
  const { AZURE_KUBERNETES_TOKEN_PROXY, AZURE_KUBERNETES_SNI_NAME, AZURE_KUBERNETES_CA_FILE } = emulator.env;
  if (!AZURE_KUBERNETES_TOKEN_PROXY || !AZURE_KUBERNETES_CA_FILE) {
    throw new Error("the emulator is not in identity-binding mode");
  }
  return {
    ...webhookEnv(emulator),
    AZURE_FEDERATED_TOKEN_FILE: inPod(emulator.env.AZURE_FEDERATED_TOKEN_FILE),
    AZURE_KUBERNETES_TOKEN_PROXY,
    AZURE_KUBERNETES_SNI_NAME,
    AZURE_KUBERNETES_CA_FILE: inPod(AZURE_KUBERNETES_CA_FILE),
  };
}

/** Token requests the proxy answered, and every token request Entra saw (a proxied one is counted at both). */
export function proxyCounts(emulator) {
  return {
    proxyOk: emulator.stats.count({ endpoint: "token-proxy", status: 200 }),
    proxyAll: emulator.stats.count({ endpoint: "token-proxy" }),
    entra: emulator.stats.count({ endpoint: "token" }),
  };
}

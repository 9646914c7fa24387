// Key Vault quickstart: get a secret with WorkloadIdentityCredential every POLL_INTERVAL_SECONDS (60),
// logging msal-go's lines in klog format; exit 1 when a get fails, 0 on SIGTERM or SIGINT.
import { setTimeout as sleep } from "node:timers/promises";
import { SecretClient } from "@azure/keyvault-secrets";
import { WorkloadIdentityCredential } from "@workload-identity/credential";
import { createKlog } from "@workload-identity/klog";
import { isLoopbackUrl, readConfig } from "./config.js";

const log = createKlog();

async function main(): Promise<void> {
  const result = readConfig(process.env);
  if (!result.ok) {
    log.fatal(
      result.problem,
      "name",
      result.name,
      ...(result.value === undefined ? [] : ["value", result.value]),
    );
    process.exit(1);
  }
  const { vaultUrl, secretName, pollIntervalMs, enableAzureProxy } = result.config;

  // Node as PID 1 has no default signal handlers: without these a pod waits 30 s to be killed.
  const stop = new AbortController();
  const stopping = () => stop.signal.aborted;
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.once(signal, () => {
      stop.abort();
    });
  }

  // enableAzureProxy: on in an AKS identity-binding pod (config.ts says why the pod, not the image, decides).
  const client = new SecretClient(vaultUrl, new WorkloadIdentityCredential({ enableAzureProxy }), {
    disableChallengeResourceVerification: isLoopbackUrl(vaultUrl),
  });

  while (!stop.signal.aborted) {
    try {
      const secret = await client.getSecret(secretName, { abortSignal: stop.signal });
      // Printing the value is msal-go's documented contract (`kubectl logs` shows it); nothing else prints secrets.
      log.info("successfully got secret", "secret", secret.value);
    } catch (error) {
      if (stopping()) break;
      log.error(error, "failed to get secret from keyvault", "keyvault", vaultUrl, "secretName", secretName);
      process.exit(1);
    }
    await sleep(pollIntervalMs, undefined, { signal: stop.signal }).catch(() => undefined);
  }
  process.exit(0);
}

void main();

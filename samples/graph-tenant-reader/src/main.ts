// Graph tenant reader: reads /v1.0/organization with WorkloadIdentityCredential every POLL_INTERVAL_SECONDS,
// logs it in klog format and serves it on PORT (a failed read as its code only); exits 0 on SIGTERM or SIGINT.
import { once } from "node:events";
import { setTimeout as sleep } from "node:timers/promises";
import { WorkloadIdentityCredential } from "@workload-identity/credential";
import { createKlog } from "@workload-identity/klog";
import { readConfig } from "./config.js";
import { createGraphReader, hintFor, readTenant } from "./organization.js";
import { readErrorCode } from "./read-failure.js";
import { createReaderServer, type ReaderState } from "./server.js";

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
  const { graphEndpoint, port, pollIntervalMs } = result.config;
  // enableAzureProxy: on in an AKS identity-binding pod (config.ts says why the pod, not the image, decides).
  const credential = new WorkloadIdentityCredential({ enableAzureProxy: result.config.enableAzureProxy });
  const graph = createGraphReader(credential, result.config);
  const state: ReaderState = { tenant: undefined, lastReadAt: undefined, lastErrorCode: undefined };

  const server = createReaderServer(() => state);
  // Node as PID 1 has no default signal handlers: without these a pod waits 30 s to be killed.
  const stop = new AbortController();
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.once(signal, () => {
      stop.abort();
      server.close();
      server.closeAllConnections();
    });
  }

  server.listen(port);
  await once(server, "listening");
  log.info("serving", "port", port);

  while (!stop.signal.aborted) {
    try {
      state.tenant = await readTenant(graph);
      state.lastReadAt = new Date();
      state.lastErrorCode = undefined;
      log.info("read tenant", "displayName", state.tenant.displayName, "id", state.tenant.id);
    } catch (error) {
      // The page and the API show the code; the message, which names the identity, stays in the log.
      state.lastErrorCode = readErrorCode(error);
      const hint = hintFor(error);
      log.error(
        error,
        "failed to read the organization from Microsoft Graph",
        "code",
        state.lastErrorCode,
        "graphEndpoint",
        graphEndpoint,
        ...(hint ? ["hint", hint] : []),
      );
    }
    await sleep(pollIntervalMs, undefined, { signal: stop.signal }).catch(() => undefined);
  }
  process.exit(0);
}

void main();

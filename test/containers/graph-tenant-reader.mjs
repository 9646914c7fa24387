// The Graph tenant reader's image, run as a pod against the emulator: the log line, its HTTP side, SIGTERM.
import assert from "node:assert/strict";
import { join } from "node:path";
import { createEmulator } from "@workload-identity/emulator";
import { startPod, webhookEnv } from "../../scripts/containers/pod-run.mjs";
import { checkCleanStop } from "./clean-stop.mjs";
import { freePort, httpGet } from "./http-get.mjs";

const READ = /^I\d{4} [\d:.]+\s+1 main\.js:\d+\] "read tenant" displayName="([^"]*)" id="([^"]*)"$/m;

export async function graphTenantReaderChecks({ check, needs, image, workDir, measured }) {
  const projectionDir = join(workDir, "graph-tenant-reader-token");
  const emulator = await createEmulator({
    stateDir: join(workDir, "graph-tenant-reader-state"),
    projectionDir,
  });
  const tenant = emulator.config.tenants[0];
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const startedAt = Date.now();
  const pod = image
    ? startPod({
        image,
        name: `workload-identity-test-graph-tenant-reader-${process.pid}`,
        projectionDir,
        caCertPath: emulator.caCertPath,
        env: {
          ...webhookEnv(emulator),
          GRAPH_ENDPOINT: emulator.env.GRAPH_ENDPOINT,
          PORT: String(port),
          POLL_INTERVAL_SECONDS: "1",
        },
      })
    : undefined;
  try {
    await check(
      'graph-tenant-reader: logs `"read tenant"` with the tenant\'s name and id, as pid 1, user 65532, read-only root',
      async () => {
        const [, displayName, id] = await pod.waitFor(READ, 60_000);
        measured.firstSuccessMs = Date.now() - startedAt;
        assert.equal(id, tenant.id);
        assert.equal(displayName, tenant.displayName);
      },
      { needs },
    );
    await check(
      "graph-tenant-reader: serves /readyz, /healthz and the tenant at /api/organization on PORT",
      async () => {
        assert.equal((await httpGet(`${base}/readyz`)).status, 200);
        assert.equal((await httpGet(`${base}/healthz`)).status, 200);
        const organization = await httpGet(`${base}/api/organization`);
        assert.equal(organization.status, 200);
        assert.deepEqual((({ id, displayName }) => ({ id, displayName }))(JSON.parse(organization.body)), {
          id: tenant.id,
          displayName: tenant.displayName,
        });
        assert.ok(emulator.stats.count({ endpoint: "graph", status: 200 }) >= 1);
      },
      { needs },
    );
    await checkCleanStop({ check, needs, pod, target: "graph-tenant-reader", measured });
  } finally {
    await pod?.remove();
    await emulator.close();
  }
}

// The checks every long-running image ends with: its memory in use, then a clean exit soon after SIGTERM.
import assert from "node:assert/strict";

export async function checkCleanStop({ check, needs, pod, target, measured }) {
  if (pod?.running()) measured.memory = await pod.memoryUsage();
  await check(
    `${target}: exits 0 within 5 s of SIGTERM (podman stop --time 10)`,
    async () => {
      const { code, ms } = await pod.stop(10);
      measured.stopMs = ms;
      assert.equal(code, 0, `exit code ${code}`);
      assert.ok(ms < 5_000, `took ${ms} ms`);
    },
    { needs },
  );
}

// Workload: many concurrent calls on a credential that has no token yet. The parent counts the token
// requests the emulator saw; this reports how the calls ended.
import { performance } from "node:perf_hooks";
import { describeError } from "../probes/report.cjs";

/**
 * @param {{ getToken(scope: string): Promise<unknown> }} credential
 * @param {{ scope: string, calls: number }} params
 */
export async function run(credential, { scope, calls }) {
  const startedAt = performance.now();
  const settled = await Promise.allSettled(Array.from({ length: calls }, () => credential.getToken(scope)));
  const failures = settled.filter((s) => s.status === "rejected");
  return {
    calls,
    failed: failures.length,
    elapsedMs: performance.now() - startedAt,
    firstError: failures[0] === undefined ? undefined : describeError(failures[0].reason),
  };
}

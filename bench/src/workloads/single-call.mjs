// Workload: one getToken on a fresh credential, timed from the call to its outcome (for the fault cases),
// and from the process's start (ours loads msal-node on that first call, the others at import).
import { performance } from "node:perf_hooks";
import { describeError } from "../probes/report.cjs";

/**
 * @param {{ getToken(scope: string): Promise<unknown> }} credential
 * @param {{ scope: string }} params
 */
export async function run(credential, { scope }) {
  const startedAt = performance.now();
  try {
    await credential.getToken(scope);
    return { ok: true, elapsedMs: performance.now() - startedAt, sinceProcessStartMs: performance.now() };
  } catch (error) {
    return {
      ok: false,
      elapsedMs: performance.now() - startedAt,
      sinceProcessStartMs: performance.now(),
      error: describeError(error),
    };
  }
}

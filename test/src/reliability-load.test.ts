// Reliability under load: 20 simulated pods x 1,000 getToken calls per second for 60 s (LOAD_SECONDS) across two
// scopes, 300-second access tokens, the projected token rotating, 5% of token requests answered 503 and one
// 20-second outage. Zero failed calls; token requests within ceil(60 / 150) + 1 per pod and scope plus the
// retries the injected faults explain; heap, timers and sockets back to their baseline afterwards.
import { join } from "node:path";
import { runNode } from "./support/child-process.js";
import { startTrustedEmulator } from "./support/trusted-emulator.js";

const seconds = Number(process.env.LOAD_SECONDS ?? "60");
const PODS = 20;
const SCOPES = 2;
const ACCESS_TOKEN_SECONDS = 300;

interface Snapshot {
  heapUsed: number;
  resources: Record<string, number>;
}
interface LoadReport {
  calls: number;
  failures: number;
  failureSamples: string[];
  elapsedMs: number;
  callsPerSecond: number;
  before: Snapshot;
  after: Snapshot;
}

it(
  `serves ${PODS} pods x 1,000 calls/s for ${seconds} s through rotation, 5% 503s and an outage, with no failure and no leak`,
  async () => {
    const emulator = await startTrustedEmulator({
      serviceAccount: { lifetimeSeconds: 20, rotateAtFraction: 0.8 },
      entra: { accessTokenLifetimeSeconds: ACCESS_TOKEN_SECONDS },
    });
    try {
      emulator.faults.add(
        { endpoint: "token", status: 503, percent: 5 },
        // The outage starts once the run is under way (after ~5 s of warm-up and baseline).
        { endpoint: "token", status: 503, startAfterMs: 10_000, durationMs: 20_000 },
      );
      const result = await runNode(
        ["--expose-gc", join(__dirname, "fixtures", "load-run.mjs")],
        { ...emulator.env, LOAD_SECONDS: String(seconds) },
        (seconds + 60) * 1000,
      );
      expect(result.stderr).toBe("");
      const report = JSON.parse(result.stdout) as LoadReport;
      const ok = emulator.stats.count({ endpoint: "token", status: 200 });
      const faulted = emulator.stats.count({ endpoint: "token", status: 503 });
      const allowed = PODS * SCOPES * (Math.ceil(seconds / (ACCESS_TOKEN_SECONDS / 2)) + 1);
      const { before, after } = report;
      console.log(
        `load: ${report.calls} calls at ${report.callsPerSecond}/s, ${report.failures} failed; token requests ${ok} ok (at most ${allowed}) + ${faulted} answered 503; ` +
          `heap ${(before.heapUsed / 1e6).toFixed(1)} -> ${(after.heapUsed / 1e6).toFixed(1)} MB; resources ${JSON.stringify(before.resources)} -> ${JSON.stringify(after.resources)}; ` +
          `${emulator.projection.rotations} projected tokens`,
      );

      expect(report.failureSamples).toEqual([]);
      expect(report.failures).toBe(0);
      expect(ok).toBeLessThanOrEqual(allowed);
      // Every other token request is one the faults answered: nothing unexplained.
      expect(emulator.stats.count({ endpoint: "token" })).toBe(ok + faulted);
      // No leak: heap within 8 MB of the warmed-up baseline, no extra timers, at most 2 extra sockets.
      expect(after.heapUsed - before.heapUsed).toBeLessThan(8 * 1024 * 1024);
      expect(after.resources.Timeout ?? 0).toBeLessThanOrEqual(before.resources.Timeout ?? 0);
      expect((after.resources.TCPSocketWrap ?? 0) + (after.resources.TLSWrap ?? 0)).toBeLessThanOrEqual(
        (before.resources.TCPSocketWrap ?? 0) + (before.resources.TLSWrap ?? 0) + 2,
      );
      expect(emulator.projection.rotations).toBeGreaterThanOrEqual(Math.floor(seconds / 16));
    } finally {
      await emulator.close();
    }
  },
  (seconds + 90) * 1000,
);

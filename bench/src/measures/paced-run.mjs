// Runs the paced-calls workload for every implementation at once, each against its own fresh emulator (its
// own faults and counters), and collects each one's summary with the token requests its emulator saw.
import { setInterval, clearInterval } from "node:timers";
import { IMPLEMENTATIONS, SCOPE } from "../lib/constants.mjs";
import { runProbe } from "../lib/child-process.mjs";
import { srcPath } from "../lib/paths.mjs";
import { progress } from "../lib/progress.mjs";

/**
 * @param {{
 *   name: string,
 *   emulators: import("../lib/emulators.mjs").Emulators,
 *   config: import("@workload-identity/emulator").EmulatorConfigInput,
 *   intervalMs: number,
 *   durationMs: number,
 *   countFailuresAfterMs?: number,
 *   onReady?: (emulator: import("@workload-identity/emulator").Emulator) => void,
 * }} scenario
 * @returns {Promise<Record<string, any>>} by implementation id
 */
export async function pacedRun({
  name,
  emulators,
  config,
  intervalMs,
  durationMs,
  countFailuresAfterMs,
  onReady,
}) {
  const params = JSON.stringify({ scope: SCOPE, intervalMs, durationMs, countFailuresAfterMs });
  const startedAt = Date.now();
  const ticker = setInterval(() => {
    progress(`${name}: ${Math.round((Date.now() - startedAt) / 1000)} of ${Math.round(durationMs / 1000)} s`);
  }, 30_000);
  ticker.unref();
  try {
    const entries = await Promise.all(
      IMPLEMENTATIONS.map(async ({ id }) => {
        const emulator = await emulators.start(config);
        try {
          const result = await runProbe(
            srcPath("probes/workload.mjs"),
            [id, "paced-calls", params],
            emulator.env,
            {
              timeoutMs: durationMs + 180_000,
              onMessage: (message) => {
                if (message.type === "ready") onReady?.(emulator);
              },
            },
          );
          return [
            id,
            {
              ...result,
              tokenRequests: emulator.stats.count({ endpoint: "token" }),
              tokenRequestsOk: emulator.stats.count({ endpoint: "token", status: 200 }),
              rotations: emulator.projection.rotations,
            },
          ];
        } finally {
          await emulators.stop(emulator);
        }
      }),
    );
    return Object.fromEntries(entries);
  } finally {
    clearInterval(ticker);
  }
}

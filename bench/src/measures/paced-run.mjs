// Runs the paced-calls workload for every implementation at once, each against its own fresh emulator (its
// own faults and counters), and collects each one's summary with the token requests its emulator saw (and, in
// identity-binding mode, the proxy's requests and CA rotations).
import { setInterval, clearInterval } from "node:timers";
import { DEFAULT_ADAPTERS, SCOPE } from "../lib/constants.mjs";
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
 *   adapters?: readonly import("../lib/constants.mjs").Adapter[],
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
  adapters = DEFAULT_ADAPTERS,
}) {
  const params = JSON.stringify({ scope: SCOPE, intervalMs, durationMs, countFailuresAfterMs });
  const startedAt = Date.now();
  const ticker = setInterval(() => {
    progress(`${name}: ${Math.round((Date.now() - startedAt) / 1000)} of ${Math.round(durationMs / 1000)} s`);
  }, 30_000);
  ticker.unref();
  try {
    const entries = await Promise.all(
      adapters.map(async ({ id, adapter }) => {
        const emulator = await emulators.start(config);
        try {
          const result = await runProbe(
            srcPath("probes/workload.mjs"),
            [adapter, "paced-calls", params],
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
              ...(emulator.identityBinding && {
                proxyRequests: emulator.stats.count({ endpoint: "token-proxy" }),
                proxyRequestsOk: emulator.stats.count({ endpoint: "token-proxy", status: 200 }),
                caRotations: emulator.identityBinding.caRotations,
              }),
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

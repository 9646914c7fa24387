// Measurement 9a: AKS identity bindings, the short part. Ours and @azure/identity, each with enableAzureProxy, in
// fresh processes against an emulator whose token proxy (a CA of its own, a certificate for the SNI name only)
// stands between the pod and Entra: process start to first token, cached getToken throughput, and the proxy's
// token requests for a cold burst. The CA-rotation soak is ./identity-binding-soak.mjs.
import { BINDING_ADAPTERS } from "../lib/constants.mjs";
import { progress } from "../lib/progress.mjs";
import { median } from "../lib/stats.mjs";
import { formatMs } from "../report/format.mjs";
import { coldBurstRow, coldBurstRuns } from "./cold-burst.mjs";
import { FORMATS, firstTokenRound, firstTokenRow } from "./first-token.mjs";
import { throughputRow, throughputRuns } from "./throughput.mjs";

export const SECTION = "Identity bindings (token proxy)";

/** No scheduled CA swap: one in the middle of a timed run would be noise here (the soak has them). */
const CONFIG = { identityBinding: { caRotationSeconds: null } };

/**
 * @param {{
 *   options: import("../cli/options.mjs").Options,
 *   emulators: import("../lib/emulators.mjs").Emulators,
 * }} context
 */
export async function measureIdentityBinding({ options, emulators }) {
  const emulator = await emulators.start(CONFIG);
  try {
    const { env } = emulator;
    const rows = [];
    /** @type {Record<string, Record<string, any[]>>} */
    const firstToken = {};
    for (const format of FORMATS) {
      /** @type {Record<string, any[]>} */
      const runs = Object.fromEntries(BINDING_ADAPTERS.map(({ id }) => [id, []]));
      for (let round = 1; round <= options.rounds; round += 1) {
        progress(`identity binding, first token (${format.label}): round ${round}/${options.rounds}`);
        await firstTokenRound(format, env, BINDING_ADAPTERS, runs);
      }
      rows.push(firstTokenRow(SECTION, format, runs));
      firstToken[format.id] = runs;
    }

    const throughput = await throughputRuns(
      options,
      env,
      BINDING_ADAPTERS,
      "identity binding, cached getToken throughput",
    );
    const callers = options.throughput.concurrency;
    rows.push(throughputRow(SECTION, throughput, "sequential", callers));
    rows.push(throughputRow(SECTION, throughput, "concurrent", callers));

    const { calls } = options.coldBurst;
    const burst = await coldBurstRuns(
      options,
      env,
      emulator,
      BINDING_ADAPTERS,
      ["token-proxy", "token-proxy-metadata", "token"],
      `identity binding, ${calls} concurrent cold calls`,
    );
    rows.push(
      coldBurstRow(SECTION, `proxy token requests for ${calls} concurrent cold calls`, burst, "token-proxy"),
    );

    /** @param {string} endpoint */
    const perImplementation = (endpoint) =>
      BINDING_ADAPTERS.map(
        ({ id, label }) => `${label} ${String(median((burst[id] ?? []).map((r) => r.requests[endpoint])))}`,
      ).join(", ");
    return {
      rows,
      notes: [
        `Identity bindings: each adapter is constructed with \`enableAzureProxy: true\` (@azure/identity also with \`disableInstanceDiscovery: true\`) in a pod environment that has AZURE_KUBERNETES_TOKEN_PROXY, _SNI_NAME and _CA_FILE; msal-node alone has no such switch. Besides the token requests, the cold burst sent the proxy these metadata GETs (median per process): ${perImplementation("token-proxy-metadata")}; Entra's token endpoint behind the proxy counted ${perImplementation("token")} token requests. The ${calls} calls settled in (median): ${BINDING_ADAPTERS.map(({ id, label }) => `${label} ${formatMs(median((burst[id] ?? []).map((r) => r.elapsedMs)))}`).join(", ")}.`,
      ],
      raw: { firstToken, throughput, coldBurst: burst },
    };
  } finally {
    await emulators.stop(emulator);
  }
}

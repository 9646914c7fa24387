// Measurement 9b: AKS identity bindings, the CA-rotation soak. Ours and @azure/identity (enableAzureProxy), each
// against its own emulator whose token proxy hard-swaps its CA every 5 s, access tokens of 30 s, one call per
// second for 60 s (all scaled with --quick): failed calls, the proxy's token requests, what a call costs.
import { BINDING_ADAPTERS } from "../lib/constants.mjs";
import { formatMicros } from "../report/format.mjs";
import { cell, row } from "../report/row.mjs";
import { SECTION } from "./identity-binding.mjs";
import { describeErrors } from "./outage.mjs";
import { pacedRun } from "./paced-run.mjs";

/**
 * @param {{ options: import("../cli/options.mjs").Options, emulators: import("../lib/emulators.mjs").Emulators }} context
 */
export async function measureIdentityBindingSoak({ options, emulators }) {
  const { to, of } = options.identityBinding.soakScale;
  const s = (/** @type {number} */ value) => (value * to) / of;
  const durationSeconds = s(60);
  const accessTokenSeconds = s(30);
  const caSeconds = s(5);
  const runs = await pacedRun({
    name: "identity-binding CA rotation soak",
    emulators,
    adapters: BINDING_ADAPTERS,
    config: {
      entra: { accessTokenLifetimeSeconds: accessTokenSeconds },
      identityBinding: { caRotationSeconds: caSeconds },
    },
    intervalMs: s(1000),
    durationMs: durationSeconds * 1000,
  });
  const scaled = to === of ? "" : ` (scaled ×${to}/${of})`;

  const failed = row(
    SECTION,
    `CA rotation soak${scaled}: failed calls (CA swapped every ${caSeconds} s, access token ${accessTokenSeconds} s, ${durationSeconds} s)`,
    (id) => {
      const r = runs[id];
      return r && cell(r.failed, `${r.failed} of ${r.calls}${describeErrors(r.errors)}`);
    },
  );
  const requests = row(SECTION, `CA rotation soak${scaled}: proxy token requests`, (id) => {
    const r = runs[id];
    if (r === undefined) return undefined;
    const refused = r.proxyRequests - r.proxyRequestsOk;
    return cell(r.proxyRequests, `${r.proxyRequests}${refused > 0 ? ` (${refused} not answered 200)` : ""}`);
  });
  const median = row(SECTION, `CA rotation soak${scaled}: median call`, (id) => {
    const r = runs[id];
    return r && cell(r.medianCallMs, formatMicros(r.medianCallMs * 1000));
  });
  const slowest = row(SECTION, `CA rotation soak${scaled}: slowest call after the first`, (id) => {
    const r = runs[id];
    return r && cell(r.slowestCallAfterFirstMs, formatMicros(r.slowestCallAfterFirstMs * 1000));
  });
  // caRotations counts the CA made at start too.
  const swaps = BINDING_ADAPTERS.map(
    ({ id, label }) => `${label}: ${String((runs[id]?.caRotations ?? 1) - 1)}`,
  ).join(", ");
  return {
    rows: [failed, requests, median, slowest],
    notes: [
      `CA rotation soak: a call every ${Math.round(s(1000))} ms, each implementation against its own emulator, whose proxy CA was swapped (a new key, no overlap) during the run (${swaps}). The first call, also the first exchange, is left out of "slowest call".${
        to === of
          ? ""
          : ` Scaled ×${to}/${of} (--quick): access tokens of ${accessTokenSeconds} s, the CA swapped every ${caSeconds} s, ${durationSeconds} s; MSAL's 5-minute expiry margin and ours' 5-second one are not scaled.`
      }`,
    ],
    raw: runs,
  };
}

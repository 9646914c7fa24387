// Measurement 6: a short-lived-token soak. Service-account tokens of 60 s rotated at 80% by the emulator's
// kubelet, access tokens of 90 s, one call per second for 3 minutes (all scaled with --quick).
import { cell, row } from "../report/row.mjs";
import { atMost, exactly } from "../report/targets.mjs";
import { describeErrors } from "./outage.mjs";
import { pacedRun } from "./paced-run.mjs";

/**
 * @param {{ options: import("../cli/options.mjs").Options, emulators: import("../lib/emulators.mjs").Emulators }} context
 */
export async function measureSoak({ options, emulators }) {
  const { to, of } = options.soak.scale;
  const s = (/** @type {number} */ value) => (value * to) / of;
  const durationSeconds = s(180);
  const accessTokenSeconds = s(90);
  const runs = await pacedRun({
    name: "short-lived-token soak",
    emulators,
    config: {
      serviceAccount: { lifetimeSeconds: s(60), rotateAtFraction: 0.8 },
      entra: { accessTokenLifetimeSeconds: accessTokenSeconds },
    },
    intervalMs: s(1000),
    durationMs: durationSeconds * 1000,
  });
  const scaled = to === of ? "" : ` (scaled ×${to}/${of})`;
  const section = `Short-lived-token soak${scaled}`;

  const failed = row(
    section,
    `failed calls (SA token ${s(60)} s, access token ${accessTokenSeconds} s, ${durationSeconds} s)`,
    (id) => {
      const r = runs[id];
      return r && cell(r.failed, `${r.failed} of ${r.calls}${describeErrors(r.errors)}`);
    },
  );
  failed.target = exactly(failed, 0, "0 failed calls");
  failed.raw = runs;
  // One request per half access-token lifetime: the first at t = 0, then one per half-life.
  const allowed = Math.ceil(durationSeconds / (accessTokenSeconds / 2));
  const requests = row(section, "token requests", (id) => {
    const r = runs[id];
    return r && cell(r.tokenRequests, String(r.tokenRequests));
  });
  requests.target = atMost(requests, allowed, `≤ ${allowed} (one per half access-token lifetime)`);
  return {
    rows: [failed, requests],
    notes:
      to === of
        ? []
        : [
            `Soak scaled ×${to}/${of} (--quick): service-account tokens of ${s(60)} s, access tokens of ${accessTokenSeconds} s, a call every ${Math.round(s(1000))} ms for ${durationSeconds} s.`,
          ],
  };
}

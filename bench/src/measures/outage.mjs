// Measurement 5b: an Entra outage while tokens are in their refresh window. Access tokens of 240 s; token
// requests answered 503 from t = 100 s to t = 220 s; one call per second for 240 s (all scaled with --quick).
import { formatMs } from "../report/format.mjs";
import { cell, row } from "../report/row.mjs";
import { exactly } from "../report/targets.mjs";
import { pacedRun } from "./paced-run.mjs";

/**
 * @param {{ options: import("../cli/options.mjs").Options, emulators: import("../lib/emulators.mjs").Emulators }} context
 */
export async function measureOutage({ options, emulators }) {
  const { to, of } = options.outage.scale;
  const s = (/** @type {number} */ value) => (value * to) / of;
  const runs = await pacedRun({
    name: "Entra outage",
    emulators,
    config: { entra: { accessTokenLifetimeSeconds: s(240) } },
    intervalMs: s(1000),
    durationMs: s(240_000),
    countFailuresAfterMs: s(220_000),
    onReady: (emulator) => {
      emulator.faults.add({
        endpoint: "token",
        status: 503,
        startAfterMs: s(100_000),
        durationMs: s(120_000),
      });
    },
  });
  const scaled = to === of ? "" : ` (scaled ×${to}/${of})`;
  const section = `Entra outage${scaled}`;
  const t = (/** @type {number} */ seconds) => formatMs(s(seconds * 1000));

  const failed = row(
    section,
    `failed calls (503 from t = ${t(100)} to ${t(220)}, one call per ${t(1)})`,
    (id) => {
      const r = runs[id];
      return r && cell(r.failed, `${r.failed} of ${r.calls}${describeErrors(r.errors)}`);
    },
  );
  failed.target = exactly(failed, 0, "0 failed calls");
  failed.raw = runs;
  const after = row(section, `failed calls after Entra recovered (t ≥ ${t(220)})`, (id) => {
    const r = runs[id];
    return r && cell(r.failedAfter, String(r.failedAfter));
  });
  after.target = exactly(after, 0, "0");
  const requests = row(section, "token requests (answered 200 / all)", (id) => {
    const r = runs[id];
    return r && cell(r.tokenRequests, `${r.tokenRequestsOk} / ${r.tokenRequests}`);
  });
  const slowest = row(section, "slowest call", (id) => {
    const r = runs[id];
    return r && cell(r.slowestCallMs, formatMs(r.slowestCallMs));
  });
  return {
    rows: [failed, after, requests, slowest],
    notes:
      to === of
        ? []
        : [
            `Entra outage scaled ×${to}/${of} (--quick): access tokens of ${s(240)} s, 503 from ${s(100)} s to ${s(220)} s, a call every ${s(1000)} ms for ${s(240)} s. The credentials' own thresholds (5-minute expiry margins, backoff caps) are not scaled, so these numbers are not comparable with a full run.`,
          ],
  };
}

/** @param {Record<string, number>} errors */
export function describeErrors(errors) {
  const entries = Object.entries(errors ?? {});
  return entries.length === 0 ? "" : ` (${entries.map(([code, n]) => `${code} ×${n}`).join(", ")})`;
}

// Number formatting for the table: units that read at a glance, never more digits than the noise allows.

/** @param {number | undefined} ms */
export function formatMs(ms) {
  if (ms === undefined || !Number.isFinite(ms)) return "-";
  if (ms >= 10_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  return `${ms >= 100 ? Math.round(ms) : ms.toFixed(1)} ms`;
}

/** @param {number | undefined} bytes */
export function formatMiB(bytes) {
  return bytes === undefined || !Number.isFinite(bytes) ? "-" : `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}

/** @param {number | undefined} bytes */
export function formatMB(bytes) {
  return bytes === undefined || !Number.isFinite(bytes) ? "-" : `${(bytes / 1e6).toFixed(1)} MB`;
}

/** @param {number | undefined} perSecond */
export function formatRate(perSecond) {
  if (perSecond === undefined || !Number.isFinite(perSecond)) return "-";
  return `${Math.round(perSecond).toLocaleString("en-US")}/s`;
}

/** @param {number | undefined} micros */
export function formatMicros(micros) {
  if (micros === undefined || !Number.isFinite(micros)) return "-";
  return micros >= 1000
    ? formatMs(micros / 1000)
    : `${micros >= 10 ? Math.round(micros) : micros.toFixed(2)} µs`;
}

/** A ratio as "0.12×" or "45×". @param {number | undefined} ratio */
export function formatRatio(ratio) {
  if (ratio === undefined || !Number.isFinite(ratio)) return "-";
  if (ratio === 0) return "0×";
  if (ratio >= 100) return `${Math.round(ratio)}×`;
  return `${ratio >= 10 ? ratio.toFixed(1) : ratio.toFixed(2)}×`;
}

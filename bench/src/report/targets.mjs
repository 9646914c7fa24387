// The targets, each judged on numbers from the same run. Undefined `met`: not measurable (a value
// missing), which the table shows as such rather than as met or missed.
import { ratioToOurs } from "./row.mjs";

/** @typedef {import("./row.mjs").Row} Row */
/** @typedef {import("./row.mjs").Target} Target */

/** @param {Row} r @param {number} limit @returns {Target} */
export function atMostTimesIdentity(r, limit) {
  const ratio = ratioToOurs(r, "identity");
  return { text: `≤ ${limit}× @azure/identity`, met: ratio === undefined ? undefined : ratio <= limit };
}

/** @param {Row} r @param {number} limit @returns {Target} */
export function atLeastTimesIdentity(r, limit) {
  const ratio = ratioToOurs(r, "identity");
  return { text: `≥ ${limit}× @azure/identity`, met: ratio === undefined ? undefined : ratio >= limit };
}

/** @param {Row} r @param {number} expected @param {string} [text] @returns {Target} */
export function exactly(r, expected, text = `exactly ${expected}`) {
  const ours = r.cells.ours?.value;
  return { text, met: ours === undefined ? undefined : ours === expected };
}

/** @param {Row} r @param {number} limit @param {string} text @returns {Target} */
export function atMost(r, limit, text) {
  const ours = r.cells.ours?.value;
  return { text, met: ours === undefined ? undefined : ours <= limit };
}

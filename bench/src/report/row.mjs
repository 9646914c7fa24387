// One line of the results table: a measurement's value for each implementation, and its target.
import { IMPLEMENTATIONS } from "../lib/constants.mjs";

/**
 * @typedef {{ value: number | undefined, text: string }} Cell
 * @typedef {{ text: string, met: boolean | undefined }} Target
 * @typedef {{
 *   section: string,
 *   measurement: string,
 *   cells: Record<string, Cell>,
 *   target?: Target,
 *   raw?: unknown,
 * }} Row
 */

/**
 * @param {number | undefined} value the number ratios are computed from
 * @param {string} text what the table shows
 * @returns {Cell}
 */
export function cell(value, text) {
  return { value, text };
}

/**
 * A row whose cells come from `perImplementation(id)`; ids without a value show "n/a".
 * @param {string} section
 * @param {string} measurement
 * @param {(id: string) => Cell | undefined} perImplementation
 * @returns {Row}
 */
export function row(section, measurement, perImplementation) {
  /** @type {Record<string, Cell>} */
  const cells = {};
  for (const { id } of IMPLEMENTATIONS) cells[id] = perImplementation(id) ?? cell(undefined, "n/a");
  return { section, measurement, cells };
}

/**
 * ours ÷ `other`, when both are numbers and the divisor is not zero (0 of 0 failures is no ratio).
 * @param {Row} r @param {string} other
 */
export function ratioToOurs(r, other) {
  const ours = r.cells.ours?.value;
  const theirs = r.cells[other]?.value;
  if (ours === undefined || theirs === undefined || !Number.isFinite(ours) || !Number.isFinite(theirs))
    return undefined;
  if (theirs === 0) return undefined;
  return ours / theirs;
}

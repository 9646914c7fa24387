// The results as Markdown: what was measured on, then one table with ratios and targets, then the notes.
import { IMPLEMENTATIONS } from "../lib/constants.mjs";
import { formatRatio } from "./format.mjs";
import { ratioToOurs } from "./row.mjs";

/** @param {import("./results.mjs").Results} results */
export function renderMarkdown(results) {
  const { machine, packages } = results;
  const alternatives = IMPLEMENTATIONS.filter(({ id }) => id !== "ours");
  const header = [
    "measurement",
    ...IMPLEMENTATIONS.map(({ label }) => label),
    ...alternatives.map(({ label }) => `ours ÷ ${label}`),
    "target",
    "met",
  ];
  const lines = [
    `Measured ${results.generatedAt} (${results.mode}, medians of ${results.rounds} rounds for the short measurements, one run of each long scenario) on ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, ${machine.os}, Node ${machine.node}${machine.git === undefined ? "" : `, repository at ${machine.git}`}.`,
    "",
    `Versions: ${Object.entries(packages)
      .map(([name, version]) => `${name} ${version}`)
      .join("; ")}.`,
    "",
  ];
  /** @type {string[][]} */
  const table = [];
  let section = "";
  for (const r of results.rows) {
    if (r.section !== section) {
      section = r.section;
      table.push([`**${section}**`, ...header.slice(1).map(() => "")]);
    }
    table.push([
      r.measurement,
      ...IMPLEMENTATIONS.map(({ id }) => r.cells[id]?.text ?? "n/a"),
      ...alternatives.map(({ id }) => formatRatio(ratioToOurs(r, id))),
      r.target?.text ?? "",
      r.target === undefined
        ? ""
        : r.target.met === undefined
          ? "not measured"
          : r.target.met
            ? "met"
            : "**missed**",
    ]);
  }
  lines.push(
    ...alignedTable(
      header,
      table.map((cells) => cells.map(escapeCell)),
    ),
  );
  if (results.notes.length > 0) lines.push("", ...results.notes.map((note) => `- ${note}`));
  for (const table of results.tables) lines.push("", ...renderTable(table));
  return `${lines.join("\n")}\n`;
}

/** A measurement's own table: its title, the table, its notes. @param {import("./results.mjs").Table} table */
function renderTable(table) {
  const header = ["phase", ...table.columns.map(({ label }) => label)];
  const body = table.rows.map((r) => [r.label, ...table.columns.map(({ id }) => r.cells[id]?.text ?? "-")]);
  return [
    `**${table.title}**`,
    "",
    ...alignedTable(
      header,
      body.map((cells) => cells.map(escapeCell)),
    ),
    ...(table.notes.length > 0 ? ["", ...table.notes.map((note) => `- ${note}`)] : []),
  ];
}

/**
 * A table padded as Prettier pads one: the first column left-aligned, the others right-aligned.
 * @param {string[]} header @param {string[][]} body
 */
function alignedTable(header, body) {
  const widths = header.map((h, i) => Math.max(3, width(h), ...body.map((cells) => width(cells[i] ?? ""))));
  const pad = (/** @type {string} */ text, /** @type {number} */ i) => {
    const gap = " ".repeat((widths[i] ?? 0) - width(text));
    return i === 0 ? text + gap : gap + text;
  };
  const line = (/** @type {string[]} */ cells) => `| ${cells.map(pad).join(" | ")} |`;
  const rule = widths.map((w, i) => (i === 0 ? "-".repeat(w) : `${"-".repeat(w - 1)}:`));
  return [line(header), `| ${rule.join(" | ")} |`, ...body.map(line)];
}

/** Display width: every character here is one column wide (no East Asian wide characters). */
function width(/** @type {string} */ text) {
  return [...text].length;
}

/** @param {string} text */
function escapeCell(text) {
  return text.replace(/\|/g, "\\|");
}

// JSON laid out the way Prettier lays it out (objects one key per line; arrays on one line when they fit,
// numbers packed, anything else one per line), so the committed results pass `prettier --check`.

const WIDTH = 110;
const INDENT = "  ";

/** @param {unknown} value */
export function jsonText(value) {
  return `${print(value, "", 0)}\n`;
}

/**
 * @param {unknown} value
 * @param {string} indent of the line the value starts on
 * @param {number} used columns already taken on that line before the value
 * @returns {string}
 */
function print(value, indent, used) {
  if (Array.isArray(value)) return printArray(value, indent, used);
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    if (entries.length === 0) return "{}";
    const inner = indent + INDENT;
    const lines = entries.map(([key, v], i) => {
      const head = `${inner}${JSON.stringify(key)}: `;
      const comma = i < entries.length - 1 ? "," : "";
      return `${head}${print(v, inner, head.length)}${comma}`;
    });
    return `{\n${lines.join("\n")}\n${indent}}`;
  }
  return JSON.stringify(value ?? null);
}

/** @param {unknown[]} items @param {string} indent @param {number} used */
function printArray(items, indent, used) {
  if (items.length === 0) return "[]";
  const inner = indent + INDENT;
  const isEmpty = (/** @type {unknown} */ v) =>
    v === null || typeof v !== "object" || Object.keys(v).length === 0;
  if (items.every(isEmpty)) {
    const flat = `[${items.map((v) => print(v, inner, 0)).join(", ")}]`;
    // +1: the comma that may follow the array on its line.
    if (used + flat.length + 1 <= WIDTH) return flat;
    if (items.length > 1 && items.every((v) => typeof v === "number")) return fill(items, indent);
  }
  // Prettier puts an array of objects, or one too long for its line, one element per line.
  return `[\n${items.map((v) => `${inner}${print(v, inner, inner.length)}`).join(",\n")}\n${indent}]`;
}

/** Numbers packed onto as few lines as fit. @param {unknown[]} items @param {string} indent */
function fill(items, indent) {
  const inner = indent + INDENT;
  const lines = [];
  let line = "";
  items.forEach((v, i) => {
    const text = `${JSON.stringify(v)}${i < items.length - 1 ? "," : ""}`;
    if (line === "") line = inner + text;
    else if (line.length + 1 + text.length <= WIDTH) line += ` ${text}`;
    else {
      lines.push(line);
      line = inner + text;
    }
  });
  lines.push(line);
  return `[\n${lines.join("\n")}\n${indent}]`;
}

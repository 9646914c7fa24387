// Values read from files or the environment, made safe to print on one line.

// eslint-disable-next-line no-control-regex -- control characters are exactly what is replaced
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f\u2028\u2029]/g;

/** Escapes control characters (a newline in a claim must not start a fake report line). */
export function oneLine(value: string): string {
  return value.replace(CONTROL_CHARACTERS, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** Any value as short, one-line text: strings as they are, everything else as JSON. */
export function show(value: unknown): string {
  if (typeof value === "string") return oneLine(value);
  if (value === undefined) return "(none)";
  return oneLine(JSON.stringify(value));
}

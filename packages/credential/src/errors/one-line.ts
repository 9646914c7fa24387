// Text from outside (claims, paths, another server's words) made safe to print on one line. The credential, the
// doctor and the IMDS proxy all use this one function.

// eslint-disable-next-line no-control-regex -- control characters are exactly what is replaced
const LINE_BREAKERS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

/**
 * Escapes control characters (C0, DEL, C1 with NEL) and the Unicode line and paragraph separators as `\uXXXX`, so a
 * value cannot start a forged log or report line, and a difference in them stays visible. Everything else is kept.
 */
export function oneLine(value: string): string {
  return value.replace(LINE_BREAKERS, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

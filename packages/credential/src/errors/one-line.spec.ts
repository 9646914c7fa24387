import { oneLine } from "./one-line.js";

// The one table of cases: the doctor and the IMDS proxy use this same function (their specs check that they do).
const CASES: [string, string, string][] = [
  ["a newline", "a\nb", "a\\u000ab"],
  ["a carriage return and line feed", "a\r\nb", "a\\u000d\\u000ab"],
  ["a tab", "a\tb", "a\\u0009b"],
  ["NUL and escape", "a\u0000\u001b[2Jb", "a\\u0000\\u001b[2Jb"],
  ["DEL", "a\u007fb", "a\\u007fb"],
  ["NEL and other C1 controls", "a\u0085b\u009bc", "a\\u0085b\\u009bc"],
  ["the line and paragraph separators", "a\u2028b\u2029c", "a\\u2028b\\u2029c"],
  ["leading and trailing line breaks, kept visible", "\nab\n", "\\u000aab\\u000a"],
  ["ordinary text", "system:serviceaccount:ns:sa ✔", "system:serviceaccount:ns:sa ✔"],
  ["spaces, quotes and backslashes", ` a 'b' "c" \\u000a `, ` a 'b' "c" \\u000a `],
  ["non-ASCII letters and emoji", "Zürich 東京 🔑", "Zürich 東京 🔑"],
  ["the empty string", "", ""],
];

describe("oneLine", () => {
  it.each(CASES)("escapes or keeps %s", (_, input, expected) => {
    expect(oneLine(input)).toBe(expected);
  });

  it("never leaves a character that starts a new line", () => {
    const everyBreaker =
      Array.from({ length: 0xa0 }, (_, i) => String.fromCharCode(i)).join("") + "\u2028\u2029";
    expect(oneLine(everyBreaker).split(/[\r\n\u0085\u2028\u2029]/)).toHaveLength(1);
  });
});

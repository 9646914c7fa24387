import { createKlog, formatLine } from "./klog.js";

const AT = new Date(2026, 10, 22, 20, 9, 25, 123);

describe("formatLine", () => {
  it("writes klog's header: severity, date, time with microseconds, padded pid, caller", () => {
    expect(formatLine("I", AT, 1, "main.js:63", "successfully got secret", ["secret", "Hello!"])).toBe(
      'I1122 20:09:25.123000       1 main.js:63] "successfully got secret" secret="Hello!"',
    );
  });

  it("quotes strings so that a value with quotes or newlines stays on one line", () => {
    const line = formatLine("E", AT, 42, "x.js:1", "failed", ["err", 'bad "thing"\nsecond line']);
    expect(line).toBe('E1122 20:09:25.123000      42 x.js:1] "failed" err="bad \\"thing\\"\\nsecond line"');
  });

  it("prints numbers and booleans bare, objects as JSON, and marks a key without value", () => {
    expect(formatLine("W", AT, 7, "a.js:2", "m", ["n", 3, "ok", true, "o", { a: 1 }, "dangling"])).toBe(
      'W1122 20:09:25.123000       7 a.js:2] "m" n=3 ok=true o={"a":1} dangling="(MISSING)"',
    );
  });
});

describe("createKlog", () => {
  it("names the file and line of the logging call, and puts the error first as err", () => {
    const lines: string[] = [];
    const log = createKlog({ write: (line) => lines.push(line), now: () => AT, pid: 9 });
    log.info("hello", "k", "v");
    log.error(
      new Error("boom"),
      "failed to get secret from keyvault",
      "keyvault",
      "https://v/",
      "secretName",
      "s",
    );
    log.fatal("missing", "name", "AZURE_CLIENT_ID");
    expect(lines[0]).toMatch(/^I1122 20:09:25\.123000 {7}9 klog\.spec\.ts:\d+\] "hello" k="v"\n$/);
    expect(lines[1]).toMatch(
      /^E1122 .*\] "failed to get secret from keyvault" err="boom" keyvault="https:\/\/v\/" secretName="s"\n$/,
    );
    expect(lines[2]).toMatch(/^F1122 .*\] "missing" name="AZURE_CLIENT_ID"\n$/);
  });
});

import { execFileSync } from "node:child_process";
import { CliUsageError, USAGE, formatExports, parseCliArgs, parseConfigJson } from "./cli-args.js";

/** Runs `script` in a real bash with X set to `exports`; no rc files, and stdin not a socket (bash would read ~/.bashrc). */
function bash(script: string, exports: string): string {
  return execFileSync("bash", ["--norc", "--noprofile", "-c", script], {
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", X: exports },
    stdio: ["ignore", "pipe", "pipe"],
    encoding: "utf8",
  });
}

/** Evaluates the export lines in bash and reads back the named variables, NUL-separated so newlines survive. */
function evalInBash(exports: string, names: string[]): string[] {
  const out = bash(`eval "$X"; for n in ${names.join(" ")}; do printf '%s\\0' "\${!n}"; done`, exports);
  return out.split("\0").slice(0, -1);
}

describe("parseCliArgs", () => {
  it("defaults to no help, export lines, and the state directory .emulator-state", () => {
    expect(parseCliArgs([])).toEqual({
      help: false,
      json: false,
      realHostnames: false,
      stateDir: ".emulator-state",
    });
  });

  it("reads every option", () => {
    expect(
      parseCliArgs([
        "--config",
        "emulator.json",
        "--state-dir",
        "/tmp/state",
        "--json",
        "--write-env",
        "/tmp/emulator.env",
        "--real-hostnames",
      ]),
    ).toEqual({
      help: false,
      json: true,
      realHostnames: true,
      configPath: "emulator.json",
      stateDir: "/tmp/state",
      writeEnv: "/tmp/emulator.env",
    });
  });

  it("accepts --option=value", () => {
    expect(parseCliArgs(["--config=a b.json", "--state-dir=s"])).toMatchObject({
      configPath: "a b.json",
      stateDir: "s",
    });
  });

  it("says in its help never to install the real-hostname CA in a trust store", () => {
    expect(USAGE).toMatch(/--real-hostnames[\s\S]*NEVER install it in a system trust store/);
  });

  it.each([["--help"], ["-h"]])("asks for help with %s", (flag) => {
    expect(parseCliArgs([flag]).help).toBe(true);
  });

  it("rejects an unknown option with a CliUsageError naming it", () => {
    expect(() => parseCliArgs(["--env-file", "x"])).toThrow(CliUsageError);
    expect(() => parseCliArgs(["--env-file", "x"])).toThrow(/--env-file/);
  });

  it("rejects a positional argument", () => {
    expect(() => parseCliArgs(["config.json"])).toThrow(CliUsageError);
  });

  it("names a positional argument's problem without repeating it: it may be a URL with a password", () => {
    const given = () => parseCliArgs(["--json", "https://admin:Sup3rS3cret@vault.example/"]);

    expect(given).toThrow(CliUsageError);
    expect(given).toThrow(
      "This command takes options only, and got 1 argument without one; pass files as --config FILE, --state-dir DIR or --write-env FILE.",
    );
    expect(given).not.toThrow(/Sup3rS3cret|admin/);
  });

  it("rejects an option that needs a value but has none", () => {
    expect(() => parseCliArgs(["--config"])).toThrow(CliUsageError);
  });

  it("rejects a value given to a boolean flag", () => {
    expect(() => parseCliArgs(["--json=yes"])).toThrow(CliUsageError);
  });

  it("documents every option it accepts", () => {
    for (const option of ["--config", "--state-dir", "--json", "--write-env", "--help", "-h"]) {
      expect(USAGE).toContain(option);
    }
  });
});

describe("parseConfigJson", () => {
  it("parses the configuration document", () => {
    expect(parseConfigJson('{"vaults": [{"secrets": {"db": "s3cr3t"}}]}', "emulator.json")).toEqual({
      vaults: [{ secrets: { db: "s3cr3t" } }],
    });
  });

  it.each([
    [
      "a value without quotes",
      '{\n  "vaults": [{"secrets": {"db": Sup3rS3cretValue}}]\n}',
      /^The configuration file emulator\.json is not valid JSON: Unexpected token at line 2, column 33\.$/,
    ],
    [
      "a comment",
      '{\n  "vaults": [{"secrets": {"db": "Sup3rS3cretValue"}}] // Sup3rS3cret\n}',
      /^The configuration file emulator\.json is not valid JSON: Expected ',' or '}' after property value at line 2, column 55\.$/,
    ],
    [
      "a missing comma",
      '{\n  "vaults": [{"secrets": {"db": "Sup3rS3cretValue" "other": "x"}}]\n}',
      /^The configuration file emulator\.json is not valid JSON: Expected ',' or '}' after property value at line 2, column 52\.$/,
    ],
    [
      "an unterminated string",
      '{"vaults": [{"secrets": {"db": "Sup3rS3cretValue',
      /^The configuration file emulator\.json is not valid JSON: (Unterminated string|Unexpected end).*\.$/,
    ],
  ])(
    "names the problem of %s by line and column, never quoting the text (it holds secrets)",
    (_case, text, message) => {
      const parse = () => parseConfigJson(text, "emulator.json");

      expect(parse).toThrow(CliUsageError);
      expect(parse).toThrow(message);
      expect(parse).not.toThrow(/Sup3r|S3cret/);
    },
  );
});

describe("formatExports", () => {
  it("writes one single-quoted export line per variable, in order", () => {
    expect(formatExports({ AZURE_CLIENT_ID: "abc", AZURE_TENANT_ID: "def" })).toBe(
      "export AZURE_CLIENT_ID='abc'\nexport AZURE_TENANT_ID='def'",
    );
  });

  it("writes nothing for no variables", () => {
    expect(formatExports({})).toBe("");
  });

  it("closes, escapes and reopens the quotes around a single quote", () => {
    expect(formatExports({ NAME: "it's" })).toBe("export NAME='it'\\''s'");
  });

  it("survives bash eval for a value with a single quote", () => {
    const exports = formatExports({ NAME: "it's" });

    expect(bash('eval "$X"; printf %s "$NAME"', exports)).toBe("it's");
  });

  it.each([
    ["several single quotes", "'a''b'"],
    ["a dollar sign and a command substitution", "$HOME $(echo pwned) `echo pwned`"],
    ["double quotes and backslashes", 'C:\\path\\"quoted"\\'],
    ["spaces, tabs and a newline", "a b\tc\nd"],
    ["glob and history characters", "*.pem ! ? [x] ~"],
    ["a semicolon and an ampersand", "x; echo pwned & y"],
    ["an empty value", ""],
    ["a file path", "/tmp/workload-identity-emulator-abc/serviceaccount-token/azure-identity-token"],
  ])("keeps %s intact through bash eval", (_what, value) => {
    expect(evalInBash(formatExports({ NAME: value }), ["NAME"])).toEqual([value]);
  });

  it("keeps several variables apart through bash eval", () => {
    const env = { A: "one'", B: "two\nlines", C: "$A" };

    expect(evalInBash(formatExports(env), ["A", "B", "C"])).toEqual(["one'", "two\nlines", "$A"]);
  });
});

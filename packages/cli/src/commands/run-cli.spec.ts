import { generateKeyPairSync } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { makeToken, tempDir } from "../test-support/tokens.js";
import { runCli } from "./run-cli.js";

const AZWI_KEY = join(__dirname, "..", "jwks", "fixtures", "azwi-public-key.pem");
const AZWI_KID = "2A3FPpix2keOV1SGPQiM0_wVemz4XOIgQyJJnpu5sPE";
let dir: string;
let remove: () => Promise<void>;

beforeEach(async () => {
  ({ dir, remove } = await tempDir("run-cli-"));
});
afterEach(() => remove());

async function cli(argv: string[], env: Record<string, string> = {}) {
  let stdout = "";
  let stderr = "";
  const code = await runCli(argv, {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    env,
  });
  return { code, stdout, stderr };
}

describe("runCli", () => {
  it.each([["--help"], ["-h"], ["help"]])("prints the commands for %s and exits 0", async (flag) => {
    const { code, stdout } = await cli([flag]);

    expect(code).toBe(0);
    expect(stdout).toMatch(/^Usage: workload-identity <command>/);
    expect(stdout).toContain("issuer-docs");
  });

  it.each([
    ["doctor", /^Usage: workload-identity doctor/],
    ["jwks", /^Usage: workload-identity jwks --public-keys FILE/],
    ["issuer-docs", /^Usage: workload-identity issuer-docs --issuer-url URL/],
  ])("prints the help of %s for --help and for help <command>", async (command, usage) => {
    expect(await cli([command, "--help"])).toMatchObject({ code: 0, stdout: expect.stringMatching(usage) });
    expect(await cli(["help", command])).toMatchObject({ code: 0, stdout: expect.stringMatching(usage) });
  });

  it("documents --audience in the doctor's help", async () => {
    expect((await cli(["doctor", "--help"])).stdout).toMatch(
      /^ {2}--audience AUD {7}the audience the token must carry/m,
    );
  });

  it("exits 2 without a command or with an unknown one, naming it", async () => {
    expect(await cli([])).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/^workload-identity: no command given;/),
    });
    expect(await cli(["docter"])).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(
        /^workload-identity: unknown command "docter"; use doctor, check, jwks or issuer-docs\./,
      ),
    });
  });

  it.each([
    [["doctor", "--frobnicate"], /^workload-identity doctor: Unknown option '--frobnicate'/],
    [["doctor", "extra"], /^workload-identity doctor: Unexpected argument 'extra'/],
    [
      ["doctor", "--timeout-ms", "soon"],
      /--timeout-ms must be a whole number of milliseconds above 0, not "soon"\./,
    ],
    [["doctor", "--timeout-ms", "0"], /--timeout-ms must be a whole number/],
    // Beyond setTimeout's limit Node fires AbortSignal.timeout after 1 ms: every check would time out at once.
    [
      ["doctor", "--timeout-ms", "3000000000"],
      /--timeout-ms must be at most 2147483647 milliseconds \(about 24\.8 days\), not "3000000000"\./,
    ],
    [["doctor", "--timeout-ms", "2147483648"], /--timeout-ms must be at most 2147483647 milliseconds/],
    [["doctor", "--scope", " "], /--scope must not be empty\./],
    [["doctor", "--audience", " "], /--audience must not be empty\./],
    [["doctor", "--scope"], /Option '--scope <value>' argument missing/],
    [["jwks"], /^workload-identity jwks: --public-keys FILE is required/],
    [["jwks", "--public-keys", "a.pem,"], /--public-keys FILE is required/],
    [
      ["issuer-docs", "--public-keys", "k", "--output-dir", "d"],
      /^workload-identity issuer-docs: --issuer-url is required\./,
    ],
    [["issuer-docs", "--issuer-url", "https://x/", "--output-dir", "d"], /--public-keys FILE is required/],
    [["issuer-docs", "--issuer-url", "https://x/", "--public-keys", "k"], /--output-dir is required\./],
    [
      ["issuer-docs", "--issuer-url", "x", "--public-keys", AZWI_KEY, "--output-dir", "d"],
      /The issuer URL "x" is not a URL;/,
    ],
  ])("exits 2 for %j, naming the problem and pointing at --help", async (argv, message) => {
    const { code, stdout, stderr } = await cli(argv);

    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toMatch(message);
    expect(stderr).toMatch(/Run 'workload-identity [a-z-]+ --help' for usage\.\n$/);
    expect(stderr.trimEnd().split("\n")).toHaveLength(1);
  });

  it.each([
    [
      "the issuer URL",
      ["issuer-docs", "--issuer-url", "https://admin:Sup3rS3cret@oidc.example.com/"],
      /The issuer URL "https:\/\/\*\*\*@oidc\.example\.com\/" must not contain credentials/,
    ],
    [
      "an argument given without its option",
      ["issuer-docs", "https://admin:Sup3rS3cret@oidc.example.com/?sig=Sup3rS3cret"],
      /Unexpected argument 'https:\/\/\*\*\*@oidc\.example\.com\/\?\*\*\*'; this command takes options only/,
    ],
    [
      "an argument after --",
      ["doctor", "--", "admin:Sup3rS3cret@oidc.example.com"],
      /Unexpected argument '\*\*\*@oidc\.example\.com'/,
    ],
  ])("exits 2 without repeating a password in %s", async (_case, argv, message) => {
    const { code, stdout, stderr } = await cli([...argv, "--public-keys", AZWI_KEY, "--output-dir", dir]);

    expect({ code, stdout }).toEqual({ code: 2, stdout: "" });
    expect(stderr).toMatch(message);
    expect(stderr).not.toMatch(/Sup3rS3cret|admin/);
  });

  it("runs the doctor on an empty environment: every variable fails, exit 1, nothing touches the network", async () => {
    const { code, stdout } = await cli(["doctor"]);

    expect(code).toBe(1);
    expect(stdout).toMatch(/^✘ AZURE_CLIENT_ID {13}not set → fix: /);
    expect(stdout).toContain("- token exchange              skipped: fix the AZURE_* variables above first");
  });

  it("accepts --timeout-ms 2147483647, setTimeout's longest delay", async () => {
    const { code, stderr } = await cli(["doctor", "--timeout-ms", "2147483647"]);

    expect(code).toBe(1);
    expect(stderr).toBe("");
  });

  it("prints the doctor's report as JSON with --json", async () => {
    const { code, stdout } = await cli(["doctor", "--json"], { AZURE_CLIENT_ID: "not-a-guid" });

    expect(code).toBe(1);
    expect(JSON.parse(stdout)).toMatchObject({
      ok: false,
      checks: [
        { id: "AZURE_CLIENT_ID", status: "warn", message: "not-a-guid is not a GUID" },
        { id: "AZURE_TENANT_ID", status: "fail" },
        {},
        {},
        {},
        {},
        {},
        {},
        {},
      ],
    });
  });

  it("checks the token's audience against --audience, in the text and the JSON report", async () => {
    // An iss that is no URL keeps the issuer checks off the network; the AZURE_* gaps skip the exchange.
    const tokenFile = join(dir, "token");
    await writeFile(tokenFile, await makeToken(Math.floor(Date.now() / 1000), { iss: "not-a-url" }));
    const argv = ["doctor", "--token-file", tokenFile, "--audience", "api://custom"];
    const env = { AZURE_AUTHORITY_HOST: "https://login.microsoftonline.us/" };

    const text = await cli(argv, env);
    const json = await cli([...argv, "--json"], env);

    const lack = 'aud ["api://AzureADTokenExchange"] lacks the expected api://custom (from --audience)';
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(
      new RegExp(`^✘ token claims .*; ${lack.replace(/[[\]().?/]/g, "\\$&")} → fix: `, "m"),
    );
    const claims = (
      JSON.parse(json.stdout) as { checks: { id: string; message: string; details?: unknown }[] }
    ).checks.find((c) => c.id === "claims");
    expect(claims?.message).toContain(lack);
    expect(claims?.details).toMatchObject({
      expectedAudience: { audience: "api://custom", source: "option", reason: "from --audience" },
    });
  });

  it("prints the JWKS of comma-separated and repeated key files", async () => {
    const ecPath = join(dir, "ec.pem");
    await writeFile(
      ecPath,
      generateKeyPairSync("ec", { namedCurve: "P-256" }).publicKey.export({ type: "spki", format: "pem" }),
    );

    const { code, stdout } = await cli([
      "jwks",
      "--public-keys",
      `${AZWI_KEY},${ecPath}`,
      "--public-keys",
      AZWI_KEY,
    ]);

    expect(code).toBe(0);
    const jwks = JSON.parse(stdout) as { keys: { kid: string; alg: string }[] };
    expect(jwks.keys.map((k) => k.alg)).toEqual(["RS256", "ES256"]);
    expect(jwks.keys[0]?.kid).toBe(AZWI_KID);
  });

  it("writes the JWKS to --output-file, saying so on stderr", async () => {
    const out = join(dir, "jwks.json");

    const { code, stdout, stderr } = await cli(["jwks", "--public-keys", AZWI_KEY, "--output-file", out]);

    expect({ code, stdout, stderr }).toEqual({ code: 0, stdout: "", stderr: `wrote ${out}\n` });
    expect(JSON.parse(await readFile(out, "utf8"))).toMatchObject({ keys: [{ kid: AZWI_KID }] });
  });

  it("exits 1 for an unreadable key file or an unwritable output, naming it", async () => {
    const missing = join(dir, "missing.pem");

    expect(await cli(["jwks", "--public-keys", missing])).toEqual({
      code: 1,
      stdout: "",
      stderr: `workload-identity jwks: Cannot read the key file ${missing} (ENOENT); check the path.\n`,
    });
    expect(
      await cli(["jwks", "--public-keys", AZWI_KEY, "--output-file", join(dir, "no", "dir.json")]),
    ).toMatchObject({
      code: 1,
      stderr: expect.stringContaining("(ENOENT); choose a writable --output-file."),
    });
  });

  it("writes the issuer documents, listing the files, and warns on stderr for http", async () => {
    const { code, stdout, stderr } = await cli([
      "issuer-docs",
      "--issuer-url",
      "http://issuer.example/",
      "--public-keys",
      AZWI_KEY,
      "--output-dir",
      dir,
    ]);

    expect(code).toBe(0);
    expect(stdout).toBe(
      `wrote ${join(dir, ".well-known", "openid-configuration")}\nwrote ${join(dir, "openid", "v1", "jwks")}\n` +
        "Serve them at http://issuer.example/.well-known/openid-configuration and http://issuer.example/openid/v1/jwks.\n",
    );
    expect(stderr).toMatch(
      /^workload-identity issuer-docs: warning: the issuer URL "http:\/\/issuer\.example\/" is not https/,
    );
  });
});

import { spawnSync } from "node:child_process";
import { X509Certificate } from "node:crypto";
import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { CA, CA_PATH, EXPIRED_SERVER_CERT, OTHER_CA } from "../../test-support/tls.js";
import { checkTokenProxyCa } from "./token-proxy-ca.js";

const ca = new X509Certificate(CA);
const VALID_FROM = Date.parse(ca.validFrom);
const VALID_TO = Date.parse(ca.validTo);
const NOW_MS = VALID_FROM + 86_400_000;
const CA_NAME = "CN=Doctor spec token proxy CA";
const BUILT_MODULE = resolve(__dirname, "../../../dist/cjs/doctor/checks/token-proxy-ca.js");

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "token-proxy-ca-"));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

async function caFile(content: string, mode = 0o644): Promise<string> {
  const path = join(dir, "ca.crt");
  await writeFile(path, content);
  await chmod(path, mode);
  return path;
}

describe("checkTokenProxyCa", () => {
  it("passes a readable CA file, with its certificate's name and dates, and hands the CA on", async () => {
    const { result, trust } = await checkTokenProxyCa({ AZURE_KUBERNETES_CA_FILE: CA_PATH }, NOW_MS);

    expect(result).toEqual({
      id: "token-proxy-ca",
      status: "pass",
      message: `AZURE_KUBERNETES_CA_FILE ${CA_PATH}: 1 certificate: ${CA_NAME}, valid until ${new Date(VALID_TO).toISOString()} (in 36499d)`,
      details: {
        source: "AZURE_KUBERNETES_CA_FILE",
        path: CA_PATH,
        certificates: [expect.objectContaining({ subject: CA_NAME, fingerprint256: ca.fingerprint256 })],
      },
    });
    expect(trust).toEqual({ kind: "ca", pem: CA, variable: "AZURE_KUBERNETES_CA_FILE", path: CA_PATH });
  });

  it("passes an inline CA, saying it cannot follow a rotation, and never shows its content", async () => {
    const { result, trust } = await checkTokenProxyCa({ AZURE_KUBERNETES_CA_DATA: CA }, NOW_MS);

    expect(result.status).toBe("pass");
    expect(result.message).toMatch(
      /^AZURE_KUBERNETES_CA_DATA \(inline: it cannot follow a rotation\): 1 certificate: CN=Doctor spec token proxy CA, valid until /,
    );
    expect(result.details).toMatchObject({ source: "AZURE_KUBERNETES_CA_DATA" });
    expect(JSON.stringify(result)).not.toContain(CA.split("\n")[1]);
    // Trimmed, as the credential reads the variable.
    expect(trust).toEqual({ kind: "ca", pem: CA.trim(), variable: "AZURE_KUBERNETES_CA_DATA" });
  });

  it("counts every certificate of a bundle, and passes while one of them is valid", async () => {
    const path = await caFile(`${EXPIRED_SERVER_CERT}${OTHER_CA}`);

    const { result } = await checkTokenProxyCa({ AZURE_KUBERNETES_CA_FILE: path }, NOW_MS);

    expect(result.status).toBe("pass");
    expect(result.message).toContain(": 2 certificates: CN=proxy.identity-binding.test, expired ");
    expect(result.message).toContain("; CN=Doctor spec other CA, valid until ");
  });

  it("fails a CA file that is not there, handing on nothing to verify with", async () => {
    const missing = join(dir, "missing.crt");

    const { result, trust } = await checkTokenProxyCa({ AZURE_KUBERNETES_CA_FILE: missing }, NOW_MS);

    expect(result).toMatchObject({
      status: "fail",
      code: "ERR_TOKEN_PROXY_CA_UNREADABLE",
      message: `AZURE_KUBERNETES_CA_FILE ${missing} does not exist (or is a dangling link)`,
      fix: expect.stringContaining("ca-cert/ca.crt"),
      details: { source: "AZURE_KUBERNETES_CA_FILE", path: missing },
    });
    expect(trust).toBeUndefined();
  });

  it("fails a CA file this user cannot read, naming its mode and owner and suggesting fsGroup", async () => {
    const path = await caFile(CA, 0o600);
    await chmod(dir, 0o755);
    let result: unknown;
    if (process.getuid?.() === 0) {
      // Root reads anything: read as nobody (65534), as a pod's non-root user would, through the built module
      // (loaded as root, then nobody: the checkout may sit where nobody cannot read it).
      const script = [
        "const { checkTokenProxyCa } = require(process.argv[1]);",
        "process.setgid(65534);",
        "process.setuid(65534);",
        "checkTokenProxyCa({ AZURE_KUBERNETES_CA_FILE: process.argv[2] }, Date.now()).then((o) => process.stdout.write(JSON.stringify(o)));",
      ].join(" ");
      const child = spawnSync(process.execPath, ["-e", script, BUILT_MODULE, path], {
        cwd: dir, // readable by nobody: Node 24 looks for a package.json above the working directory
        encoding: "utf8",
        timeout: 10_000,
      });
      expect(child.stderr).toBe("");
      ({ result } = JSON.parse(child.stdout) as { result: unknown });
    } else {
      await chmod(path, 0o000);
      ({ result } = await checkTokenProxyCa({ AZURE_KUBERNETES_CA_FILE: path }, NOW_MS));
    }

    expect(result).toEqual({
      id: "token-proxy-ca",
      status: "fail",
      code: "ERR_TOKEN_PROXY_CA_UNREADABLE",
      message: expect.stringMatching(/ is not readable by uid \d+ \(mode 0[0-7]{3}, owner \d+:\d+\)$/),
      fix: expect.stringContaining("securityContext.fsGroup"),
      details: { source: "AZURE_KUBERNETES_CA_FILE", path },
    });
  });

  it("fails a directory in the file's place with the errno", async () => {
    const { result } = await checkTokenProxyCa({ AZURE_KUBERNETES_CA_FILE: dir }, NOW_MS);

    expect(result).toMatchObject({
      code: "ERR_TOKEN_PROXY_CA_UNREADABLE",
      message: `AZURE_KUBERNETES_CA_FILE ${dir} cannot be read (EISDIR)`,
    });
  });

  it("fails a CA holding no certificate, counting damaged blocks", async () => {
    const damaged = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";
    const path = await caFile(damaged);

    const file = await checkTokenProxyCa({ AZURE_KUBERNETES_CA_FILE: path }, NOW_MS);
    const inline = await checkTokenProxyCa({ AZURE_KUBERNETES_CA_DATA: "just text" }, NOW_MS);

    expect(file.result).toMatchObject({
      status: "fail",
      code: "ERR_TOKEN_PROXY_CA_INVALID",
      message: `AZURE_KUBERNETES_CA_FILE ${path} holds no PEM certificate, and 1 CERTIFICATE block that does not parse`,
      fix: expect.stringContaining("ca-cert/ca.crt"),
    });
    expect(file.trust).toBeUndefined();
    expect(inline.result).toMatchObject({
      code: "ERR_TOKEN_PROXY_CA_INVALID",
      message: "AZURE_KUBERNETES_CA_DATA (inline: it cannot follow a rotation) holds no PEM certificate",
      fix: expect.stringContaining(
        "AZURE_KUBERNETES_CA_DATA must hold the token proxy's CA certificate in PEM",
      ),
    });
  });

  it("fails an expired CA, still handing it on so the handshake shows what it does", async () => {
    const { result, trust } = await checkTokenProxyCa(
      { AZURE_KUBERNETES_CA_FILE: CA_PATH },
      VALID_TO + 60_000,
    );

    expect(result).toMatchObject({
      status: "fail",
      code: "ERR_TOKEN_PROXY_CA_EXPIRED",
      message: `AZURE_KUBERNETES_CA_FILE ${CA_PATH}: 1 certificate, none valid now: ${CA_NAME}, expired 1m ago (${new Date(VALID_TO).toISOString()})`,
      fix: expect.stringContaining("check this machine's clock"),
    });
    expect(trust).toMatchObject({ kind: "ca" });
  });

  it("fails a CA not valid yet", async () => {
    const { result } = await checkTokenProxyCa({ AZURE_KUBERNETES_CA_DATA: CA }, VALID_FROM - 3_600_000);

    expect(result).toMatchObject({
      code: "ERR_TOKEN_PROXY_CA_NOT_YET_VALID",
      message: expect.stringContaining(`none valid now: ${CA_NAME}, not valid until`),
    });
  });

  it("skips without a CA variable: TLS trusts the system store, as the credential does", async () => {
    const { result, trust } = await checkTokenProxyCa(
      { AZURE_KUBERNETES_TOKEN_PROXY: "https://10.0.0.1" },
      NOW_MS,
    );

    expect(result).toEqual({
      id: "token-proxy-ca",
      status: "skip",
      message:
        "skipped: neither AZURE_KUBERNETES_CA_FILE nor AZURE_KUBERNETES_CA_DATA is set: TLS to the token proxy trusts the system store",
    });
    expect(trust).toEqual({ kind: "system" });
  });

  it("skips with both CA variables, which the identity binding line refuses", async () => {
    const { result, trust } = await checkTokenProxyCa(
      { AZURE_KUBERNETES_CA_FILE: CA_PATH, AZURE_KUBERNETES_CA_DATA: CA },
      NOW_MS,
    );

    expect(result.status).toBe("skip");
    expect(result.message).toContain("both set");
    expect(trust).toBeUndefined();
  });
});

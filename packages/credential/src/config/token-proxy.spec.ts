import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CredentialUnavailableError } from "../errors/errors.js";
import { resolveTokenProxy } from "./token-proxy.js";

const CA = readFileSync(join(__dirname, "../test-support/tls/ca.pem"), "utf8");
const PROXY = "https://10.0.0.1:443/";
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "token-proxy-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** What `run` throws; fails the test when it returns instead. */
function thrownBy(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error("expected a throw, but the call returned");
}

function refused(env: Record<string, string | undefined>, enabled = true): unknown {
  return thrownBy(() => resolveTokenProxy(enabled, env));
}

describe("resolveTokenProxy", () => {
  it("ignores the variables when enableAzureProxy is off, with a note naming the switch", () => {
    const resolved = resolveTokenProxy(false, {
      AZURE_KUBERNETES_TOKEN_PROXY: PROXY,
      AZURE_KUBERNETES_CA_DATA: "not even a certificate",
    });

    expect(resolved.proxy).toBeUndefined();
    expect(resolved.note).toContain("enableAzureProxy is off");
  });

  it("says nothing when the switch is off and the pod has no binding", () => {
    expect(resolveTokenProxy(false, {})).toEqual({ proxy: undefined, note: undefined });
  });

  it("uses the normal flow when the switch is on and the pod has no binding, saying so", () => {
    const resolved = resolveTokenProxy(true, {});

    expect(resolved.proxy).toBeUndefined();
    expect(resolved.note).toContain("AZURE_KUBERNETES_TOKEN_PROXY is not set");
  });

  it.each([
    ["AZURE_KUBERNETES_SNI_NAME", "proxy.example"],
    ["AZURE_KUBERNETES_CA_FILE", "/var/run/ca.crt"],
    ["AZURE_KUBERNETES_CA_DATA", CA],
  ])("refuses %s without AZURE_KUBERNETES_TOKEN_PROXY, as @azure/identity does", (variable, value) => {
    expect(refused({ [variable]: value })).toMatchObject({
      name: "CredentialUnavailableError",
      code: "ERR_INVALID_CONFIGURATION",
      message: expect.stringContaining(`${variable} is set but AZURE_KUBERNETES_TOKEN_PROXY is not`),
    });
  });

  it.each([
    ["https://proxy.example", "https://proxy.example"],
    ["https://proxy.example/", "https://proxy.example"],
    ["https://proxy.example/base", "https://proxy.example/base"],
    ["https://proxy.example/base/", "https://proxy.example/base"],
    ["https://proxy.example:8443/a%2Fb/", "https://proxy.example:8443/a%2Fb"],
  ])("takes %s as the base %s", (url, base) => {
    expect(resolveTokenProxy(true, { AZURE_KUBERNETES_TOKEN_PROXY: url }).proxy).toEqual({
      base,
      sniName: undefined,
      ca: undefined,
    });
  });

  it.each([
    ["http://proxy.example/", "must use https"],
    ["not a url", "is not a URL"],
    ["https://user:S3cret@proxy.example/", "must not contain user info"],
    ["https://proxy.example/?sig=S3cret", "must not have a query"],
    ["https://proxy.example/?", "must not have a query"],
    ["https://proxy.example/#S3cret", "must not have a fragment"],
  ])("refuses the proxy URL %s, naming the variable and never repeating a secret", (url, problem) => {
    const error = refused({ AZURE_KUBERNETES_TOKEN_PROXY: url });

    expect(error).toBeInstanceOf(CredentialUnavailableError);
    expect(error).toMatchObject({
      code: "ERR_INVALID_CONFIGURATION",
      message: expect.stringContaining(`AZURE_KUBERNETES_TOKEN_PROXY`),
    });
    expect((error as Error).message).toContain(problem);
    expect((error as Error).message).not.toContain("S3cret");
    expect((error as Error).message).not.toMatch(/[\r\n]/);
  });

  it("refuses both CA variables at once", () => {
    const caFile = join(dir, "both.crt");
    expect(
      refused({
        AZURE_KUBERNETES_TOKEN_PROXY: PROXY,
        AZURE_KUBERNETES_CA_FILE: caFile,
        AZURE_KUBERNETES_CA_DATA: CA,
      }),
    ).toMatchObject({
      message: expect.stringContaining("AZURE_KUBERNETES_CA_FILE and AZURE_KUBERNETES_CA_DATA are both set"),
    });
  });

  it("takes the SNI name and an inline CA", () => {
    expect(
      resolveTokenProxy(true, {
        AZURE_KUBERNETES_TOKEN_PROXY: PROXY,
        AZURE_KUBERNETES_SNI_NAME: "proxy.identity-binding.test",
        AZURE_KUBERNETES_CA_DATA: CA,
      }).proxy,
    ).toEqual({
      base: "https://10.0.0.1",
      sniName: "proxy.identity-binding.test",
      ca: { variable: "AZURE_KUBERNETES_CA_DATA", pem: CA.trim() },
    });
  });

  it("reads the CA file at construction", async () => {
    const caFile = join(dir, "ca.crt");
    await writeFile(caFile, CA);

    expect(
      resolveTokenProxy(true, { AZURE_KUBERNETES_TOKEN_PROXY: PROXY, AZURE_KUBERNETES_CA_FILE: caFile }).proxy
        ?.ca,
    ).toEqual({ variable: "AZURE_KUBERNETES_CA_FILE", path: caFile, pem: CA });
  });

  it.each([
    [
      "AZURE_KUBERNETES_CA_DATA",
      "-----BEGIN CERTIFICATE-----\nnot base64 at all\n-----END CERTIFICATE-----\n",
    ],
    ["AZURE_KUBERNETES_CA_DATA", "just text"],
  ])("refuses %s holding no valid PEM certificate", (variable, value) => {
    expect(refused({ AZURE_KUBERNETES_TOKEN_PROXY: PROXY, [variable]: value })).toMatchObject({
      message: expect.stringContaining(`${variable} holds no valid PEM certificate`),
    });
  });

  it.each([
    ["missing", undefined, "cannot be read (ENOENT)"],
    ["empty", "", "is empty"],
    [
      "holding a key, not a certificate",
      "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
      "holds no valid PEM certificate",
    ],
  ])(
    "refuses a CA file that is %s at construction, naming the variable and the file",
    async (name, content, problem) => {
      const caFile = join(dir, `ca-${name.replace(/\W/g, "-")}.crt`);
      if (content !== undefined) await writeFile(caFile, content);

      const error = refused({ AZURE_KUBERNETES_TOKEN_PROXY: PROXY, AZURE_KUBERNETES_CA_FILE: caFile });

      expect(error).toMatchObject({ code: "ERR_INVALID_CONFIGURATION" });
      expect((error as Error).message).toContain(`AZURE_KUBERNETES_CA_FILE ${JSON.stringify(caFile)}`);
      expect((error as Error).message).toContain(problem);
    },
  );
});

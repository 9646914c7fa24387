import type { WorkloadIdentityCredentialOptions } from "@workload-identity/credential";
import { writeFile } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { createServer, type Server } from "node:tls";
import { buildJwks } from "../jwks/build-jwks.js";
import { CA_PATH, SERVER_CERT, SERVER_KEY, SERVER_NAME } from "../test-support/tls.js";
import { ISSUER, makeToken, signingKey, tempDir } from "../test-support/tokens.js";
import type { CredentialFactory } from "./checks/token-exchange.js";
import type { FetchJson } from "./fetch-json.js";
import { runDoctor } from "./run-doctor.js";
import type { DoctorOptions } from "./options.js";

const NOW_MS = Date.now();
const NOW = Math.floor(NOW_MS / 1000);
const JWKS_URL = `${ISSUER}openid/v1/jwks`;
const issuerSite: FetchJson = (url) =>
  url === `${ISSUER}.well-known/openid-configuration`
    ? Promise.resolve({ issuer: ISSUER, jwks_uri: JWKS_URL })
    : url === JWKS_URL
      ? Promise.resolve(buildJwks([signingKey]))
      : Promise.reject(new Error(`unexpected ${url}`));

let dir: string;
let remove: () => Promise<void>;
let tokenFile: string;
let token: string;
const scopes: string[] = [];
const workingCredential: CredentialFactory = () => ({
  getToken: (scope) => {
    scopes.push(scope);
    return Promise.resolve({ token: "ACCESS", expiresOnTimestamp: NOW_MS + 3_600_000 });
  },
});

beforeEach(async () => {
  ({ dir, remove } = await tempDir("run-doctor-"));
  tokenFile = join(dir, "token");
  token = await makeToken(NOW);
  await writeFile(tokenFile, token);
  scopes.length = 0;
});
afterEach(() => remove());

function podEnv(): Record<string, string> {
  return {
    AZURE_CLIENT_ID: "0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0",
    AZURE_TENANT_ID: "6a4c7a1e-3d2b-4f5e-9c8d-7b6a5f4e3d2c",
    AZURE_FEDERATED_TOKEN_FILE: tokenFile,
    AZURE_AUTHORITY_HOST: "https://login.microsoftonline.com/",
  };
}

function without(name: string): Record<string, string> {
  return Object.fromEntries(Object.entries(podEnv()).filter(([key]) => key !== name));
}

function doctor(options: DoctorOptions = {}) {
  return runDoctor({
    env: podEnv(),
    now: () => NOW_MS,
    fetchJson: issuerSite,
    createCredential: workingCredential,
    ...options,
  });
}

const statuses = (report: Awaited<ReturnType<typeof runDoctor>>) =>
  Object.fromEntries(report.checks.map((c) => [c.id, c.status]));

describe("runDoctor", () => {
  it("runs every check in order and is ok when all pass", async () => {
    const report = await doctor();

    expect(report.checks.map((c) => [c.id, c.status])).toEqual([
      ["AZURE_CLIENT_ID", "pass"],
      ["AZURE_TENANT_ID", "pass"],
      ["AZURE_FEDERATED_TOKEN_FILE", "pass"],
      ["AZURE_AUTHORITY_HOST", "pass"],
      ["token-file", "pass"],
      ["claims", "pass"],
      ["issuer-discovery", "pass"],
      ["issuer-jwks", "pass"],
      ["token-exchange", "pass"],
    ]);
    expect(report).toMatchObject({ ok: true, summary: { pass: 9, warn: 0, fail: 0, skip: 0 } });
    expect(scopes).toEqual(["https://management.azure.com/.default"]);
  });

  it("exchanges for --scope", async () => {
    await doctor({ scope: "https://vault.azure.net/.default" });

    expect(scopes).toEqual(["https://vault.azure.net/.default"]);
  });

  it("expects the audience of AZURE_AUTHORITY_HOST's cloud: a US Government token passes there", async () => {
    await writeFile(tokenFile, await makeToken(NOW, { aud: ["api://AzureADTokenExchangeUSGov"] }));
    const env = { ...podEnv(), AZURE_AUTHORITY_HOST: "https://login.microsoftonline.us/" };

    const report = await doctor({ env });

    expect(report.ok).toBe(true);
    expect(report.checks.find((c) => c.id === "claims")?.details).toMatchObject({
      expectedAudience: { audience: "api://AzureADTokenExchangeUSGov", source: "cloud" },
    });
  });

  it("fails the public audience in the China cloud, unless --audience says it is the one", async () => {
    const env = { ...podEnv(), AZURE_AUTHORITY_HOST: "https://login.chinacloudapi.cn/" };

    const refused = await doctor({ env });
    const accepted = await doctor({ env, audience: "api://AzureADTokenExchange" });

    expect(statuses(refused)).toMatchObject({ claims: "fail", "token-exchange": "pass" });
    expect(refused.checks.find((c) => c.id === "claims")?.message).toContain(
      'aud ["api://AzureADTokenExchange"] lacks the expected api://AzureADTokenExchangeChina',
    );
    expect(accepted.ok).toBe(true);
    expect(accepted.checks.find((c) => c.id === "claims")?.details).toMatchObject({
      expectedAudience: { audience: "api://AzureADTokenExchange", source: "option" },
    });
  });

  it("skips everything that needs the token when AZURE_FEDERATED_TOKEN_FILE is missing", async () => {
    const env = without("AZURE_FEDERATED_TOKEN_FILE");

    const report = await doctor({ env });

    expect(statuses(report)).toMatchObject({
      AZURE_FEDERATED_TOKEN_FILE: "fail",
      "token-file": "skip",
      claims: "skip",
      "issuer-discovery": "skip",
      "issuer-jwks": "skip",
      "token-exchange": "skip",
    });
    expect(report).toMatchObject({ ok: false, summary: { pass: 3, fail: 1, skip: 5 } });
  });

  it("checks --token-file instead of the variable", async () => {
    const env = without("AZURE_FEDERATED_TOKEN_FILE");

    const report = await doctor({ env, tokenFile });

    expect(report.ok).toBe(true);
  });

  it("still checks the token but skips the exchange when the client id is missing", async () => {
    const env = without("AZURE_CLIENT_ID");

    const report = await doctor({ env });

    expect(statuses(report)).toMatchObject({
      AZURE_CLIENT_ID: "fail",
      "token-file": "pass",
      claims: "pass",
      "issuer-jwks": "pass",
      "token-exchange": "skip",
    });
    expect(report.checks.at(-1)?.message).toBe("skipped: fix the AZURE_* variables above first");
    expect(scopes).toEqual([]);
  });

  it("still decodes and exchanges an expired token, so Entra's view shows", async () => {
    await writeFile(tokenFile, await makeToken(NOW - 7200));

    const report = await doctor();

    expect(statuses(report)).toMatchObject({
      "token-file": "fail",
      claims: "pass",
      "token-exchange": "pass",
    });
  });

  it("skips the JWKS when discovery is unreachable, and still exchanges", async () => {
    const report = await doctor({ fetchJson: () => Promise.reject(new Error("ECONNREFUSED")) });

    expect(statuses(report)).toMatchObject({
      "issuer-discovery": "fail",
      "issuer-jwks": "skip",
      "token-exchange": "pass",
    });
  });

  it("is ok with warnings", async () => {
    await writeFile(tokenFile, await makeToken(NOW - 3300));

    const report = await doctor();

    expect(report).toMatchObject({ ok: true, summary: { warn: 1, fail: 0 } });
  });

  it("never puts the token in the report", async () => {
    const env = without("AZURE_CLIENT_ID");
    const reports = [
      await doctor(),
      await doctor({ env }),
      await doctor({ fetchJson: () => Promise.reject(new Error("x")) }),
    ];

    for (const report of reports) expect(JSON.stringify(report)).not.toContain(token.split(".")[2]);
  });
});

describe("runDoctor in an identity-binding pod", () => {
  let proxyUrl: string;
  let server: Server;
  const options: WorkloadIdentityCredentialOptions[] = [];
  const recording: CredentialFactory = (given) => {
    options.push(given);
    return workingCredential(given);
  };

  beforeAll(async () => {
    server = createServer({ cert: SERVER_CERT, key: SERVER_KEY }, (socket) => {
      socket.on("error", () => undefined);
      socket.end();
    });
    server.on("tlsClientError", () => undefined);
    await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
    proxyUrl = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((done) => server.close(done)));
  beforeEach(async () => {
    options.length = 0;
    await writeFile(tokenFile, await makeToken(NOW, { aud: ["api://AKSIdentityBinding"] }));
  });

  const bindingEnv = (overrides: Record<string, string | undefined> = {}) => ({
    ...podEnv(),
    AZURE_KUBERNETES_TOKEN_PROXY: proxyUrl,
    AZURE_KUBERNETES_SNI_NAME: SERVER_NAME,
    AZURE_KUBERNETES_CA_FILE: CA_PATH,
    ...overrides,
  });

  it("adds its lines in order, expects its audience, and exchanges through the proxy", async () => {
    const report = await doctor({ env: bindingEnv(), createCredential: recording });

    expect(report.checks.map((c) => [c.id, c.status])).toEqual([
      ["AZURE_CLIENT_ID", "pass"],
      ["AZURE_TENANT_ID", "pass"],
      ["AZURE_FEDERATED_TOKEN_FILE", "pass"],
      ["AZURE_AUTHORITY_HOST", "pass"],
      ["identity-binding", "pass"],
      ["enable-azure-proxy", "warn"],
      ["token-file", "pass"],
      ["claims", "pass"],
      ["issuer-discovery", "pass"],
      ["issuer-jwks", "pass"],
      ["token-proxy-ca", "pass"],
      ["token-proxy-tls", "pass"],
      ["token-exchange", "pass"],
    ]);
    expect(report).toMatchObject({ ok: true, summary: { pass: 12, warn: 1, fail: 0, skip: 0 } });
    expect(report.checks.find((c) => c.id === "claims")?.details).toMatchObject({
      expectedAudience: { audience: "api://AKSIdentityBinding", source: "identity-binding" },
    });
    expect(options).toEqual([expect.objectContaining({ enableAzureProxy: true })]);
  });

  it("fails the exchange audience there, and still exchanges so the proxy's verdict shows", async () => {
    await writeFile(tokenFile, await makeToken(NOW));

    const report = await doctor({ env: bindingEnv() });

    expect(statuses(report)).toMatchObject({ claims: "fail", "token-exchange": "pass" });
    expect(report.checks.find((c) => c.id === "claims")?.fix).toContain(
      "azure.workload.identity/use-identity-binding",
    );
  });

  it("skips the handshake and the exchange when the credential refuses the variables", async () => {
    const report = await doctor({
      env: bindingEnv({ AZURE_KUBERNETES_CA_DATA: "PEM" }),
      createCredential: recording,
    });

    expect(statuses(report)).toMatchObject({
      "identity-binding": "fail",
      "enable-azure-proxy": "warn",
      "token-proxy-ca": "skip",
      "token-proxy-tls": "skip",
      "token-exchange": "skip",
    });
    expect(report.checks.find((c) => c.id === "token-proxy-tls")?.message).toBe(
      "skipped: fix the AZURE_KUBERNETES_* variables above first",
    );
    expect(report.checks.at(-1)?.message).toBe("skipped: fix the AZURE_KUBERNETES_* variables above first");
    expect(options).toEqual([]);
  });

  it("still exchanges when the handshake fails, so the credential's own verdict shows", async () => {
    const report = await doctor({ env: bindingEnv({ AZURE_KUBERNETES_SNI_NAME: "other.ests.aks" }) });

    expect(statuses(report)).toMatchObject({ "token-proxy-tls": "fail", "token-exchange": "pass" });
    expect(report.checks.find((c) => c.id === "token-proxy-tls")?.code).toBe("ERR_TOKEN_PROXY_SNI_MISMATCH");
  });

  it("has no enableAzureProxy line without the proxy URL, and fails the variables", async () => {
    const report = await doctor({ env: bindingEnv({ AZURE_KUBERNETES_TOKEN_PROXY: undefined }) });

    expect(report.checks.map((c) => c.id)).not.toContain("enable-azure-proxy");
    expect(statuses(report)).toMatchObject({ "identity-binding": "fail", "token-exchange": "skip" });
  });

  it("has none of these lines in an ordinary pod, nor turns the switch on", async () => {
    const report = await doctor({ createCredential: recording });

    expect(report.checks).toHaveLength(9);
    expect(options).toEqual([expect.not.objectContaining({ enableAzureProxy: expect.anything() })]);
  });
});

it.each([3_000_000_000, 0, 1.5, Number.NaN])(
  "refuses timeoutMs %s, which a timer cannot wait for, before any check runs",
  async (timeoutMs) => {
    await expect(runDoctor({ env: {}, timeoutMs })).rejects.toThrow(
      /runDoctor: timeoutMs must be a whole number from 1 to 2147483647/,
    );
  },
);

// The workload-identity-emulator CLI as a user runs it: environment out, trust reused across restarts, clean stop.
import { execFileSync, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { collect, podEnvironment, runNode, waitForOutput } from "./support/child-process.js";
import { httpsRequest } from "./support/https.js";

const packageDir = dirname(require.resolve("@workload-identity/emulator/package.json"));
const manifest = JSON.parse(readFileSync(join(packageDir, "package.json"), "utf8")) as {
  bin: Record<string, string>;
};
const cli = join(packageDir, manifest.bin["workload-identity-emulator"] ?? "");

let stateDir: string;
beforeEach(async () => {
  stateDir = await mkdtemp(join(tmpdir(), "emulator-cli-"));
});
afterEach(() => rm(stateDir, { recursive: true, force: true }));

function start(args: string[]) {
  return spawn(process.execPath, [cli, "--state-dir", stateDir, ...args], {
    env: podEnvironment({}),
    stdio: ["ignore", "pipe", "pipe"],
  });
}

/** Evaluates export lines in a real shell and reads the variables back. */
function evalExports(lines: string): Record<string, string> {
  const script = `${lines}\nnode -e 'const e={};for(const k of ["AZURE_CLIENT_ID","AZURE_TENANT_ID","AZURE_FEDERATED_TOKEN_FILE","AZURE_AUTHORITY_HOST","NODE_EXTRA_CA_CERTS","KEYVAULT_URL","SECRET_NAME","GRAPH_ENDPOINT"])e[k]=process.env[k];console.log(JSON.stringify(e))'`;
  return JSON.parse(execFileSync("bash", ["-c", script]).toString()) as Record<string, string>;
}

it("prints export lines for eval with the pod environment, serves it, and exits 0 on SIGTERM", async () => {
  const child = start([]);
  const exited = collect(child, 30_000);
  const output = await waitForOutput(child, /GRAPH_ENDPOINT=.*\n/);
  const env = evalExports(output);
  expect(env.AZURE_AUTHORITY_HOST).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/$/);
  expect(env.NODE_EXTRA_CA_CERTS).toBe(join(stateDir, "ca.pem"));
  expect(env.AZURE_FEDERATED_TOKEN_FILE).toBe(join(stateDir, "serviceaccount-token", "azure-identity-token"));
  expect(env.SECRET_NAME).toBe("my-secret");

  const ca = await readFile(join(stateDir, "ca.pem"), "utf8");
  const metadata = await httpsRequest(
    `${env.AZURE_AUTHORITY_HOST ?? ""}${env.AZURE_TENANT_ID ?? ""}/v2.0/.well-known/openid-configuration`,
    { ca },
  );
  expect(metadata.status).toBe(200);

  child.kill("SIGTERM");
  const result = await exited;
  expect(result.code).toBe(0);
  expect(result.stderr).toContain("workload-identity-emulator ready");
  // GRAPH_ENDPOINT is where Graph listens; its tokens are for Graph's own audience, which the summary names.
  expect(result.stderr).toContain(
    `graph      ${env.GRAPH_ENDPOINT ?? ""} (tokens for https://graph.microsoft.com)`,
  );
});

it("names a national cloud's Graph as the audience of its tokens with graph.audience in --config", async () => {
  const config = join(stateDir, "config.json");
  await writeFile(config, JSON.stringify({ graph: { audience: "https://microsoftgraph.chinacloudapi.cn" } }));
  const child = start(["--config", config]);
  const exited = collect(child, 30_000);
  await waitForOutput(child, /GRAPH_ENDPOINT=.*\n/);
  child.kill("SIGTERM");
  const result = await exited;
  expect(result.code).toBe(0);
  expect(result.stderr).toContain("(tokens for https://microsoftgraph.chinacloudapi.cn)");
});

it("prints JSON with --json, writes --write-env, and reuses its CA after a restart", async () => {
  const envFile = join(stateDir, "emulator.env");
  const first = start(["--json", "--write-env", envFile]);
  const firstExit = collect(first, 30_000);
  const json = JSON.parse(await waitForOutput(first, /\}\s*$/)) as Record<string, string>;
  expect(evalExports(await readFile(envFile, "utf8"))).toEqual(json);
  const ca = await readFile(join(stateDir, "ca.pem"), "utf8");
  first.kill("SIGINT");
  expect((await firstExit).code).toBe(0);

  const second = start(["--json"]);
  const secondExit = collect(second, 30_000);
  await waitForOutput(second, /\}\s*$/);
  expect(await readFile(join(stateDir, "ca.pem"), "utf8")).toBe(ca);
  second.kill("SIGTERM");
  expect((await secondExit).code).toBe(0);
});

it("with --real-hostnames, prints the proxy and CA variables in both formats, warns about the CA, and logs refusals", async () => {
  const envFile = join(stateDir, "emulator.env");
  const child = start(["--real-hostnames", "--json", "--write-env", envFile]);
  const exited = collect(child, 30_000);
  const json = JSON.parse(await waitForOutput(child, /\}\s*$/)) as Record<string, string>;
  expect(json).toMatchObject({
    AZURE_AUTHORITY_HOST: "https://login.microsoftonline.com/",
    KEYVAULT_URL: "https://quickstart-kv.vault.azure.net/",
    NODE_USE_ENV_PROXY: "1",
    NODE_EXTRA_CA_CERTS: join(stateDir, "real-hostnames", "ca.pem"),
    SSL_CERT_FILE: join(stateDir, "real-hostnames", "ca-bundle.pem"),
  });
  const exported = await readFile(envFile, "utf8");
  for (const name of [
    "HTTPS_PROXY",
    "https_proxy",
    "NO_PROXY",
    "no_proxy",
    "REQUESTS_CA_BUNDLE",
    "CURL_CA_BUNDLE",
  ]) {
    expect(exported).toContain(`export ${name}='${json[name] ?? "missing"}'`);
  }

  const refused = await runNode(["-e", "fetch('https://example.com/').catch(() => process.exit(3))"], json);
  expect(refused.code).toBe(3);
  child.kill("SIGTERM");
  const result = await exited;
  expect(result.code).toBe(0);
  expect(result.stderr).toContain(
    `  proxy      ${json.HTTPS_PROXY ?? ""} (HTTPS_PROXY: the names above, and nothing else)`,
  );
  expect(result.stderr).toMatch(
    /CA {9}\S+ \(name-constrained to the names above; NEVER install it in a system trust store/,
  );
  expect(result.stderr).toContain(
    "workload-identity-emulator: proxy refused example.com:443: example.com is not an emulated host",
  );
});

it("exits 2 with the problem named for an invalid configuration file", async () => {
  const config = join(stateDir, "config.json");
  await writeFile(config, JSON.stringify({ serviceAccount: { rotateAtFraction: 1.5 } }));
  const result = await runNode([cli, "--state-dir", stateDir, "--config", config], {});
  expect(result.code).toBe(2);
  expect(result.stderr).toContain("serviceAccount.rotateAtFraction");
  expect(result.stdout).toBe("");

  await writeFile(config, JSON.stringify({ graph: { audience: "https://graph.microsoft.de" } }));
  const graph = await runNode([cli, "--state-dir", stateDir, "--config", config], {});
  expect(graph.code).toBe(2);
  expect(graph.stderr).toContain(
    'Invalid emulator configuration at graph.audience: must be one of "https://graph.microsoft.com", "https://graph.microsoft.us", "https://dod-graph.microsoft.us", "https://microsoftgraph.chinacloudapi.cn"',
  );
});

it("exits 2 naming an unknown option, and prints usage with --help", async () => {
  const bad = await runNode([cli, "--port", "1"], {});
  expect(bad.code).toBe(2);
  expect(bad.stderr).toContain("--port");
  const help = await runNode([cli, "--help"], {});
  expect(help.code).toBe(0);
  expect(help.stdout).toContain("--state-dir DIR");
});

// Secrets never leak: the main scenarios (success, each fault, each misconfiguration) run with verbose logging;
// every log line and error message is captured and searched for the projected tokens, the access tokens and
// the vault's secret. The Key Vault sample's documented success line is the one place a secret value appears.
import { AzureLogger, setLogLevel } from "@azure/logger";
import {
  WorkloadIdentityCredential,
  type WorkloadIdentityCredentialOptions,
} from "@workload-identity/credential";
import type { Emulator } from "@workload-identity/emulator";
import { readFile, writeFile, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { OutputWatcher, exitOf, startSample } from "./support/samples.js";
import { startTrustedEmulator } from "./support/trusted-emulator.js";

const SECRET_VALUE = "vault-secret-Zq8-do-not-print";
const VAULT = "https://vault.azure.net/.default";
const ARM = "https://management.azure.com/.default";
let emulator: Emulator;
let scratch: string;
const logLines: string[] = [];
const messages: string[] = [];
const secrets = new Set<string>();
const original = AzureLogger.log.bind(AzureLogger);

beforeAll(async () => {
  emulator = await startTrustedEmulator({ vaults: [{ secrets: { "my-secret": SECRET_VALUE } }] });
  scratch = await mkdtemp(join(tmpdir(), "secrets-"));
  AzureLogger.log = (...args: unknown[]) => logLines.push(args.map(String).join(" "));
  setLogLevel("verbose");
});
afterAll(async () => {
  AzureLogger.log = original;
  setLogLevel();
  await emulator.close();
  await rm(scratch, { recursive: true, force: true });
});

/** Remembers a token (and its parts long enough to identify it) as a secret that must not appear. */
async function rememberProjectedToken(): Promise<void> {
  const token = (await readFile(emulator.env.AZURE_FEDERATED_TOKEN_FILE, "utf8")).trim();
  secrets.add(token);
  for (const part of token.split(".").slice(1)) secrets.add(part);
}

function rememberAccessToken(token: string): void {
  secrets.add(token);
  secrets.add(token.split(".")[2] ?? token);
}

async function attempt(options: WorkloadIdentityCredentialOptions, scope = VAULT): Promise<void> {
  const credential = new WorkloadIdentityCredential({
    env: emulator.env,
    retryOptions: { maxRetries: 1, initialDelayMs: 1 },
    ...options,
  });
  try {
    rememberAccessToken((await credential.getToken(scope)).token);
  } catch (error) {
    messages.push(String(error), JSON.stringify(error), (error as Error).stack ?? "");
  }
}

it("runs success, faults and misconfigurations with verbose logs and leaks nothing", async () => {
  await rememberProjectedToken();
  await attempt({});
  await attempt({}, ARM);
  await attempt({}, "https://graph.microsoft.com/.default");

  for (const fault of [
    { status: 429, retryAfterSeconds: 0, first: 1 },
    { status: 503, first: 1 },
    { reset: true, first: 1 },
    { status: 503 },
    { status: 200, body: { token_type: "Bearer", expires_in: 0, access_token: "fake.token.value" } },
  ]) {
    emulator.faults.add({ endpoint: "token", ...fault });
    await attempt({});
    emulator.faults.clear();
  }

  await attempt({ clientId: "99999999-9999-4999-8999-999999999999" });
  await attempt({ tenantId: "nobody.example" });
  await attempt({}, "https://vault.azure.net/secrets.read");
  await attempt({}, "https://unknown.example/.default");
  await attempt({ tokenFilePath: join(scratch, "missing") });
  const foreign = join(scratch, "wrong-subject");
  const now = Math.floor(Date.now() / 1000);
  const wrongSubject = await emulator.issuer.sign({
    iss: emulator.urls.issuer,
    sub: "system:serviceaccount:x:y",
    aud: ["api://AzureADTokenExchange"],
    iat: now,
    exp: now + 600,
  });
  secrets.add(wrongSubject);
  await writeFile(foreign, wrongSubject);
  // One propagation retry (2 s, inside a 2.5 s window), so its warning is among the lines checked.
  await attempt({ tokenFilePath: foreign, federatedCredentialPropagationMs: 2_500 });
  const proxyWithPassword = "http://user:proxy-Pa55-secret@127.0.0.1:9";
  secrets.add("proxy-Pa55-secret");
  await attempt({ env: { ...emulator.env, HTTPS_PROXY: proxyWithPassword } }, ARM);

  await emulator.rotate();
  await rememberProjectedToken();
  await attempt({});

  expect(logLines.some((line) => line.includes("may still be propagating"))).toBe(true);
  const everything = [...logLines, ...messages].join("\n");
  expect(logLines.length).toBeGreaterThan(20);
  expect(messages.length).toBeGreaterThan(10);
  for (const secret of secrets) expect(everything).not.toContain(secret);
  expect(everything).not.toContain(SECRET_VALUE);
});

it("prints the vault secret only in the quickstart's documented success line", async () => {
  const child = startSample("keyvault-quickstart", {
    ...emulator.env,
    AZURE_LOG_LEVEL: "verbose",
    POLL_INTERVAL_SECONDS: "1",
  });
  const output = new OutputWatcher(child);
  await output.waitFor(/"successfully got secret"/);
  child.kill("SIGTERM");
  expect(await exitOf(child)).toBe(0);
  await rememberProjectedToken();
  const lines = output.text.split("\n");
  expect(lines.length).toBeGreaterThan(5); // the SDK's verbose logging was on
  const withSecret = lines.filter((line) => line.includes(SECRET_VALUE));
  expect(withSecret).toEqual([
    expect.stringMatching(new RegExp(`"successfully got secret" secret="${SECRET_VALUE}"$`)),
  ]);
  for (const secret of secrets) expect(output.text).not.toContain(secret);
  expect(output.text).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\.eyJ/); // no JWT of any kind
});

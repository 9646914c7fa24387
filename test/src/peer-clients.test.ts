// Clients no one here wrote, in programs written the way their quick starts use them (test/peers/), against the
// emulator CLI in real-hostname mode with nothing but the environment it prints: the secret and the tenant, then
// Entra's error when the federated credential does not match. Needs Debian's python3-msal, python3-azure and
// curl (`npm run test:peers` at the root; CI installs them).
import { spawn } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { collect, waitForOutput, type ChildResult } from "./support/child-process.js";
import { REPO_ROOT } from "./support/samples.js";

const CLI = join(REPO_ROOT, "packages", "emulator", "bin", "workload-identity-emulator.mjs");
const peer = (name: string) => join(REPO_ROOT, "test", "peers", name);
/** The emulated pod's service account, which the default federated credential names. */
const POD_SUBJECT = "system:serviceaccount:default:workload-identity-sa";

interface PeerClient {
  name: string;
  command: string[];
  /** What it prints on success, given the printed environment. */
  output: (env: Record<string, string>) => string;
}

const secretLine = "secret my-secret: Hello!\n";
const CLIENTS: PeerClient[] = [
  {
    name: "MSAL for Python (client-assertion callable) behind the Key Vault SDK",
    command: ["python3", peer("msal_keyvault.py")],
    output: () => secretLine,
  },
  {
    name: "Python azure-identity's ClientAssertionCredential with SecretClient",
    command: ["python3", peer("azure_identity_keyvault.py")],
    output: () => secretLine,
  },
  {
    name: "msal-node (client-assertion callback) behind @azure/keyvault-secrets",
    command: ["node", peer("msal-node-keyvault.mjs")],
    output: () => secretLine,
  },
  {
    name: "@azure/identity's WorkloadIdentityCredential with SecretClient and the Graph client",
    command: ["node", peer("azure-identity-keyvault-graph.cjs")],
    output: (env) => `${secretLine}tenant ${env.AZURE_TENANT_ID ?? ""}: Contoso (emulated)\n`,
  },
];

/** A real-hostname emulator started by its CLI, and a way to run a program with only what it printed. */
interface RealHostnameEmulator {
  env: Record<string, string>;
  run: (command: string[]) => Promise<ChildResult>;
  stop: () => Promise<ChildResult>;
}

/** PATH and HOME: node (Node 24 in CI) and Debian's python3 and curl, and an empty home. */
function baseEnv(home: string): NodeJS.ProcessEnv {
  return { PATH: `${dirname(process.execPath)}:/usr/bin:/bin`, HOME: home };
}

async function startEmulator(config?: unknown): Promise<RealHostnameEmulator> {
  const dir = await mkdtemp(join(tmpdir(), "peer-clients-"));
  const home = join(dir, "home");
  await mkdir(home);
  const envFile = join(dir, "emulator.env");
  const args = ["--real-hostnames", "--state-dir", join(dir, "state"), "--write-env", envFile, "--json"];
  if (config !== undefined) {
    await writeFile(join(dir, "config.json"), JSON.stringify(config));
    args.push("--config", join(dir, "config.json"));
  }
  const emulator = spawn(process.execPath, [CLI, ...args], {
    env: baseEnv(home),
    stdio: ["ignore", "pipe", "pipe"],
  });
  const exited = collect(emulator, 10 * 60_000);
  const env = JSON.parse(await waitForOutput(emulator, /\}\s*$/)) as Record<string, string>;
  return {
    env,
    // The shell sources the --write-env file, as a user would: its export lines are the whole environment.
    run: (command) =>
      collect(
        spawn("bash", ["-c", '. "$0" && exec "$@"', envFile, ...command], {
          env: baseEnv(home),
          cwd: home,
          stdio: ["ignore", "pipe", "pipe"],
        }),
        60_000,
      ).catch((error: unknown) => ({ code: null, signal: null, stdout: "", stderr: String(error) })),
    stop: async () => {
      emulator.kill("SIGTERM");
      try {
        return await exited;
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
}

const discoveryUrl = (env: Record<string, string>) =>
  `https://login.microsoftonline.com/${env.AZURE_TENANT_ID ?? ""}/v2.0/.well-known/openid-configuration`;

describe("with the federated credential that names the pod's service account", () => {
  let emulator: RealHostnameEmulator;
  // Every client runs at once, started as soon as the emulator is up; each test awaits its own.
  const runs = new Map<string, Promise<ChildResult>>();

  beforeAll(async () => {
    emulator = await startEmulator();
    for (const client of CLIENTS) runs.set(client.name, emulator.run(client.command));
    runs.set("curl discovery", emulator.run(["curl", "-sS", "--fail-with-body", discoveryUrl(emulator.env)]));
    runs.set("curl elsewhere", emulator.run(["curl", "-sS", "https://example.com/"]));
  });
  afterAll(async () => {
    await Promise.allSettled(runs.values());
    const stopped = await emulator.stop();
    expect(stopped.code).toBe(0);
  });

  it("prints the real Azure names, the proxy and the CA bundles", () => {
    expect(emulator.env).toMatchObject({
      AZURE_AUTHORITY_HOST: "https://login.microsoftonline.com/",
      KEYVAULT_URL: "https://quickstart-kv.vault.azure.net/",
      SECRET_NAME: "my-secret",
      HTTPS_PROXY: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
      NODE_USE_ENV_PROXY: "1",
    });
    for (const name of ["NODE_EXTRA_CA_CERTS", "SSL_CERT_FILE", "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE"]) {
      expect(emulator.env[name]).toEqual(expect.any(String));
    }
  });

  it.each(CLIENTS)("$name prints what it read", async (client) => {
    const result = await runs.get(client.name);
    expect(result).toMatchObject({ code: 0, stdout: client.output(emulator.env), stderr: "" });
  });

  it("curl reads Entra's discovery document under its real name through the proxy", async () => {
    const result = await runs.get("curl discovery");
    expect(result).toMatchObject({ code: 0, stderr: "" });
    const tenant = emulator.env.AZURE_TENANT_ID ?? "";
    expect(JSON.parse(result?.stdout ?? "")).toMatchObject({
      issuer: `https://login.microsoftonline.com/${tenant}/v2.0`,
      token_endpoint: `https://login.microsoftonline.com/${tenant}/oauth2/v2.0/token`,
    });
  });

  it("the proxy refuses a host it does not emulate: curl to https://example.com gets 403 to its CONNECT", async () => {
    const result = await runs.get("curl elsewhere");
    expect(result?.code).not.toBe(0);
    expect(result?.stdout).toBe("");
    expect(result?.stderr).toMatch(/CONNECT.* 403/);
  });
});

describe("with a federated credential for another subject", () => {
  let emulator: RealHostnameEmulator;
  const runs = new Map<string, Promise<ChildResult>>();

  beforeAll(async () => {
    emulator = await startEmulator({
      applications: [
        {
          federatedIdentityCredentials: [
            { name: "wrong", subject: "system:serviceaccount:default:someone-else" },
          ],
        },
      ],
    });
    for (const client of CLIENTS) runs.set(client.name, emulator.run(client.command));
  });
  afterAll(async () => {
    await Promise.allSettled(runs.values());
    const stopped = await emulator.stop();
    expect(stopped.code).toBe(0);
  });

  it.each(CLIENTS)("$name fails with Entra's AADSTS700213 naming the presented subject", async (client) => {
    const result = await runs.get(client.name);
    expect(result?.code).toBe(1);
    expect(result?.stdout).toBe("");
    expect(result?.stderr).toContain(
      `AADSTS700213: No matching federated identity record found for presented assertion subject '${POD_SUBJECT}'.`,
    );
  });
});

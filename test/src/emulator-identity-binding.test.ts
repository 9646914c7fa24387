// The emulator's AKS identity-binding mode, driven by clients nobody here wrote: Node's own HTTPS client with the
// projected CA and the SNI name, and @azure/identity 4.14's WorkloadIdentityCredential({ enableAzureProxy: true })
// with @azure/keyvault-secrets. (Our own credential against the proxy: credential-identity-binding.test.ts.)
import { WorkloadIdentityCredential } from "@azure/identity";
import { SecretClient } from "@azure/keyvault-secrets";
import type { Emulator, EmulatorConfigInput } from "@workload-identity/emulator";
import { decodeJwt } from "jose";
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { request } from "node:https";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { collect, podEnvironment, waitForOutput } from "./support/child-process.js";
import { httpsRequest } from "./support/https.js";
import { projectedToken, requestToken, type EntraErrorBody } from "./support/token-request.js";
import { withProcessEnv } from "./support/process-env.js";
import { startTrustedEmulator } from "./support/trusted-emulator.js";

const JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
const BOUND = "0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0";
const DIRECT = "55555555-6666-4777-8888-999999999999";
const VAULT = "https://vault.azure.net/.default";

interface ProxyAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  json: Record<string, unknown>;
}

interface ProxyCall {
  path?: string;
  form?: Record<string, string>;
  /** PEM to trust; default: the projected CA file, read now. */
  ca?: string;
  /** Default: AZURE_KUBERNETES_SNI_NAME; null sends none (Node sends no SNI for an IP address). */
  servername?: string | null;
}

/** A token request to the proxy, as a pod sends it with Node's own HTTPS client. */
async function callProxy(emulator: Emulator, call: ProxyCall = {}): Promise<ProxyAnswer> {
  const proxy = new URL(emulator.env.AZURE_KUBERNETES_TOKEN_PROXY ?? "");
  const ca = call.ca ?? (await readFile(emulator.env.AZURE_KUBERNETES_CA_FILE ?? "", "utf8"));
  const servername = call.servername === undefined ? emulator.env.AZURE_KUBERNETES_SNI_NAME : call.servername;
  const form = call.form ?? (await podForm(emulator));
  const base = proxy.pathname === "/" ? "" : proxy.pathname;
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: proxy.hostname,
        port: proxy.port,
        path: `${base}${call.path ?? `/${emulator.env.AZURE_TENANT_ID}/oauth2/v2.0/token`}`,
        method: "POST",
        ca,
        ...(servername === null ? {} : { servername }),
        agent: false,
        headers: { "content-type": "application/x-www-form-urlencoded", "client-request-id": "binding-test" },
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (text += chunk));
        res.on("end", () => {
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            json: JSON.parse(text) as Record<string, unknown>,
          });
        });
      },
    );
    req.on("error", reject);
    req.end(new URLSearchParams(form).toString());
  });
}

async function podForm(
  emulator: Emulator,
  overrides: Record<string, string> = {},
): Promise<Record<string, string>> {
  return {
    grant_type: "client_credentials",
    client_id: emulator.env.AZURE_CLIENT_ID,
    scope: VAULT,
    client_assertion_type: JWT_BEARER,
    client_assertion: await projectedToken(emulator),
    ...overrides,
  };
}

const theirs = () =>
  new WorkloadIdentityCredential({ enableAzureProxy: true, disableInstanceDiscovery: true });

const CONFIG: EmulatorConfigInput = {
  applications: [
    {},
    {
      clientId: DIRECT,
      displayName: "direct-federation",
      federatedIdentityCredentials: [{ name: "direct", subject: "system:serviceaccount:default:direct-sa" }],
    },
  ],
  vaults: [{ name: "quickstart-kv", secrets: { "my-secret": "Hello!" }, readers: [BOUND, DIRECT] }],
  identityBinding: { caRotationSeconds: null },
};

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startTrustedEmulator(CONFIG);
});
afterAll(() => emulator.close());
beforeEach(() => {
  emulator.faults.clear();
  emulator.stats.reset();
});

describe("a token through the proxy", () => {
  it("is Entra's answer for the bound identity, and reads the Key Vault secret", async () => {
    const answer = await callProxy(emulator);

    expect(answer.status).toBe(200);
    expect(answer.headers["client-request-id"]).toBe("binding-test");
    const accessToken = String(answer.json.access_token);
    expect(decodeJwt(accessToken)).toMatchObject({ aud: "https://vault.azure.net", appid: BOUND });
    const secret = await httpsRequest(`${emulator.env.KEYVAULT_URL}secrets/my-secret?api-version=7.5`, {
      ca: emulator.caCertificate,
      headers: { authorization: `Bearer ${accessToken}` },
    });
    expect(secret.status).toBe(200);
    expect(secret.json()).toMatchObject({ value: "Hello!" });
  });

  it("is counted: one token-proxy request, which made one request to Entra", async () => {
    await callProxy(emulator);

    expect(emulator.stats.count({ endpoint: "token-proxy", status: 200 })).toBe(1);
    expect(emulator.stats.count({ endpoint: "token", status: 200 })).toBe(1);
  });
});

describe("the direct exchange", () => {
  it("is refused: the bound identity is federated with the binding's issuer only (AADSTS700211 names the cluster's)", async () => {
    const response = await requestToken(emulator, await projectedToken(emulator));

    expect(response.status).toBe(401);
    const body = response.json<EntraErrorBody>();
    expect(body.error_codes).toEqual([700211]);
    expect(body.error_description).toContain(`presented assertion issuer '${emulator.urls.issuer}'`);
  });

  it("still works for an identity federated directly, beside the bound one, on the same emulator", async () => {
    const token = await emulator.issuer.mintServiceAccountToken({
      namespace: "default",
      serviceAccount: "direct-sa",
      audience: "api://AzureADTokenExchange",
      lifetimeSeconds: 600,
    });
    const response = await requestToken(emulator, token, { client_id: DIRECT });

    expect(response.status).toBe(200);
  });

  it("is what the proxy refuses too: a direct-federation token has the wrong audience for it (401)", async () => {
    const token = await emulator.issuer.mintServiceAccountToken({
      namespace: "default",
      serviceAccount: "workload-identity-sa",
      audience: "api://AzureADTokenExchange",
      lifetimeSeconds: 600,
    });
    const answer = await callProxy(emulator, { form: await podForm(emulator, { client_assertion: token }) });

    expect(answer.status).toBe(401);
    expect(answer.json).toMatchObject({ error: "invalid_client", error_codes: [] });
    expect(String(answer.json.error_description)).toContain("api://AKSIdentityBinding");
  });
});

describe("TLS to the proxy", () => {
  it("fails for another server name: the certificate is valid for the SNI name only", async () => {
    await expect(callProxy(emulator, { servername: "another.ests.aks" })).rejects.toMatchObject({
      code: "ERR_TLS_CERT_ALTNAME_INVALID",
    });
  });

  it("fails without a server name: the proxy's IP address is not in its certificate", async () => {
    await expect(callProxy(emulator, { servername: null })).rejects.toMatchObject({
      code: "ERR_TLS_CERT_ALTNAME_INVALID",
    });
  });

  it("fails with the emulator's main CA: the proxy has its own", async () => {
    await expect(callProxy(emulator, { ca: emulator.caCertificate })).rejects.toMatchObject({
      code: "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
    });
  });
});

describe("who may use which identity", () => {
  it("answers 403 to a service account the ClusterRoleBinding does not name", async () => {
    const token = await emulator.issuer.mintServiceAccountToken({
      namespace: "default",
      serviceAccount: "other-sa",
      audience: "api://AKSIdentityBinding",
      lifetimeSeconds: 600,
    });
    const answer = await callProxy(emulator, { form: await podForm(emulator, { client_assertion: token }) });

    expect(answer.status).toBe(403);
    expect(answer.json).toMatchObject({ error: "unauthorized_client", correlation_id: "binding-test" });
    expect(String(answer.json.error_description)).toContain("'use-managed-identity'");
  });

  it("answers 403 to the pod's own account asking for a client id it may not use", async () => {
    const answer = await callProxy(emulator, { form: await podForm(emulator, { client_id: DIRECT }) });

    expect(answer.status).toBe(403);
  });
});

describe("CA rotation (a hard swap)", () => {
  it("fails a client still holding the old CA, and serves one that reads the file again", async () => {
    const oldCa = await readFile(emulator.env.AZURE_KUBERNETES_CA_FILE ?? "", "utf8");
    expect((await callProxy(emulator, { ca: oldCa })).status).toBe(200);

    await emulator.rotateProxyCa();

    await expect(callProxy(emulator, { ca: oldCa })).rejects.toMatchObject({
      code: "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
    });
    const newCa = await readFile(emulator.env.AZURE_KUBERNETES_CA_FILE ?? "", "utf8");
    expect(newCa).not.toBe(oldCa);
    expect((await callProxy(emulator, { ca: newCa })).status).toBe(200);
  });

  it("rotates on the admin endpoint too", async () => {
    const before = emulator.identityBinding?.caRotations ?? 0;
    const response = await httpsRequest(`${emulator.urls.admin}/rotate-proxy-ca`, {
      method: "POST",
      ca: emulator.caCertificate,
    });

    expect(response.status).toBe(200);
    expect(emulator.identityBinding?.caRotations).toBe(before + 1);
    expect((await callProxy(emulator)).status).toBe(200);
  });
});

describe("faults on the proxy", () => {
  it("answers the injected status in Entra's shape with Retry-After, counted as token-proxy", async () => {
    emulator.faults.add({ endpoint: "token-proxy", status: 429, retryAfterSeconds: 2, first: 1 });

    const throttled = await callProxy(emulator);
    const next = await callProxy(emulator);

    expect([throttled.status, throttled.headers["retry-after"], throttled.json.error]).toEqual([
      429,
      "2",
      "temporarily_unavailable",
    ]);
    expect(next.status).toBe(200);
    expect(emulator.stats.count({ endpoint: "token-proxy", status: 429 })).toBe(1);
  });

  it("drops the connection when told to, and counts it as status 0", async () => {
    emulator.faults.add({ endpoint: "token-proxy", reset: true, first: 1 });

    await expect(callProxy(emulator)).rejects.toThrow(/ECONNRESET|socket hang up/);
    expect(emulator.stats.count({ endpoint: "token-proxy", status: 0 })).toBe(1);
  });
});

describe("@azure/identity 4.14 with enableAzureProxy", () => {
  it("gets a token and the Key Vault secret through the proxy, never from Entra directly", async () => {
    const value = await withProcessEnv({ ...emulator.env }, async () => {
      const credential = theirs();
      const client = new SecretClient(emulator.env.KEYVAULT_URL, credential, {
        disableChallengeResourceVerification: true,
      });
      return (await client.getSecret("my-secret")).value;
    });

    expect(value).toBe("Hello!");
    const viaProxy = emulator.stats.count({ endpoint: "token-proxy", status: 200 });
    expect(viaProxy).toBeGreaterThanOrEqual(1);
    // Every token request Entra saw came from the proxy; MSAL's metadata GET went through it too.
    expect(emulator.stats.count({ endpoint: "token" })).toBe(viaProxy);
    expect(emulator.stats.count({ endpoint: "token-proxy-metadata", status: 200 })).toBeGreaterThanOrEqual(1);
  });

  it("keeps working across CA rotations: it reads the CA file again for each request", async () => {
    const scopes = ["https://storage.azure.com/.default", "https://management.azure.com/.default"];
    const tokens = await withProcessEnv({ ...emulator.env }, async () => {
      const credential = theirs();
      const got: string[] = [(await credential.getToken(VAULT)).token];
      for (const scope of scopes) {
        await emulator.rotateProxyCa();
        got.push((await credential.getToken(scope)).token); // a new scope: a new request to the proxy
      }
      return got;
    });

    expect(tokens.map((t) => decodeJwt(t).aud)).toEqual([
      "https://vault.azure.net",
      "https://storage.azure.com",
      "https://management.azure.com",
    ]);
  });

  it("surfaces the proxy's 403 for a client id the service account may not use", async () => {
    const error = await withProcessEnv({ ...emulator.env, AZURE_CLIENT_ID: DIRECT }, () =>
      theirs()
        .getToken(VAULT)
        .then(
          () => undefined,
          (e: unknown) => e,
        ),
    );

    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toContain("may not use managed identity");
  });
});

describe("a proxy under a base path", () => {
  let based: Emulator;
  beforeAll(async () => {
    based = await startTrustedEmulator({
      identityBinding: { basePath: "/identity-binding/", caRotationSeconds: null },
    });
  });
  afterAll(() => based.close());

  it("is announced with its path and serves @azure/identity there (https://p/base + /TENANT/...)", async () => {
    expect(based.env.AZURE_KUBERNETES_TOKEN_PROXY).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/identity-binding$/);

    const token = await withProcessEnv({ ...based.env }, () => theirs().getToken(VAULT));

    expect(decodeJwt(token.token).appid).toBe(BOUND);
    expect(
      based.stats
        .snapshot()
        .filter((r) => r.endpoint === "token-proxy")
        .map((r) => r.path),
    ).toEqual([`/identity-binding/${based.env.AZURE_TENANT_ID}/oauth2/v2.0/token`]);
  });
});

describe("the CLI in identity-binding mode", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "emulator-identity-binding-cli-"));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("prints the three proxy variables in its JSON environment, and their summary on stderr", async () => {
    const packageDir = dirname(require.resolve("@workload-identity/emulator/package.json"));
    const bin = (
      JSON.parse(readFileSync(join(packageDir, "package.json"), "utf8")) as { bin: Record<string, string> }
    ).bin["workload-identity-emulator"];
    const configPath = join(dir, "config.json");
    await writeFile(configPath, JSON.stringify({ identityBinding: { basePath: "/base" } }));
    const child = spawn(
      process.execPath,
      [join(packageDir, bin ?? ""), "--json", "--config", configPath, "--state-dir", join(dir, "state")],
      { env: podEnvironment({}), stdio: ["ignore", "pipe", "pipe"] },
    );
    const exited = collect(child, 30_000);
    const env = JSON.parse(await waitForOutput(child, /\n}\n/)) as Record<string, string>;
    child.kill("SIGTERM");
    const result = await exited;

    expect(env.AZURE_KUBERNETES_TOKEN_PROXY).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/base$/);
    expect(env.AZURE_KUBERNETES_SNI_NAME).toMatch(/^[0-9a-f]{64}\.ests\.aks$/);
    expect(env.AZURE_KUBERNETES_CA_FILE).toBe(
      join(dir, "state", "serviceaccount-token", "ca-cert", "ca.crt"),
    );
    expect(env.AZURE_FEDERATED_TOKEN_FILE).toBe(
      join(dir, "state", "serviceaccount-token", "token", "azure-identity-token"),
    );
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(`proxy      ${env.AZURE_KUBERNETES_TOKEN_PROXY ?? ""} (server name`);
  });
});

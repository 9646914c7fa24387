// Real-hostname mode as a user meets it: the printed environment alone sends an unchanged program to Azure's real
// names, the proxy refuses everything else, and the CA it hands out can vouch for those names only.
import { X509Certificate } from "node:crypto";
import { readFile, mkdtemp, rm } from "node:fs/promises";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createEmulator, type Emulator, type EmulatorConfigInput } from "@workload-identity/emulator";
import { runNode } from "./support/child-process.js";
import { freePort, OutputWatcher, startSample, stopAndTime } from "./support/samples.js";

const PRINTED_VARIABLES = [
  "AZURE_CLIENT_ID",
  "AZURE_TENANT_ID",
  "AZURE_FEDERATED_TOKEN_FILE",
  "AZURE_AUTHORITY_HOST",
  "HTTPS_PROXY",
  "https_proxy",
  "NO_PROXY",
  "no_proxy",
  "NODE_USE_ENV_PROXY",
  "NODE_EXTRA_CA_CERTS",
  "SSL_CERT_FILE",
  "REQUESTS_CA_BUNDLE",
  "CURL_CA_BUNDLE",
  "KEYVAULT_URL",
  "SECRET_NAME",
  "GRAPH_ENDPOINT",
];

/** A program that knows nothing of the emulator: plain `fetch`, answers printed as JSON lines. */
const FETCH_PROGRAM = `
for (const url of process.argv.slice(1)) {
  try {
    const res = await fetch(url);
    console.log(JSON.stringify({ url, status: res.status, authenticate: res.headers.get("www-authenticate"), body: await res.text() }));
  } catch (error) {
    console.log(JSON.stringify({ url, error: String(error.cause ?? error) }));
  }
}`;

const NODE_22_PROXY_WARNING =
  /^\(node:\d+\) \[UNDICI-EHPA\] Warning: EnvHttpProxyAgent is experimental.*\n\(Use `node --trace-warnings \.\.\.`.*\n/;

interface Fetched {
  url: string;
  status?: number;
  authenticate?: string | null;
  body?: string;
  error?: string;
}

async function fetchWithPrintedEnv(env: Record<string, string>, urls: string[]): Promise<Fetched[]> {
  const result = await runNode(["--input-type=module", "-e", FETCH_PROGRAM, ...urls], env);
  // Node 22 warns once that the proxy agent NODE_USE_ENV_PROXY turns on is experimental; nothing else may appear.
  expect(result.stderr.replace(NODE_22_PROXY_WARNING, "")).toBe("");
  return result.stdout
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as Fetched);
}

/** Sends raw bytes to the proxy and returns the first line of its answer. */
function rawProxyRequest(proxyUrl: string, request: string): Promise<string> {
  const { hostname, port } = new URL(proxyUrl);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.write(request));
    let answer = "";
    socket.on("data", (chunk: Buffer) => {
      answer += chunk.toString("latin1");
      if (answer.includes("\r\n")) {
        resolve(answer.split("\r\n")[0] ?? "");
        socket.destroy();
      }
    });
    socket.on("error", reject);
    socket.on("close", () => {
      resolve(answer.split("\r\n")[0] ?? "");
    });
  });
}

describe("the default real-hostname emulator", () => {
  let emulator: Emulator;
  const refused: string[] = [];

  beforeAll(async () => {
    emulator = await createEmulator({
      realHostnames: true,
      onProxyRefusal: (destination, reason) => refused.push(`${destination}: ${reason}`),
    });
  });
  afterAll(() => emulator.close());

  it("prints an environment with Azure's real names, the proxy and the CA for every runtime", () => {
    const { env } = emulator;
    expect(Object.keys(env).sort()).toEqual([...PRINTED_VARIABLES].sort());
    expect(env.AZURE_AUTHORITY_HOST).toBe("https://login.microsoftonline.com/");
    expect(env.KEYVAULT_URL).toBe("https://quickstart-kv.vault.azure.net/");
    expect(env.GRAPH_ENDPOINT).toBe("https://graph.microsoft.com");
    expect(env.HTTPS_PROXY).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(env.https_proxy).toBe(env.HTTPS_PROXY);
    expect(env.NO_PROXY).toBe("localhost,127.0.0.1,::1");
    expect(env.NODE_USE_ENV_PROXY).toBe("1");
    expect(emulator.urls.issuer).toBe(
      `https://eastus.oic.prod-aks.azure.com/${env.AZURE_TENANT_ID}/5e1d0c4b-9a8f-4e7d-b6c5-a4b3c2d1e0f9/`,
    );

    // Only in the state directory: nothing is written to a trust store.
    expect(env.NODE_EXTRA_CA_CERTS).toBe(join(emulator.stateDir, "real-hostnames", "ca.pem"));
    for (const name of ["SSL_CERT_FILE", "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE"]) {
      expect(env[name]).toBe(join(emulator.stateDir, "real-hostnames", "ca-bundle.pem"));
    }
  });

  it("hands out a CA that says what it is for, and a bundle of the system's CAs plus that CA alone", async () => {
    const ca = new X509Certificate(await readFile(emulator.env.NODE_EXTRA_CA_CERTS, "utf8"));
    expect(ca.ca).toBe(true);
    expect(ca.subject).toMatch(/^CN=Workload Identity Emulator Azure-Names CA [0-9a-f]{8}\n/);

    const bundle = await readFile(emulator.env.SSL_CERT_FILE ?? "", "utf8");
    const certificates = bundle.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
    const emulatorCas = certificates.filter((pem) =>
      new X509Certificate(pem).subject.includes("O=workload-identity emulator"),
    );
    expect(emulatorCas.map((pem) => new X509Certificate(pem).fingerprint256)).toEqual([ca.fingerprint256]);
    // Those variables replace the system store, so the system's roots must be in it too.
    expect(certificates.length).toBeGreaterThan(20);
  });

  it("serves discovery, Key Vault's challenge and Graph under their real names to a program that only fetches", async () => {
    const { env } = emulator;
    const tenant = env.AZURE_TENANT_ID;
    const [discovery, vault, graph] = await fetchWithPrintedEnv(env, [
      `${env.AZURE_AUTHORITY_HOST}${tenant}/v2.0/.well-known/openid-configuration`,
      `${env.KEYVAULT_URL}secrets/${env.SECRET_NAME}?api-version=7.5`,
      `${env.GRAPH_ENDPOINT}/v1.0/organization`,
    ]);

    expect(discovery?.status).toBe(200);
    expect(JSON.parse(discovery?.body ?? "{}")).toMatchObject({
      token_endpoint: `https://login.microsoftonline.com/${tenant}/oauth2/v2.0/token`,
    });
    // The challenge's resource and the vault's host now agree, so no client needs its check turned off.
    expect(vault?.status).toBe(401);
    expect(vault?.authenticate).toBe(
      `Bearer authorization="https://login.microsoftonline.com/${tenant}", resource="https://vault.azure.net"`,
    );
    expect(graph?.status).toBe(401);
    expect(emulator.stats.count({ host: "quickstart-kv.vault.azure.net" })).toBeGreaterThanOrEqual(1);
  });

  it("refuses every destination it does not emulate, says why in the status line, and tells the owner", async () => {
    const proxy = emulator.env.HTTPS_PROXY ?? "";
    const [other] = await fetchWithPrintedEnv(emulator.env, ["https://example.com/"]);
    // Node's fetch says only that the tunnel failed; the emulator's owner hears which host and why.
    expect(other?.status).toBeUndefined();
    expect(other?.error).toBeDefined();
    expect(refused).toContain("example.com:443: example.com is not an emulated host");

    await expect(
      rawProxyRequest(proxy, "CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n"),
    ).resolves.toBe(
      "HTTP/1.1 403 Refused by workload-identity-emulator: example.com is not an emulated host",
    );
    await expect(
      rawProxyRequest(proxy, "CONNECT login.microsoftonline.com:8443 HTTP/1.1\r\nHost: x\r\n\r\n"),
    ).resolves.toBe(
      "HTTP/1.1 403 Refused by workload-identity-emulator: port 8443 is not emulated (Azure's hosts serve HTTPS on 443)",
    );
    await expect(
      rawProxyRequest(
        proxy,
        "GET http://login.microsoftonline.com/ HTTP/1.1\r\nHost: login.microsoftonline.com\r\n\r\n",
      ),
    ).resolves.toBe("HTTP/1.1 403 Forbidden");
    await expect(rawProxyRequest(proxy, "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")).resolves.toBe(
      "HTTP/1.1 400 Bad Request",
    );
    expect(refused).toEqual(
      expect.arrayContaining([
        "example.com:443: example.com is not an emulated host",
        "login.microsoftonline.com:8443: port 8443 is not emulated (Azure's hosts serve HTTPS on 443)",
      ]),
    );
  });

  it("survives a client that resets its connection after CONNECT", async () => {
    const { hostname, port } = new URL(emulator.env.HTTPS_PROXY ?? "");
    for (const target of ["example.com:443", "login.microsoftonline.com:443"]) {
      await new Promise<void>((resolve) => {
        const socket = connect(Number(port), hostname, () => {
          socket.write(`CONNECT ${target} HTTP/1.1\r\nHost: ${target}\r\n\r\n`);
          setTimeout(() => {
            socket.resetAndDestroy();
            resolve();
          }, 20);
        });
      });
    }
    const [after] = await fetchWithPrintedEnv(emulator.env, [
      `${emulator.env.AZURE_AUTHORITY_HOST}common/discovery/instance?api-version=1.1&authorization_endpoint=https://login.microsoftonline.com/common/oauth2/v2.0/authorize`,
    ]);
    expect(after?.status).toBe(200);
  });

  it("leaves the application's own fetch on the proxy after our credential's proxied token request", async () => {
    // On Node 22 the undici package, loaded for the credential's proxy, used to replace the global dispatcher that
    // NODE_USE_ENV_PROXY=1 installs: the application's next fetch() then ignored HTTPS_PROXY (ENOTFOUND).
    const result = await runNode(
      [
        "--input-type=module",
        "-e",
        `import { WorkloadIdentityCredential } from "@workload-identity/credential";
         await new WorkloadIdentityCredential().getToken("https://graph.microsoft.com/.default");
         const res = await fetch(process.env.GRAPH_ENDPOINT + "/v1.0/organization");
         console.log(res.status);`,
      ],
      emulator.env,
    );
    expect(result.stderr.replace(NODE_22_PROXY_WARNING, "")).toBe("");
    expect(result.stdout).toBe("401\n");
  });

  it("runs both samples unchanged: their own loopback exceptions no longer apply", async () => {
    const quickstart = startSample("keyvault-quickstart", emulator.env);
    const quickstartOutput = new OutputWatcher(quickstart);
    const graphPort = await freePort();
    const reader = startSample("graph-tenant-reader", { ...emulator.env, PORT: String(graphPort) });
    const readerOutput = new OutputWatcher(reader);
    try {
      await quickstartOutput.waitFor(/"successfully got secret" secret="Hello!"/);
      await readerOutput.waitFor(/"read tenant" displayName="Contoso \(emulated\)"/);
    } finally {
      await stopAndTime(quickstart);
      await stopAndTime(reader);
    }
    expect(
      emulator.stats.count({ host: "quickstart-kv.vault.azure.net", status: 200 }),
    ).toBeGreaterThanOrEqual(1);
    expect(emulator.stats.count({ host: "graph.microsoft.com", status: 200 })).toBeGreaterThanOrEqual(1);
    // Entra fetched the cluster issuer's keys under its real name, from the same process.
    expect(
      emulator.stats.count({ host: "eastus.oic.prod-aks.azure.com", endpoint: "jwks" }),
    ).toBeGreaterThanOrEqual(1);
  });
});

describe("a real-hostname configuration written once", () => {
  let stateDir: string;
  beforeEach(async () => {
    stateDir = await mkdtemp(join(tmpdir(), "real-hostnames-"));
  });
  afterEach(() => rm(stateDir, { recursive: true, force: true }));

  it("keeps its proxy port and its CA across restarts, and reissues the CA when the emulated names change", async () => {
    const proxyPort = await freePort();
    const config: EmulatorConfigInput = { realHostnames: true, ports: { proxy: proxyPort } };

    const first = await createEmulator({ config, stateDir });
    const firstCa = await readFile(first.caCertPath, "utf8");
    expect(first.env.HTTPS_PROXY).toBe(`http://127.0.0.1:${proxyPort}`);
    await first.close();

    const again = await createEmulator({ config, stateDir });
    expect(again.env.HTTPS_PROXY).toBe(`http://127.0.0.1:${proxyPort}`);
    expect(await readFile(again.caCertPath, "utf8")).toBe(firstCa);
    await again.close();

    // A constrained CA cannot grow: a new vault's name needs a new CA, at the same path.
    const wider = await createEmulator({
      config: { ...config, vaults: [{}, { name: "second-kv", secrets: { other: "two" } }] },
      stateDir,
    });
    try {
      expect(wider.caCertPath).toBe(first.caCertPath);
      expect(await readFile(wider.caCertPath, "utf8")).not.toBe(firstCa);
      const [second] = await fetchWithPrintedEnv(wider.env, [
        "https://second-kv.vault.azure.net/secrets/other?api-version=7.5",
      ]);
      expect(second?.status).toBe(401);
    } finally {
      await wider.close();
    }
  });

  it("serves a configured issuer host, and refuses one that is not a DNS name", async () => {
    const emulator = await createEmulator({
      config: { realHostnames: { issuerHost: "oidc.prod-aks.azure.com" }, issuerPath: "/cluster-1/" },
      stateDir,
    });
    try {
      expect(emulator.urls.issuer).toBe("https://oidc.prod-aks.azure.com/cluster-1/");
      const [discovery] = await fetchWithPrintedEnv(emulator.env, [
        `${emulator.urls.issuer}.well-known/openid-configuration`,
      ]);
      expect(JSON.parse(discovery?.body ?? "{}")).toMatchObject({ issuer: emulator.urls.issuer });
    } finally {
      await emulator.close();
    }
    await expect(
      createEmulator({ config: { realHostnames: { issuerHost: "https://x.example/" } } }),
    ).rejects.toThrow(
      "Invalid emulator configuration at realHostnames.issuerHost: must be a lower-case DNS name",
    );
  });

  it("answers a federated credential that does not match with Entra's own error, under the real names", async () => {
    const emulator = await createEmulator({
      realHostnames: true,
      stateDir,
      config: {
        applications: [
          {
            federatedIdentityCredentials: [
              { name: "other", subject: "system:serviceaccount:default:someone-else" },
            ],
          },
        ],
      },
    });
    try {
      // Our credential, told not to wait for a credential that might still be propagating (its default is 60 s).
      const result = await runNode(
        [
          "--input-type=module",
          "-e",
          `import { WorkloadIdentityCredential } from "@workload-identity/credential";
           try { await new WorkloadIdentityCredential({ federatedCredentialPropagationMs: 0 }).getToken("https://vault.azure.net/.default"); }
           catch (error) { console.log(error.message); }`,
        ],
        emulator.env,
      );
      expect(result.stdout).toContain("AADSTS700213");
      expect(
        emulator.stats.count({ host: "login.microsoftonline.com", endpoint: "token", status: 401 }),
      ).toBe(1);
    } finally {
      await emulator.close();
    }
  });

  it.each([
    ["US Government", "https://graph.microsoft.us", "login.microsoftonline.us", "vault.usgovcloudapi.net"],
    ["China", "https://microsoftgraph.chinacloudapi.cn", "login.chinacloudapi.cn", "vault.azure.cn"],
  ])(
    "serves the %s cloud's authority and vault names when graph.audience names its Graph",
    async (_cloud, graph, authority, vaultSuffix) => {
      const emulator = await createEmulator({
        realHostnames: true,
        stateDir,
        config: { graph: { audience: graph as "https://graph.microsoft.us" } },
      });
      const quickstart = startSample("keyvault-quickstart", emulator.env);
      const output = new OutputWatcher(quickstart);
      try {
        expect(emulator.env).toMatchObject({
          AZURE_AUTHORITY_HOST: `https://${authority}/`,
          KEYVAULT_URL: `https://quickstart-kv.${vaultSuffix}/`,
          GRAPH_ENDPOINT: graph,
        });
        const [vault] = await fetchWithPrintedEnv(emulator.env, [
          `${emulator.env.KEYVAULT_URL}secrets/my-secret?api-version=7.5`,
        ]);
        expect(vault?.authenticate).toBe(
          `Bearer authorization="https://${authority}/${emulator.env.AZURE_TENANT_ID}", resource="https://${vaultSuffix}"`,
        );
        // The Key Vault client checks the vault's host against that resource, and asks for a token for it.
        await output.waitFor(/"successfully got secret" secret="Hello!"/);
        expect(emulator.stats.count({ host: authority, endpoint: "token", status: 200 })).toBe(1);
      } finally {
        await stopAndTime(quickstart);
        await emulator.close();
      }
    },
  );

  it("works with identity bindings: the token proxy stays on loopback, Entra and the vault answer as Azure", async () => {
    const emulator = await createEmulator({ realHostnames: true, stateDir, config: { identityBinding: {} } });
    const quickstart = startSample("keyvault-quickstart", emulator.env);
    const output = new OutputWatcher(quickstart);
    try {
      expect(emulator.env.AZURE_KUBERNETES_TOKEN_PROXY).toMatch(/^https:\/\/127\.0\.0\.1:\d+/);
      await output.waitFor(/"successfully got secret" secret="Hello!"/);
      expect(emulator.stats.count({ endpoint: "token-proxy", status: 200 })).toBe(1);
    } finally {
      await stopAndTime(quickstart);
      await emulator.close();
    }
  });
});

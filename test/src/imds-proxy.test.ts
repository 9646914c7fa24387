// The built IMDS migration proxy against the emulator: unmodified @azure/identity and Key Vault through it
// (by AZURE_POD_IDENTITY_AUTHORITY_HOST, and by the sidecar's iptables redirect), one exchange for many
// requests, IMDS's refusals, the CLI's --probe and SIGTERM, and an AKS identity-binding pod (tokens through the
// emulator's token proxy across CA rotations, with nothing but the webhook's environment).
import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { createServer } from "node:net";
import { request } from "node:http";
import { dirname, join } from "node:path";
import { DEFAULT_CLIENT_ID, type Emulator } from "@workload-identity/emulator";
import { createKlog } from "@workload-identity/klog";
import { createImdsProxy, type ImdsProxy } from "@workload-identity/imds-proxy";
import { decodeJwt } from "jose";
import { collect, podEnvironment, runNode } from "./support/child-process.js";
import { startTrustedEmulator } from "./support/trusted-emulator.js";

const fixture = (name: string) => join(__dirname, "fixtures", name);
const cli = join(dirname(require.resolve("@workload-identity/imds-proxy/package.json")), "dist/esm/cli.js");
const TOKEN_PATH = "/metadata/identity/oauth2/token";
const UNKNOWN_CLIENT_ID = "99999999-8888-7777-6666-555555555555";
/** A resource no other test asks for, so the first request for it is a cold one. */
const FRESH_RESOURCE = "api://imds-proxy-test";

let emulator: Emulator;
let proxy: ImdsProxy;
let proxyUrl: string;
let proxyPort: number;
const lines: string[] = [];

beforeAll(async () => {
  emulator = await startTrustedEmulator({ resources: [FRESH_RESOURCE] });
  proxy = createImdsProxy({
    port: 0,
    env: emulator.env,
    log: createKlog({ write: (line) => lines.push(line) }),
  });
  ({ url: proxyUrl, port: proxyPort } = await proxy.listen());
});
afterAll(async () => {
  await proxy.close();
  await emulator.close();
});
beforeEach(() => {
  lines.length = 0;
});

/** What a pod's app container gets: no AZURE_* variables, so @azure/identity cannot skip IMDS. */
function appEnvironment(extra: Record<string, string>): Record<string, string> {
  return {
    NODE_EXTRA_CA_CERTS: emulator.env.NODE_EXTRA_CA_CERTS,
    KEYVAULT_URL: emulator.env.KEYVAULT_URL,
    SECRET_NAME: emulator.env.SECRET_NAME,
    ...extra,
  };
}

function tokenRequest(query: string, headers: Record<string, string> = { Metadata: "true" }) {
  return fetch(`${proxyUrl}${TOKEN_PATH}?${query}`, { headers });
}

const tokenExchanges = () => emulator.stats.count({ endpoint: "token" });

describe("unmodified @azure/identity", () => {
  it("ManagedIdentityCredential pointed at the proxy by AZURE_POD_IDENTITY_AUTHORITY_HOST gets a token for the pod's identity", async () => {
    const result = await runNode(
      [fixture("imds-token.cjs")],
      appEnvironment({
        AZURE_POD_IDENTITY_AUTHORITY_HOST: proxyUrl,
        IMDS_SCOPE: "https://management.azure.com/.default",
      }),
    );
    expect(result.stderr).toBe("");
    const token = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(token).toMatchObject({
      aud: "https://management.azure.com",
      tid: emulator.env.AZURE_TENANT_ID,
      appid: emulator.env.AZURE_CLIENT_ID,
    });
    expect(token.expiresInSeconds).toBeGreaterThan(3000);
    // MSAL sends IMDS's api-version and adds a trailing slash to the path.
    expect(lines.join("")).toMatch(
      /"token request" method="GET" path="\/metadata\/identity\/oauth2\/token\/" resource="https:\/\/management.azure.com" clientId="0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0" status=200/,
    );
  });

  it("ManagedIdentityCredential with an explicit client id sends client_id, which the proxy uses", async () => {
    const result = await runNode(
      [fixture("imds-token.cjs")],
      appEnvironment({
        AZURE_POD_IDENTITY_AUTHORITY_HOST: `${proxyUrl}/`,
        IMDS_SCOPE: "https://storage.azure.com/.default",
        IMDS_CLIENT_ID: emulator.env.AZURE_CLIENT_ID,
      }),
    );
    expect(result.stderr).toBe("");
    expect(JSON.parse(result.stdout)).toMatchObject({ aud: "https://storage.azure.com" });
  });

  it("SecretClient with ManagedIdentityCredential reads the secret through the proxy and the emulator's vault", async () => {
    const result = await runNode(
      [fixture("imds-keyvault.cjs")],
      appEnvironment({ AZURE_POD_IDENTITY_AUTHORITY_HOST: proxyUrl }),
    );
    expect(result.stderr).toBe("");
    expect(JSON.parse(result.stdout)).toEqual({ name: "my-secret", value: "Hello!" });
    expect(lines.join("")).toMatch(/"token request" .*resource="https:\/\/vault.azure.net" .*status=200/);
    expect(lines.join("")).not.toContain("Hello!");
  });

  it("DefaultAzureCredential behind the iptables redirect: its IMDS ping gets IMDS's 400, then the secret is read", async () => {
    // No AZURE_POD_IDENTITY_AUTHORITY_HOST: the app calls 169.254.169.254, as in the sidecar setup.
    const result = await runNode(
      ["--require", fixture("imds-redirect.cjs"), fixture("imds-keyvault.cjs")],
      appEnvironment({ IMDS_CREDENTIAL: "default", IMDS_REDIRECT_PORT: String(proxyPort) }),
    );
    expect(result.stderr).toBe("");
    expect(JSON.parse(result.stdout)).toEqual({ name: "my-secret", value: "Hello!" });
    // The ping: no query, no Metadata header, a 1-second timeout; any quick answer but a 403 means "available".
    expect(lines[0]).toMatch(
      /^W.*"token request" method="GET" path="\/metadata\/identity\/oauth2\/token" resource="" clientId="" status=400 .*reason="Required metadata header not specified"/,
    );
    expect(lines.join("")).toMatch(/^I.*resource="https:\/\/vault.azure.net" .*status=200/m);
  });
});

describe("one exchange per identity and resource", () => {
  it("100 concurrent requests cause exactly one token exchange, and all get the same token", async () => {
    const before = tokenExchanges();
    const responses = await Promise.all(
      Array.from({ length: 100 }, () =>
        tokenRequest(`resource=${encodeURIComponent("https://graph.microsoft.com")}&api-version=2018-02-01`),
      ),
    );
    const bodies = (await Promise.all(responses.map((r) => r.json()))) as Record<string, string>[];
    expect(responses.map((r) => r.status)).toEqual(Array<number>(100).fill(200));
    expect(new Set(bodies.map((b) => b.access_token)).size).toBe(1);
    expect(tokenExchanges() - before).toBe(1);
    expect(lines).toHaveLength(100);
  });

  it("a second request for the same resource makes no new exchange", async () => {
    const before = tokenExchanges();
    const first = await tokenRequest(`resource=${FRESH_RESOURCE}/&api-version=2019-08-01`);
    expect(first.status).toBe(200);
    expect(tokenExchanges()).toBe(before + 1);
    const second = await tokenRequest(
      `resource=${FRESH_RESOURCE}/&client_id=${emulator.env.AZURE_CLIENT_ID}&api-version=2018-02-01`,
    );
    expect(second.status).toBe(200);
    expect(tokenExchanges()).toBe(before + 1);
    const [a, b] = (await Promise.all([first.json(), second.json()])) as Record<string, string>[];
    expect(b?.access_token).toBe(a?.access_token);
    expect(b).toMatchObject({ resource: `${FRESH_RESOURCE}/`, token_type: "Bearer" });
  });
});

describe("the resource's trailing slash", () => {
  // Azure SQL accepts only aud "https://database.windows.net/" (MSAL.NET #747): the main migration case.
  it.each([
    ["https://database.windows.net/", "https://database.windows.net/"],
    ["https://database.windows.net", "https://database.windows.net"],
  ])("resource=%s gets a token whose aud is %s, as IMDS issues it", async (resource, aud) => {
    const response = await tokenRequest(`resource=${encodeURIComponent(resource)}&api-version=2018-02-01`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { access_token: string; resource: string };
    expect(body.resource).toBe(resource);
    expect(decodeJwt(body.access_token).aud).toBe(aud);
  });
});

describe("memory: nothing kept for refused requests", () => {
  // 2,000 here (about 4 s); the package's own spec sends 10,000 through the proxy with stand-in credentials.
  it("2,000 requests naming random unknown client ids leave only the pod's own identity behind", async () => {
    await tokenRequest("resource=https://vault.azure.net"); // the pod's identity: kept
    const before = tokenExchanges();
    const total = 2_000;
    let next = 0;
    const statuses = new Map<number, number>();
    const worker = async () => {
      while (next < total) {
        next += 1;
        const response = await tokenRequest(`resource=https://vault.azure.net&client_id=${randomUUID()}`);
        await response.arrayBuffer();
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      }
    };
    await Promise.all(Array.from({ length: 16 }, worker));
    expect(Object.fromEntries(statuses)).toEqual({ 400: total });
    expect(tokenExchanges() - before).toBe(total);
    expect(proxy.identities).toBe(1);
  });
});

describe("IMDS's refusals and the credential's errors", () => {
  it("answers 400 without the Metadata: true header, exchanging nothing", async () => {
    const before = tokenExchanges();
    const response = await tokenRequest("resource=https://management.azure.com", {});
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: "invalid_request",
      error_description: "Required metadata header not specified",
    });
    expect(tokenExchanges()).toBe(before);
  });

  it("answers 400 with IMDS's message without a resource", async () => {
    const response = await tokenRequest("api-version=2018-02-01");
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: "invalid_request",
      error_description: "Required query variable 'resource' is missing",
    });
  });

  it("passes Entra's refusal of an unknown client id on as a 400 with the code, never a token", async () => {
    const response = await tokenRequest(
      `resource=https://management.azure.com&client_id=${UNKNOWN_CLIENT_ID}`,
    );
    expect(response.status).toBe(400);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      error: "unauthorized_client",
      code: "ERR_UNKNOWN_CLIENT",
      error_codes: [700016],
      error_description: expect.stringMatching(/^ERR_UNKNOWN_CLIENT: .*700016/),
    });
    expect(body).not.toHaveProperty("access_token");
  });

  it("answers 400 invalid_resource for a resource the tenant does not know", async () => {
    const response = await tokenRequest("resource=https://typo.example.com");
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: "invalid_resource", code: "ERR_UNKNOWN_RESOURCE" });
    expect(lines[0]).toMatch(/^W.*status=400/);
  });
});

describe("in an AKS identity-binding pod (the webhook injected AZURE_KUBERNETES_TOKEN_PROXY)", () => {
  const NOT_ALLOWED = "7d6c5b4a-3e2f-4a1b-9c8d-0e1f2a3b4c5d";
  let bound: Emulator;
  beforeAll(async () => {
    bound = await startTrustedEmulator({
      applications: [{}, { clientId: NOT_ALLOWED }],
      identityBinding: {
        identities: [{ clientId: DEFAULT_CLIENT_ID }, { clientId: NOT_ALLOWED }],
        // As the use-managed-identity ClusterRole and its binding would: the pod's account may use the first only.
        allow: [
          { clientId: DEFAULT_CLIENT_ID, subjects: ["system:serviceaccount:default:workload-identity-sa"] },
        ],
        caRotationSeconds: null,
      },
    });
  });
  afterAll(() => bound.close());
  beforeEach(() => {
    bound.stats.reset();
  });

  const proxyRequests = () => bound.stats.count({ endpoint: "token-proxy" });
  const bindingLines: string[] = [];
  async function withBoundProxy(run: (url: string) => Promise<void>): Promise<void> {
    bindingLines.length = 0;
    // The pod's environment and nothing else: no credentialOptions.
    const imds = createImdsProxy({
      port: 0,
      env: bound.env,
      log: createKlog({ write: (line) => bindingLines.push(line) }),
    });
    const { url } = await imds.listen();
    try {
      await run(url);
    } finally {
      await imds.close();
    }
  }
  const get = (url: string, query: string) =>
    fetch(`${url}${TOKEN_PATH}?${query}`, { headers: { Metadata: "true" } });

  it("answers every token request through the token proxy, trusting each new CA after a hard swap", async () => {
    await withBoundProxy(async (url) => {
      const resources = [
        "https://vault.azure.net",
        "https://management.azure.com",
        "https://storage.azure.com",
      ];
      for (const resource of resources) {
        // A new resource is a new exchange, over a connection the old CA could not verify.
        await bound.rotateProxyCa();
        const response = await get(url, `resource=${resource}&api-version=2018-02-01`);
        expect(response.status).toBe(200);
        const body = (await response.json()) as { access_token: string };
        expect(decodeJwt(body.access_token)).toMatchObject({ aud: resource, appid: DEFAULT_CLIENT_ID });
      }
      expect(proxyRequests()).toBe(resources.length);
      // Entra saw only the proxy's exchanges (each proxied request is counted at both): none went direct.
      expect(bound.stats.count({ endpoint: "token" })).toBe(resources.length);
      expect(bindingLines.join("")).not.toMatch(/^[WE]/m);
    });
  });

  it("answers 500 ERR_TOKEN_PROXY_FORBIDDEN, naming the ClusterRole, for a client id the service account may not use", async () => {
    await withBoundProxy(async (url) => {
      const response = await get(url, `resource=https://vault.azure.net&client_id=${NOT_ALLOWED}`);
      expect(response.status).toBe(500);
      const body = (await response.json()) as Record<string, string>;
      expect(body).toMatchObject({ code: "ERR_TOKEN_PROXY_FORBIDDEN" });
      expect(body.error_description).toContain("use-managed-identity");
      expect(body).not.toHaveProperty("access_token");
      expect(bound.stats.count({ endpoint: "token" })).toBe(0);
    });
  });

  it("the CLI with the pod's environment serves a token through the token proxy", async () => {
    const child = spawn(process.execPath, [cli, "--proxy-port", "0"], {
      env: podEnvironment(bound.env),
      stdio: ["ignore", "pipe", "pipe"],
    });
    const exited = collect(child, 30_000);
    const port = Number(
      /"serving IMDS token requests" address="127.0.0.1" port=(\d+)/.exec(
        await stderrMatching(child, /port=\d+/),
      )?.[1],
    );
    expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);
    const response = await get(`http://127.0.0.1:${port}`, "resource=https://vault.azure.net");
    expect(response.status).toBe(200);
    expect(proxyRequests()).toBe(1);
    child.kill("SIGTERM");
    const result = await exited;
    expect(result.code).toBe(0);
    expect(result.stderr).not.toMatch(/^[WE]/m);
  });
});

describe("the CLI", () => {
  it("--probe exits 0 when the proxy is ready", async () => {
    const result = await runNode([cli, "--probe", "--proxy-port", String(proxyPort)], emulator.env);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/"proxy is ready" url="http:\/\/127.0.0.1:\d+\/readyz" attempts=1/);
  });

  it("--probe exits 1 when nothing listens, within its timeout", async () => {
    const started = Date.now();
    const result = await runNode(
      [cli, "--probe", "--proxy-port", String(await unusedPort()), "--probe-timeout", "1"],
      {},
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^E.*"proxy is not ready" err=".*ECONNREFUSED.*" url=/m);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it("--probe exits 1 with the reason when the proxy is up but cannot make a credential", async () => {
    const unready = createImdsProxy({ port: 0, env: {}, log: createKlog({ write: () => undefined }) });
    const { port } = await unready.listen();
    try {
      const result = await runNode(
        [cli, "--probe", "--proxy-port", String(port), "--probe-timeout", "0.5"],
        {},
      );
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(
        "answered 503: not ready: WorkloadIdentityCredential: AZURE_CLIENT_ID is not set",
      );
    } finally {
      await unready.close();
    }
  });

  it("exits 2 naming a bad option", async () => {
    const result = await runNode([cli, "--proxy-port", "http"], {});
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--proxy-port "http" is not a port number');
  });

  it("serves tokens, then exits 0 within a second of SIGTERM, closing an open connection", async () => {
    const child = spawn(process.execPath, [cli, "--proxy-port", "0"], {
      env: podEnvironment(emulator.env),
      stdio: ["ignore", "pipe", "pipe"],
    });
    const exited = collect(child, 30_000);
    const port = Number(
      /"serving IMDS token requests" address="127.0.0.1" port=(\d+)/.exec(
        await stderrMatching(child, /port=\d+/),
      )?.[1],
    );
    const response = await fetch(`http://127.0.0.1:${port}${TOKEN_PATH}?resource=https://vault.azure.net`, {
      headers: { Metadata: "true" },
    });
    expect(response.status).toBe(200);
    await openIdleConnection(port);

    const started = Date.now();
    child.kill("SIGTERM");
    const result = await exited;
    expect(Date.now() - started).toBeLessThan(1000);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/"shutting down" signal="SIGTERM"/);
  });
});

async function unusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}

function stderrMatching(child: ChildProcess, pattern: RegExp, timeoutMs = 10_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = "";
    const timer = setTimeout(() => {
      reject(new Error(`no ${String(pattern)} within ${timeoutMs} ms: ${seen}`));
    }, timeoutMs);
    child.stderr?.on("data", (chunk: Buffer) => {
      seen += chunk.toString();
      if (pattern.test(seen)) {
        clearTimeout(timer);
        resolve(seen);
      }
    });
  });
}

/** A keep-alive connection left open after its answer, which a plain server.close() would wait for. */
function openIdleConnection(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: "127.0.0.1", port, path: "/healthz", headers: { connection: "keep-alive" } },
      (res) => {
        res.resume();
        res.on("end", () => {
          resolve();
        });
      },
    );
    req.on("error", (error) => {
      // The proxy cutting this connection at shutdown is expected.
      if ((error as NodeJS.ErrnoException).code !== "ECONNRESET") reject(error);
    });
    req.end();
  });
}

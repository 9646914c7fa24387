// Identity-binding mode through a real emulator: the proxy's routes, checks and answers over real HTTPS.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { request } from "node:https";
import { setTimeout as sleep } from "node:timers/promises";
import { decodeJwt } from "jose";
import { createEmulator, type Emulator } from "../emulator.js";
import type { EmulatorConfigInput } from "../config/emulator-config.js";

const OTHER_CLIENT = "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee";
const JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Record<string, unknown>;
}

/** A request to the token proxy as a pod makes it: the projected CA, the SNI name. */
function toProxy(
  emulator: Emulator,
  path: string,
  options: { method?: string; form?: Record<string, string>; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const binding = emulator.identityBinding;
  if (!binding) throw new Error("not in identity-binding mode");
  const url = new URL(binding.proxyUrl);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path,
        method: options.method ?? "POST",
        ca: binding.caCertificate,
        servername: binding.sniName,
        agent: false,
        headers: { "content-type": "application/x-www-form-urlencoded", ...options.headers },
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (text += chunk));
        res.on("end", () => {
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
          });
        });
      },
    );
    req.on("error", reject);
    req.end(options.form === undefined ? undefined : new URLSearchParams(options.form).toString());
  });
}

async function tokenForm(
  emulator: Emulator,
  overrides: Record<string, string> = {},
): Promise<Record<string, string>> {
  return {
    grant_type: "client_credentials",
    client_id: emulator.env.AZURE_CLIENT_ID,
    scope: "https://vault.azure.net/.default",
    client_assertion_type: JWT_BEARER,
    client_assertion: (await readFile(emulator.env.AZURE_FEDERATED_TOKEN_FILE, "utf8")).trim(),
    ...overrides,
  };
}

// One state directory for every emulator here, so its keys are made once; a projection directory each.
let stateDir: string | undefined;
const started: Emulator[] = [];
async function start(config: EmulatorConfigInput): Promise<Emulator> {
  stateDir ??= await mkdtemp(join(tmpdir(), "identity-binding-spec-"));
  const emulator = await createEmulator({
    config,
    stateDir,
    projectionDir: join(stateDir, `projection-${String(started.length)}`),
  });
  started.push(emulator);
  return emulator;
}
afterAll(async () => {
  await Promise.all(started.map((e) => e.close()));
  if (stateDir !== undefined) await rm(stateDir, { recursive: true, force: true });
});

describe("the pod in identity-binding mode", () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await start({ identityBinding: {} });
  });

  it("gets the webhook's three extra variables, after the four it always gets", () => {
    expect(Object.keys(emulator.env)).toEqual([
      "AZURE_CLIENT_ID",
      "AZURE_TENANT_ID",
      "AZURE_FEDERATED_TOKEN_FILE",
      "AZURE_AUTHORITY_HOST",
      "AZURE_KUBERNETES_TOKEN_PROXY",
      "AZURE_KUBERNETES_SNI_NAME",
      "AZURE_KUBERNETES_CA_FILE",
      "NODE_EXTRA_CA_CERTS",
      "KEYVAULT_URL",
      "SECRET_NAME",
      "GRAPH_ENDPOINT",
    ]);
    expect(emulator.env.AZURE_KUBERNETES_TOKEN_PROXY).toBe(emulator.urls.tokenProxy);
    expect(emulator.env.AZURE_KUBERNETES_TOKEN_PROXY).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(emulator.env.AZURE_KUBERNETES_SNI_NAME).toMatch(/^[0-9a-f]{64}\.ests\.aks$/);
  });

  it("reads its token and the proxy's CA from one projected volume, laid out as the webhook v1.6 does", async () => {
    const dir = emulator.projection.directory;

    expect(emulator.env.AZURE_FEDERATED_TOKEN_FILE).toBe(`${dir}/token/azure-identity-token`);
    expect(emulator.env.AZURE_KUBERNETES_CA_FILE).toBe(`${dir}/ca-cert/ca.crt`);
    expect(await readFile(emulator.env.AZURE_KUBERNETES_CA_FILE ?? "", "utf8")).toBe(
      emulator.identityBinding?.caCertificate,
    );
    expect(emulator.identityBinding?.caCertificate).not.toBe(emulator.caCertificate);
  });

  it("holds a token for api://AKSIdentityBinding", async () => {
    const token = (await readFile(emulator.env.AZURE_FEDERATED_TOKEN_FILE, "utf8")).trim();

    expect(decodeJwt(token).aud).toEqual(["api://AKSIdentityBinding"]);
  });
});

describe("the token proxy", () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await start({
      applications: [{}, { clientId: OTHER_CLIENT, displayName: "unbound" }],
      identityBinding: {
        identities: [{}],
        allow: [
          {
            clientId: "0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0",
            subjects: ["system:serviceaccount:default:workload-identity-sa"],
          },
          { clientId: OTHER_CLIENT, subjects: ["system:serviceaccounts:default"] },
        ],
      },
    });
  });
  beforeEach(() => {
    emulator.faults.clear();
  });
  const tenantPath = () => `/${emulator.env.AZURE_TENANT_ID}/oauth2/v2.0/token`;

  it("answers the SDKs' request (tenant path) with Entra's token for the bound identity", async () => {
    const answer = await toProxy(emulator, tenantPath(), { form: await tokenForm(emulator) });

    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ token_type: "Bearer", expires_in: 3599 });
    expect(decodeJwt(String(answer.body.access_token))).toMatchObject({
      aud: "https://vault.azure.net",
      appid: emulator.env.AZURE_CLIENT_ID,
    });
  });

  it("answers AKS's own clients' request at its root, and fields sent in the query", async () => {
    const form = await tokenForm(emulator);

    expect((await toProxy(emulator, "/", { form })).status).toBe(200);
    expect((await toProxy(emulator, `/?${new URLSearchParams(form).toString()}`)).status).toBe(200);
  });

  it("passes Entra's answers and headers through: a resource the tenant does not know is Entra's AADSTS500011", async () => {
    const answer = await toProxy(emulator, tenantPath(), {
      form: await tokenForm(emulator, { scope: "https://unknown.example/.default" }),
      headers: { "client-request-id": "corr-42" },
    });

    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({
      error: "invalid_resource",
      error_codes: [500011],
      correlation_id: "corr-42",
    });
    expect(answer.headers["client-request-id"]).toBe("corr-42");
  });

  it("answers a request it cannot take as Entra would: no scope is AADSTS900144, two resources AADSTS70011", async () => {
    const noScope = await tokenForm(emulator);
    delete noScope.scope;

    expect((await toProxy(emulator, tenantPath(), { form: noScope })).body).toMatchObject({
      error_codes: [900144],
    });
    expect(
      (
        await toProxy(emulator, tenantPath(), {
          form: await tokenForm(emulator, {
            scope: "https://vault.azure.net/.default https://storage.azure.com/.default",
          }),
        })
      ).body,
    ).toMatchObject({ error_codes: [70011] });
    expect(
      (await toProxy(emulator, tenantPath(), { form: await tokenForm(emulator, { grant_type: "password" }) }))
        .body,
    ).toMatchObject({ error_codes: [70003] });
  });

  it("refuses with 403 a service account the allow-list does not cover for that client id", async () => {
    const token = await emulator.issuer.mintServiceAccountToken({
      namespace: "prod",
      serviceAccount: "intruder",
      audience: "api://AKSIdentityBinding",
      lifetimeSeconds: 600,
    });
    const answer = await toProxy(emulator, tenantPath(), {
      form: await tokenForm(emulator, { client_assertion: token }),
    });

    expect(answer.status).toBe(403);
    expect(answer.body).toMatchObject({ error: "unauthorized_client", error_codes: [] });
    expect(String(answer.body.error_description)).toContain(
      "service account 'prod/intruder' may not use managed identity",
    );
  });

  it("refuses with 400 an allowed client id that no identity binding maps to the cluster", async () => {
    const answer = await toProxy(emulator, tenantPath(), {
      form: await tokenForm(emulator, { client_id: OTHER_CLIENT }),
    });

    expect(answer.status).toBe(400);
    expect(String(answer.body.error_description)).toContain(
      `no identity binding maps managed identity '${OTHER_CLIENT}'`,
    );
  });

  it("refuses a direct-federation token (audience api://AzureADTokenExchange) with 401", async () => {
    const token = await emulator.issuer.mintServiceAccountToken({
      namespace: "default",
      serviceAccount: "workload-identity-sa",
      audience: "api://AzureADTokenExchange",
      lifetimeSeconds: 600,
    });
    const answer = await toProxy(emulator, tenantPath(), {
      form: await tokenForm(emulator, { client_assertion: token }),
    });

    expect(answer.status).toBe(401);
    expect(String(answer.body.error_description)).toContain("does not include 'api://AKSIdentityBinding'");
  });

  it("passes MSAL's metadata GETs through to Entra", async () => {
    const discovery = await toProxy(
      emulator,
      `/${emulator.env.AZURE_TENANT_ID}/v2.0/.well-known/openid-configuration`,
      {
        method: "GET",
      },
    );
    const instance = await toProxy(
      emulator,
      `/common/discovery/instance?api-version=1.1&authorization_endpoint=${encodeURIComponent(`${emulator.urls.authorityHost}${emulator.env.AZURE_TENANT_ID}/oauth2/v2.0/authorize`)}`,
      { method: "GET" },
    );

    expect(discovery.status).toBe(200);
    expect(discovery.body.token_endpoint).toBe(
      `${emulator.urls.authorityHost}${emulator.env.AZURE_TENANT_ID}/oauth2/v2.0/token`,
    );
    expect(instance.status).toBe(200);
    expect(instance.body["api-version"]).toBe("1.1");
  });

  it("injects its own faults, in Entra's shape with Retry-After, counted as token-proxy", async () => {
    emulator.stats.reset();
    emulator.faults.add({ endpoint: "token-proxy", status: 503, retryAfterSeconds: 7, first: 1 });

    const faulted = await toProxy(emulator, tenantPath(), { form: await tokenForm(emulator) });
    const next = await toProxy(emulator, tenantPath(), { form: await tokenForm(emulator) });

    expect([faulted.status, faulted.headers["retry-after"], faulted.body.error]).toEqual([
      503,
      "7",
      "temporarily_unavailable",
    ]);
    expect(next.status).toBe(200);
    expect(emulator.stats.count({ endpoint: "token-proxy", status: 503 })).toBe(1);
    expect(emulator.stats.count({ endpoint: "token-proxy", status: 200 })).toBe(1);
    // The second went on to Entra, which counts its own request.
    expect(emulator.stats.count({ endpoint: "token", status: 200 })).toBe(1);
  });

  it("passes Entra's throttling through, Retry-After included", async () => {
    emulator.faults.add({ endpoint: "token", status: 429, retryAfterSeconds: 3, first: 1 });

    const answer = await toProxy(emulator, tenantPath(), { form: await tokenForm(emulator) });

    expect([answer.status, answer.headers["retry-after"]]).toEqual([429, "3"]);
  });

  it("answers 502 in Entra's shape when Entra drops the connection", async () => {
    emulator.faults.add({ endpoint: "token", reset: true, first: 1 });

    const answer = await toProxy(emulator, tenantPath(), { form: await tokenForm(emulator) });

    expect(answer.status).toBe(502);
    expect(answer.body).toMatchObject({ error: "temporarily_unavailable", error_codes: [] });
  });
});

describe("a proxy under a base path", () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await start({ identityBinding: { basePath: "/identity/binding/" } });
  });

  it("puts the base path in AZURE_KUBERNETES_TOKEN_PROXY, without a trailing slash", () => {
    expect(emulator.env.AZURE_KUBERNETES_TOKEN_PROXY).toMatch(
      /^https:\/\/127\.0\.0\.1:\d+\/identity\/binding$/,
    );
  });

  it("answers under the base path only", async () => {
    const form = await tokenForm(emulator);
    const path = `/${emulator.env.AZURE_TENANT_ID}/oauth2/v2.0/token`;

    expect((await toProxy(emulator, `/identity/binding${path}`, { form })).status).toBe(200);
    expect((await toProxy(emulator, "/identity/binding", { form })).status).toBe(200);
    expect((await toProxy(emulator, path, { form })).status).toBe(404);
  });
});

describe("CA rotation", () => {
  it("rotates on its schedule, writing each CA to the projected file", async () => {
    const emulator = await start({ identityBinding: { caRotationSeconds: 0.2 } });
    const deadline = Date.now() + 10_000;
    while ((emulator.identityBinding?.caRotations ?? 0) < 3 && Date.now() < deadline) await sleep(20);

    expect(emulator.identityBinding?.caRotations).toBeGreaterThanOrEqual(3);
    expect(await readFile(emulator.env.AZURE_KUBERNETES_CA_FILE ?? "", "utf8")).toBe(
      emulator.identityBinding?.caCertificate,
    );
  });

  it("rotates on demand, through the library and the admin endpoint, keeping the token", async () => {
    const emulator = await start({ identityBinding: { caRotationSeconds: null } });
    const token = await readFile(emulator.env.AZURE_FEDERATED_TOKEN_FILE, "utf8");
    const first = emulator.identityBinding?.caCertificate;

    await emulator.rotateProxyCa();
    const second = emulator.identityBinding?.caCertificate;
    const admin = await adminPost(emulator, "/rotate-proxy-ca");

    expect(second).not.toBe(first);
    expect(admin).toEqual({ status: 200, body: { rotated: true } });
    expect(emulator.identityBinding?.caCertificate).not.toBe(second);
    expect(emulator.identityBinding?.caRotations).toBe(3);
    expect(await readFile(emulator.env.AZURE_FEDERATED_TOKEN_FILE, "utf8")).toBe(token);
    expect((await toProxy(emulator, "/", { form: await tokenForm(emulator) })).status).toBe(200);
  });

  it("is refused in the default mode: rotateProxyCa() rejects and the admin endpoint answers 409", async () => {
    const emulator = await start({});

    await expect(emulator.rotateProxyCa()).rejects.toThrow(
      "Invalid emulator configuration at identityBinding",
    );
    expect((await adminPost(emulator, "/rotate-proxy-ca")).status).toBe(409);
    expect(emulator.identityBinding).toBeUndefined();
    expect(emulator.urls.tokenProxy).toBeUndefined();
  });
});

function adminPost(emulator: Emulator, path: string): Promise<{ status: number; body: unknown }> {
  const url = new URL(path, emulator.urls.admin);
  return new Promise((resolve, reject) => {
    const req = request(url, { method: "POST", ca: emulator.caCertificate, agent: false }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (text += chunk));
      res.on("end", () => {
        resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as unknown });
      });
    });
    req.on("error", reject);
    req.end();
  });
}

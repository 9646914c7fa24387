import {
  CredentialRegistry,
  tokenProxyInjected,
  workloadIdentityFactory,
  type TokenSource,
} from "./credential-registry.js";

const CLIENT_ID = "0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0";
const POD_ENV = {
  AZURE_CLIENT_ID: CLIENT_ID,
  AZURE_TENANT_ID: "6a4c7a1e-3d2b-4f5e-9c8d-7b6a5f4e3d2c",
  AZURE_FEDERATED_TOKEN_FILE: "/var/run/secrets/azure/tokens/azure-identity-token",
  AZURE_AUTHORITY_HOST: "https://login.microsoftonline.com/",
};

const OTHER_ID = "11111111-2222-3333-4444-555555555555";

/** Credentials that answer with their client id, or refuse it when it is in `unknown` (as Entra's 700016). */
function fakeFactory(unknown: Set<string> = new Set()) {
  const made: string[] = [];
  const closed: string[] = [];
  const factory = (clientId: string | undefined): TokenSource => {
    if (clientId === undefined) throw new Error("AZURE_CLIENT_ID is not set");
    made.push(clientId);
    return {
      getToken: () =>
        unknown.has(clientId)
          ? Promise.reject(new Error(`unknown client ${clientId}`))
          : Promise.resolve({ token: clientId, expiresOnTimestamp: 0 }),
      close: () => {
        closed.push(clientId);
        return Promise.resolve();
      },
    };
  };
  return { made, closed, factory };
}

it("makes one credential per client id, whatever its letter case, and keeps it once it got a token", async () => {
  const { made, factory } = fakeFactory();
  const registry = new CredentialRegistry(factory, CLIENT_ID);
  await registry.getToken(CLIENT_ID, "s/.default");
  await registry.getToken(CLIENT_ID.toUpperCase(), "s/.default");
  await registry.getToken(OTHER_ID, "s/.default");
  expect(made).toEqual([CLIENT_ID, OTHER_ID]);
  expect(registry.size).toBe(2);
});

it("shares one credential among concurrent requests for a new client id", async () => {
  const { made, factory } = fakeFactory();
  const registry = new CredentialRegistry(factory, CLIENT_ID);
  await Promise.all(Array.from({ length: 20 }, () => registry.getToken(OTHER_ID, "s/.default")));
  expect(made).toEqual([OTHER_ID]);
});

it("keeps nothing for 10,000 distinct client ids whose requests fail, and closes each credential", async () => {
  const ids = Array.from(
    { length: 10_000 },
    (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
  );
  const { made, closed, factory } = fakeFactory(new Set(ids));
  const registry = new CredentialRegistry(factory, CLIENT_ID);
  for (const id of ids) {
    await expect(registry.getToken(id, "s/.default")).rejects.toThrow("unknown client");
  }
  expect(registry.size).toBe(0);
  expect(made).toHaveLength(10_000);
  await new Promise((resolve) => setImmediate(resolve));
  expect(closed).toHaveLength(10_000);
});

it("keeps at most maxIdentities, closing the least recently used one it drops", async () => {
  const { closed, factory } = fakeFactory();
  const registry = new CredentialRegistry(factory, CLIENT_ID, 2);
  const ids = ["a", "b", "c"].map((c) => `${c.repeat(8)}-0000-4000-8000-000000000000`);
  const [a = "", b = "", c = ""] = ids;
  await registry.getToken(a, "s/.default");
  await registry.getToken(b, "s/.default");
  await registry.getToken(a, "s/.default"); // a is now the most recently used
  await registry.getToken(c, "s/.default");
  expect(registry.size).toBe(2);
  await new Promise((resolve) => setImmediate(resolve));
  expect(closed).toEqual([b]);
});

it("keeps nothing when a credential cannot be made, so a fixed environment recovers", async () => {
  let fail = true;
  let calls = 0;
  const registry = new CredentialRegistry(() => {
    calls += 1;
    if (fail) throw new Error("not yet");
    return { getToken: () => Promise.resolve({ token: "t", expiresOnTimestamp: 0 }) };
  }, CLIENT_ID);
  await expect(registry.getToken(CLIENT_ID, "s/.default")).rejects.toThrow("not yet");
  expect(registry.size).toBe(0);
  fail = false;
  expect(registry.readiness()).toEqual({ ready: true });
  await registry.getToken(CLIENT_ID, "s/.default");
  expect(calls).toBe(3);
});

it("is ready when WorkloadIdentityCredential can be made from the pod's environment", () => {
  const registry = new CredentialRegistry(workloadIdentityFactory(POD_ENV), CLIENT_ID);
  expect(registry.readiness()).toEqual({ ready: true });
});

it("is not ready without the webhook's variables, and says which one is missing", () => {
  const registry = new CredentialRegistry(
    workloadIdentityFactory({ ...POD_ENV, AZURE_CLIENT_ID: undefined }),
    undefined,
  );
  const readiness = registry.readiness();
  expect(readiness).toMatchObject({
    ready: false,
    reason: expect.stringContaining("AZURE_CLIENT_ID is not set"),
  });

  const noTenant = new CredentialRegistry(
    workloadIdentityFactory({ ...POD_ENV, AZURE_TENANT_ID: undefined }),
    CLIENT_ID,
  );
  expect(noTenant.readiness()).toMatchObject({
    ready: false,
    reason: expect.stringContaining("AZURE_TENANT_ID"),
  });
});

it("gives the requested client id to the credential, keeping nothing when it cannot be made", async () => {
  const made: (string | undefined)[] = [];
  // A tenant the credential refuses: no credential can be made, whatever the client id.
  const factory = workloadIdentityFactory({
    ...POD_ENV,
    AZURE_CLIENT_ID: undefined,
    AZURE_TENANT_ID: "../x",
  });
  const registry = new CredentialRegistry((clientId) => {
    made.push(clientId);
    return factory(clientId);
  }, undefined);
  expect(registry.readiness()).toMatchObject({ ready: false });
  await expect(registry.getToken("not-a-guid", "s/.default")).rejects.toThrow(/tenant/);
  expect(made).toEqual([undefined, "not-a-guid"]);
  expect(registry.size).toBe(0);
});

describe("in an AKS identity-binding pod", () => {
  // An http URL, which the credential refuses only when the identity-binding switch is on: the refusal shows it is.
  const PLAIN_HTTP_PROXY = { ...POD_ENV, AZURE_KUBERNETES_TOKEN_PROXY: "http://10.0.0.1" };
  const readiness = (...args: Parameters<typeof workloadIdentityFactory>) =>
    new CredentialRegistry(workloadIdentityFactory(...args), CLIENT_ID).readiness();

  it("turns the credential's enableAzureProxy on when the webhook injected AZURE_KUBERNETES_TOKEN_PROXY", () => {
    expect(readiness(PLAIN_HTTP_PROXY)).toEqual({
      ready: false,
      reason: 'WorkloadIdentityCredential: AZURE_KUBERNETES_TOKEN_PROXY "http://10.0.0.1/" must use https.',
    });
  });

  it("is not ready while the projected CA file named by AZURE_KUBERNETES_CA_FILE is missing", () => {
    const env = {
      ...POD_ENV,
      AZURE_KUBERNETES_TOKEN_PROXY: "https://10.0.0.1",
      AZURE_KUBERNETES_CA_FILE: "/nonexistent/ca-cert/ca.crt",
    };
    expect(readiness(env)).toMatchObject({
      ready: false,
      reason: expect.stringContaining(
        'AZURE_KUBERNETES_CA_FILE "/nonexistent/ca-cert/ca.crt" cannot be read',
      ),
    });
  });

  it("lets an explicit enableAzureProxy option win over the environment", () => {
    expect(readiness(PLAIN_HTTP_PROXY, { enableAzureProxy: false })).toEqual({ ready: true });
  });

  it("leaves an ordinary pod's credential as it was: the other AZURE_KUBERNETES_* variables alone are ignored", () => {
    const env = { ...POD_ENV, AZURE_KUBERNETES_SNI_NAME: "x.ests.aks", AZURE_KUBERNETES_TOKEN_PROXY: " " };
    expect(tokenProxyInjected(env)).toBe(false);
    expect(readiness(env)).toEqual({ ready: true });
    expect(tokenProxyInjected(POD_ENV)).toBe(false);
    expect(tokenProxyInjected(PLAIN_HTTP_PROXY)).toBe(true);
  });
});

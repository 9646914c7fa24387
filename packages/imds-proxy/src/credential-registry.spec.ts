import { CredentialRegistry, workloadIdentityFactory, type TokenSource } from "./credential-registry.js";

const CLIENT_ID = "0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0";
const POD_ENV = {
  AZURE_CLIENT_ID: CLIENT_ID,
  AZURE_TENANT_ID: "6a4c7a1e-3d2b-4f5e-9c8d-7b6a5f4e3d2c",
  AZURE_FEDERATED_TOKEN_FILE: "/var/run/secrets/azure/tokens/azure-identity-token",
  AZURE_AUTHORITY_HOST: "https://login.microsoftonline.com/",
};

function countingFactory() {
  const made: (string | undefined)[] = [];
  const factory = (clientId: string | undefined): TokenSource => {
    if (clientId === undefined) throw new Error("AZURE_CLIENT_ID is not set");
    made.push(clientId);
    return { getToken: () => Promise.resolve({ token: clientId, expiresOnTimestamp: 0 }) };
  };
  return { made, factory };
}

it("makes one credential per client id, whatever its letter case", () => {
  const { made, factory } = countingFactory();
  const registry = new CredentialRegistry(factory, CLIENT_ID);
  const first = registry.get(CLIENT_ID);
  expect(registry.get(CLIENT_ID)).toBe(first);
  expect(registry.get(CLIENT_ID.toUpperCase())).toBe(first);
  expect(registry.get("11111111-2222-3333-4444-555555555555")).not.toBe(first);
  expect(made).toEqual([CLIENT_ID, "11111111-2222-3333-4444-555555555555"]);
});

it("keeps nothing when a credential cannot be made, so a fixed environment recovers", () => {
  let fail = true;
  let calls = 0;
  const registry = new CredentialRegistry(() => {
    calls += 1;
    if (fail) throw new Error("not yet");
    return { getToken: () => Promise.resolve({ token: "t", expiresOnTimestamp: 0 }) };
  }, CLIENT_ID);
  expect(() => registry.get(CLIENT_ID)).toThrow("not yet");
  fail = false;
  expect(registry.readiness()).toEqual({ ready: true });
  registry.get(CLIENT_ID);
  expect(calls).toBe(2);
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

it("gives the requested client id to the credential instead of AZURE_CLIENT_ID", () => {
  const registry = new CredentialRegistry(
    workloadIdentityFactory({ ...POD_ENV, AZURE_CLIENT_ID: undefined }),
    undefined,
  );
  expect(() => registry.get(CLIENT_ID)).not.toThrow();
  expect(() => registry.get("not-a-guid")).toThrow(/not a GUID/);
});

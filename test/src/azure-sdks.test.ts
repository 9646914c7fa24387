// The real Azure SDKs work against the emulator with nothing but the pod environment (and the documented local options).
import { createEmulator, type Emulator } from "@workload-identity/emulator";
import { join } from "node:path";
import { runNode } from "./support/child-process.js";

const fixture = (name: string) => join(__dirname, "fixtures", name);
let emulator: Emulator;

beforeAll(async () => {
  emulator = await createEmulator({
    config: {
      applications: [
        {},
        { clientId: "55555555-6666-4777-8888-999999999999", displayName: "no-access", graphRoles: [] },
      ],
    },
  });
});
afterAll(() => emulator.close());

it("@azure/identity's WorkloadIdentityCredential and SecretClient read the secret", async () => {
  const result = await runNode([fixture("identity-keyvault.cjs")], emulator.env);
  expect(result.stderr).toBe("");
  expect(JSON.parse(result.stdout)).toEqual({ name: "my-secret", value: "Hello!" });
  expect(result.code).toBe(0);
  // The client went through the challenge: one 401 without a token, then the 200.
  expect(emulator.stats.count({ endpoint: "keyvault", status: 401 })).toBeGreaterThanOrEqual(1);
  expect(emulator.stats.count({ endpoint: "keyvault", status: 200 })).toBeGreaterThanOrEqual(1);
});

it("SecretClient surfaces Key Vault's 403 for an identity without read permission", async () => {
  const result = await runNode([fixture("identity-keyvault.cjs")], {
    ...emulator.env,
    AZURE_CLIENT_ID: "55555555-6666-4777-8888-999999999999",
  });
  expect(result.code).toBe(1);
  expect(JSON.parse(result.stderr)).toMatchObject({ statusCode: 403, code: "Forbidden" });
});

it("@azure/identity surfaces Entra's AADSTS700213 for a subject no federated credential names", async () => {
  const own = await createEmulator({
    config: {
      serviceAccount: { namespace: "prod", name: "api" },
      applications: [
        { federatedIdentityCredentials: [{ name: "fic", subject: "system:serviceaccount:default:api" }] },
      ],
    },
  });
  try {
    const result = await runNode([fixture("identity-keyvault.cjs")], own.env);
    expect(result.code).toBe(1);
    expect((JSON.parse(result.stderr) as { message: string }).message).toContain("AADSTS700213");
  } finally {
    await own.close();
  }
});

it("@microsoft/microsoft-graph-client reads the organization", async () => {
  const result = await runNode([fixture("graph-organization.cjs")], emulator.env);
  expect(result.stderr).toBe("");
  expect(JSON.parse(result.stdout)).toEqual([
    { id: emulator.env.AZURE_TENANT_ID, displayName: "Contoso (emulated)" },
  ]);
});

it("@microsoft/microsoft-graph-client surfaces Graph's 403 Authorization_RequestDenied", async () => {
  const result = await runNode([fixture("graph-organization.cjs")], {
    ...emulator.env,
    AZURE_CLIENT_ID: "55555555-6666-4777-8888-999999999999",
  });
  expect(result.code).toBe(1);
  expect(JSON.parse(result.stderr)).toMatchObject({ statusCode: 403, code: "Authorization_RequestDenied" });
});

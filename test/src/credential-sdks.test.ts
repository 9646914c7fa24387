// @azure/keyvault-secrets and @microsoft/microsoft-graph-client work with WorkloadIdentityCredential, run as a pod runs them.
import type { Emulator } from "@workload-identity/emulator";
import { join } from "node:path";
import { runNode } from "./support/child-process.js";
import { startTrustedEmulator } from "./support/trusted-emulator.js";

const fixture = (name: string) => join(__dirname, "fixtures", name);
let emulator: Emulator;

beforeAll(async () => {
  emulator = await startTrustedEmulator();
});
afterAll(() => emulator.close());

it("SecretClient reads the secret through the Key Vault challenge", async () => {
  const result = await runNode([fixture("credential-keyvault.cjs")], emulator.env);
  expect(result.stderr).toBe("");
  expect(JSON.parse(result.stdout)).toEqual({ name: "my-secret", value: "Hello!" });
  // The challenge carries the tenant and asks for CAE: one token request, after the 401.
  expect(emulator.stats.count({ endpoint: "keyvault", status: 401 })).toBe(1);
  expect(emulator.stats.count({ endpoint: "token", status: 200 })).toBe(1);
});

it("the Graph client reads the organization", async () => {
  const result = await runNode([fixture("credential-graph.cjs")], emulator.env);
  expect(result.stderr).toBe("");
  expect(JSON.parse(result.stdout)).toEqual([
    { id: emulator.env.AZURE_TENANT_ID, displayName: "Contoso (emulated)" },
  ]);
});

it("a pod without the webhook's variables fails with CredentialUnavailableError naming the first one", async () => {
  const withoutClientId = Object.fromEntries(
    Object.entries(emulator.env).filter(([name]) => name !== "AZURE_CLIENT_ID"),
  );
  const result = await runNode([fixture("credential-keyvault.cjs")], withoutClientId);
  expect(result.code).toBe(1);
  expect(JSON.parse(result.stderr)).toMatchObject({
    name: "CredentialUnavailableError",
    code: "ERR_MISSING_CONFIGURATION",
  });
});

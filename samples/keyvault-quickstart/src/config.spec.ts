import { MAX_POLL_INTERVAL_SECONDS, REQUIRED, isLoopbackUrl, readConfig } from "./config.js";

const COMPLETE = {
  KEYVAULT_URL: "https://my-vault.vault.azure.net/",
  SECRET_NAME: "my-secret",
  AZURE_CLIENT_ID: "0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0",
  AZURE_TENANT_ID: "6a4c7a1e-3d2b-4f5e-9c8d-7b6a5f4e3d2c",
  AZURE_FEDERATED_TOKEN_FILE: "/var/run/secrets/azure/tokens/azure-identity-token",
  AZURE_AUTHORITY_HOST: "https://login.microsoftonline.com/",
};

it("reads a complete environment, polling every 60 s by default", () => {
  expect(readConfig(COMPLETE)).toEqual({
    ok: true,
    config: {
      vaultUrl: "https://my-vault.vault.azure.net/",
      secretName: "my-secret",
      pollIntervalMs: 60_000,
      enableAzureProxy: false,
    },
  });
});

it("turns the identity-binding switch on exactly when the webhook injected AZURE_KUBERNETES_TOKEN_PROXY", () => {
  const bound = {
    ...COMPLETE,
    AZURE_FEDERATED_TOKEN_FILE: "/var/run/secrets/azure/wi/token/azure-identity-token",
    AZURE_KUBERNETES_TOKEN_PROXY: "https://10.0.0.1",
    AZURE_KUBERNETES_SNI_NAME: "615f3b8a.ests.aks",
    AZURE_KUBERNETES_CA_FILE: "/var/run/secrets/azure/wi/ca-cert/ca.crt",
  };
  expect(readConfig(bound)).toMatchObject({ ok: true, config: { enableAzureProxy: true } });
  // Without the proxy's URL the other variables do not turn it on (the credential would refuse them).
  expect(readConfig({ ...bound, AZURE_KUBERNETES_TOKEN_PROXY: undefined })).toMatchObject({
    config: { enableAzureProxy: false },
  });
  expect(readConfig({ ...bound, AZURE_KUBERNETES_TOKEN_PROXY: "  " })).toMatchObject({
    config: { enableAzureProxy: false },
  });
});

it.each(REQUIRED)("names %s when it is missing or empty", (name) => {
  expect(readConfig({ ...COMPLETE, [name]: undefined })).toEqual({
    ok: false,
    problem: "environment variable is not set",
    name,
  });
  expect(readConfig({ ...COMPLETE, [name]: "  " })).toMatchObject({ ok: false, name });
});

it("refuses a vault URL that is not https, and a bad poll interval", () => {
  expect(readConfig({ ...COMPLETE, KEYVAULT_URL: "http://my-vault.vault.azure.net/" })).toMatchObject({
    ok: false,
    name: "KEYVAULT_URL",
  });
  expect(readConfig({ ...COMPLETE, POLL_INTERVAL_SECONDS: "0" })).toMatchObject({
    ok: false,
    name: "POLL_INTERVAL_SECONDS",
  });
  expect(readConfig({ ...COMPLETE, POLL_INTERVAL_SECONDS: "soon" })).toMatchObject({
    ok: false,
    name: "POLL_INTERVAL_SECONDS",
  });
  expect(readConfig({ ...COMPLETE, POLL_INTERVAL_SECONDS: "1.5" })).toMatchObject({
    ok: true,
    config: { pollIntervalMs: 1500 },
  });
});

// Node's timers hold at most 2^31 - 1 ms (24.8 days); a longer delay fires after 1 ms, a busy loop on the vault.
it.each(["2592000", "2073601", "0.5", "0", "-1", "soon", "", "Infinity"])(
  "refuses POLL_INTERVAL_SECONDS=%j naming the variable, the range and the value",
  (value) => {
    expect(readConfig({ ...COMPLETE, POLL_INTERVAL_SECONDS: value })).toEqual({
      ok: false,
      problem: "environment variable is not a number of seconds from 1 to 2073600 (24 days)",
      name: "POLL_INTERVAL_SECONDS",
      value,
    });
  },
);

it("takes a poll interval from 1 s up to 24 days", () => {
  expect(readConfig({ ...COMPLETE, POLL_INTERVAL_SECONDS: "1" })).toMatchObject({
    config: { pollIntervalMs: 1000 },
  });
  expect(readConfig({ ...COMPLETE, POLL_INTERVAL_SECONDS: "2073600" })).toMatchObject({
    config: { pollIntervalMs: 2_073_600_000 },
  });
  expect(MAX_POLL_INTERVAL_SECONDS * 1000).toBeLessThanOrEqual(2 ** 31 - 1);
});

it("treats only loopback vaults as loopback", () => {
  expect(isLoopbackUrl("https://127.0.0.1:8443/")).toBe(true);
  expect(isLoopbackUrl("https://localhost:8443/")).toBe(true);
  expect(isLoopbackUrl("https://[::1]:8443/")).toBe(true);
  expect(isLoopbackUrl("https://my-vault.vault.azure.net/")).toBe(false);
  expect(isLoopbackUrl("https://127.0.0.1.nip.io/")).toBe(false);
});

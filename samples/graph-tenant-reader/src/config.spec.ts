import { GRAPH_HOSTS, MAX_POLL_INTERVAL_SECONDS, PUBLIC_GRAPH, REQUIRED, readConfig } from "./config.js";

const COMPLETE = {
  AZURE_CLIENT_ID: "0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0",
  AZURE_TENANT_ID: "6a4c7a1e-3d2b-4f5e-9c8d-7b6a5f4e3d2c",
  AZURE_FEDERATED_TOKEN_FILE: "/var/run/secrets/azure/tokens/azure-identity-token",
  AZURE_AUTHORITY_HOST: "https://login.microsoftonline.com/",
};

it("defaults to the public Graph and its scope, port 8080 and a 60 s interval", () => {
  expect(readConfig(COMPLETE)).toEqual({
    ok: true,
    config: {
      graphEndpoint: PUBLIC_GRAPH,
      graphScope: "https://graph.microsoft.com/.default",
      port: 8080,
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

it("takes a national cloud's Graph, without its trailing slash", () => {
  expect(readConfig({ ...COMPLETE, GRAPH_ENDPOINT: "https://graph.microsoft.us/" })).toMatchObject({
    ok: true,
    config: { graphEndpoint: "https://graph.microsoft.us" },
  });
});

it.each(GRAPH_HOSTS)(
  "asks for the scope of %s when it is the endpoint: each cloud's Graph has its own audience",
  (host) => {
    expect(readConfig({ ...COMPLETE, GRAPH_ENDPOINT: host })).toMatchObject({
      config: { graphEndpoint: host, graphScope: `${host}/.default` },
    });
  },
);

it("asks for the global Graph's scope when the endpoint is another host (a proxy, the emulator)", () => {
  expect(readConfig({ ...COMPLETE, GRAPH_ENDPOINT: "https://127.0.0.1:41234" })).toMatchObject({
    config: {
      graphEndpoint: "https://127.0.0.1:41234",
      graphScope: "https://graph.microsoft.com/.default",
    },
  });
});

it.each(REQUIRED)("names %s when it is missing", (name) => {
  expect(readConfig({ ...COMPLETE, [name]: "" })).toEqual({
    ok: false,
    problem: "environment variable is not set",
    name,
  });
});

it("refuses a Graph endpoint over http or with a path, and bad numbers", () => {
  expect(readConfig({ ...COMPLETE, GRAPH_ENDPOINT: "http://graph.microsoft.com" })).toMatchObject({
    ok: false,
    name: "GRAPH_ENDPOINT",
  });
  expect(readConfig({ ...COMPLETE, GRAPH_ENDPOINT: "https://graph.microsoft.com/v1.0" })).toMatchObject({
    ok: false,
    name: "GRAPH_ENDPOINT",
  });
  expect(readConfig({ ...COMPLETE, PORT: "70000" })).toMatchObject({ ok: false, name: "PORT" });
  expect(readConfig({ ...COMPLETE, POLL_INTERVAL_SECONDS: "-1" })).toMatchObject({
    ok: false,
    name: "POLL_INTERVAL_SECONDS",
  });
});

// Node's timers hold at most 2^31 - 1 ms (24.8 days); a longer delay fires after 1 ms, a busy loop on Graph.
it.each(["2592000", "2073601", "0.5", "0", "soon", "", "Infinity"])(
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

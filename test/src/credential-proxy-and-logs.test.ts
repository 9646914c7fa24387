// HTTPS_PROXY / NO_PROXY through a real CONNECT proxy on loopback, and logs that never carry a secret.
import { AzureLogger, setLogLevel } from "@azure/logger";
import { WorkloadIdentityCredential } from "@workload-identity/credential";
import type { Emulator } from "@workload-identity/emulator";
import { createServer, type Server } from "node:http";
import { connect, type AddressInfo } from "node:net";
import { readFile } from "node:fs/promises";
import { startTrustedEmulator } from "./support/trusted-emulator.js";

const VAULT = "https://vault.azure.net/.default";
let emulator: Emulator;
let proxy: Server;
let proxyUrl: string;
const tunnels: { target: string; authorization: string | undefined; closed: Promise<void> }[] = [];

beforeAll(async () => {
  emulator = await startTrustedEmulator();
  proxy = createServer((_req, res) => res.writeHead(405).end());
  proxy.on("connect", (req, client, head) => {
    tunnels.push({
      target: req.url ?? "",
      authorization: req.headers["proxy-authorization"],
      closed: new Promise((resolve) => {
        client.once("close", () => {
          resolve();
        });
      }),
    });
    const [host, port] = (req.url ?? "").split(":");
    const upstream = connect(Number(port), host, () => {
      client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      upstream.write(head);
      upstream.pipe(client).pipe(upstream);
    });
    upstream.on("error", () => client.destroy());
    client.on("error", () => upstream.destroy());
  });
  await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  proxyUrl = `http://proxyuser:proxy-pa55word@127.0.0.1:${(proxy.address() as AddressInfo).port}`;
});
afterAll(async () => {
  proxy.closeAllConnections();
  await new Promise((resolve) => proxy.close(resolve));
  await emulator.close();
});
beforeEach(() => {
  tunnels.length = 0;
});

it("sends the token request through HTTPS_PROXY, with the proxy's credentials", async () => {
  const credential = new WorkloadIdentityCredential({ env: { ...emulator.env, HTTPS_PROXY: proxyUrl } });
  await credential.getToken(VAULT);
  expect(tunnels).toHaveLength(1);
  expect(tunnels[0]?.target).toBe(new URL(emulator.urls.authorityHost).host);
  expect(tunnels[0]?.authorization).toBe(
    `Basic ${Buffer.from("proxyuser:proxy-pa55word").toString("base64")}`,
  );
});

it("goes direct for a host in NO_PROXY", async () => {
  const credential = new WorkloadIdentityCredential({
    env: { ...emulator.env, HTTPS_PROXY: proxyUrl, NO_PROXY: "localhost,127.0.0.1" },
  });
  await credential.getToken(VAULT);
  expect(tunnels).toHaveLength(0);
});

it("logs at verbose what it does, and never a token, an assertion or the proxy password", async () => {
  const lines: string[] = [];
  const original = AzureLogger.log.bind(AzureLogger);
  AzureLogger.log = (...args: unknown[]) => lines.push(args.map(String).join(" "));
  setLogLevel("verbose");
  try {
    const credential = new WorkloadIdentityCredential({ env: { ...emulator.env, HTTPS_PROXY: proxyUrl } });
    const { token } = await credential.getToken(VAULT);
    emulator.faults.add({ endpoint: "token", status: 503, first: 1 });
    await credential.getToken("https://management.azure.com/.default");
    await new WorkloadIdentityCredential({
      env: { ...emulator.env, AZURE_CLIENT_ID: "99999999-9999-4999-8999-999999999999" },
    })
      .getToken(VAULT)
      .catch(() => undefined);
    const assertion = (await readFile(emulator.env.AZURE_FEDERATED_TOKEN_FILE, "utf8")).trim();
    const all = lines.join("\n");
    expect(lines.some((l) => l.includes("Token acquired"))).toBe(true);
    expect(lines.some((l) => /retry|attempt/i.test(l))).toBe(true);
    for (const secret of [
      token,
      assertion,
      "proxy-pa55word",
      assertion.split(".")[1] ?? "x",
      token.split(".")[2] ?? "x",
    ]) {
      expect(all).not.toContain(secret);
    }
  } finally {
    AzureLogger.log = original;
    setLogLevel();
  }
});

it("says nothing at all with loggingEnabled: false, retry and proxy lines included", async () => {
  const lines: string[] = [];
  const original = AzureLogger.log.bind(AzureLogger);
  AzureLogger.log = (...args: unknown[]) => lines.push(args.map(String).join(" "));
  setLogLevel("verbose");
  try {
    const credential = new WorkloadIdentityCredential({
      env: { ...emulator.env, HTTPS_PROXY: proxyUrl },
      loggingEnabled: false,
    });
    emulator.faults.add({ endpoint: "token", status: 503, first: 1 });
    await credential.getToken("https://storage.azure.com/.default");
    emulator.faults.clear();
    expect(tunnels.length).toBeGreaterThan(0); // it went through the proxy, and retried
    expect(lines.filter((line) => line.includes("workload-identity"))).toEqual([]);
  } finally {
    AzureLogger.log = original;
    setLogLevel();
  }
});

it("closes its proxy connection when disposed (await using), while an undisposed one keeps it", async () => {
  const kept = new WorkloadIdentityCredential({ env: { ...emulator.env, HTTPS_PROXY: proxyUrl } });
  await kept.getToken(VAULT);
  {
    await using disposed = new WorkloadIdentityCredential({
      env: { ...emulator.env, HTTPS_PROXY: proxyUrl },
    });
    await disposed.getToken(VAULT);
  }
  expect(tunnels).toHaveLength(2);
  let keptClosed = false;
  void tunnels[0]?.closed.then(() => (keptClosed = true));
  await tunnels[1]?.closed; // the disposed credential's tunnel, closed by dispose
  expect(keptClosed).toBe(false); // the other one's keep-alive connection is still there
  await kept.close();
  await tunnels[0]?.closed;
});

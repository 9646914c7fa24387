import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { probeReadiness } from "./probe.js";

let server: Server | undefined;
afterEach(async () => {
  await new Promise<void>((resolve) => {
    if (server)
      server.close(() => {
        resolve();
      });
    else resolve();
  });
  server = undefined;
});

async function serve(statuses: number[]): Promise<string> {
  let calls = 0;
  server = createServer((_req, res) => {
    const status = statuses[Math.min(calls, statuses.length - 1)] ?? 200;
    calls += 1;
    res.writeHead(status).end(status === 200 ? "ok\n" : "not ready: AZURE_CLIENT_ID is not set\n");
  });
  await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/readyz`;
}

async function unusedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

it("is ready at the first 200", async () => {
  const url = await serve([200]);
  expect(await probeReadiness({ url, timeoutMs: 1000 })).toEqual({ ready: true, attempts: 1 });
});

it("tries again until /readyz answers 200", async () => {
  const url = await serve([503, 503, 200]);
  expect(await probeReadiness({ url, timeoutMs: 2000, intervalMs: 10 })).toEqual({
    ready: true,
    attempts: 3,
  });
});

it("gives up after the timeout with the last answer as the reason", async () => {
  const url = await serve([503]);
  const result = await probeReadiness({ url, timeoutMs: 300, intervalMs: 50 });
  expect(result).toMatchObject({
    ready: false,
    reason: `${url} answered 503: not ready: AZURE_CLIENT_ID is not set`,
  });
  expect(result.attempts).toBeGreaterThan(1);
});

it("reports a proxy that is not listening", async () => {
  const url = `http://127.0.0.1:${await unusedPort()}/readyz`;
  const started = Date.now();
  const result = await probeReadiness({ url, timeoutMs: 300, intervalMs: 50 });
  expect(result).toMatchObject({ ready: false, reason: expect.stringContaining("ECONNREFUSED") });
  expect(Date.now() - started).toBeLessThan(1000);
});

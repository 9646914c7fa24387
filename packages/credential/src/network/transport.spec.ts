import { once } from "node:events";
import { createServer, type RequestListener, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createLog } from "../log.js";
import { errorCode, exchange, Transport, type Fetch } from "./transport.js";

const servers: Server[] = [];
const transports: Transport[] = [];
const globalFetch: Fetch = (url, init) => fetch(url, init);

async function serve(listener: RequestListener): Promise<string> {
  const server = createServer(listener);
  servers.push(server);
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/token`;
}

function transport(env: NodeJS.ProcessEnv): Transport {
  const created = new Transport(env, globalFetch, createLog(false));
  transports.push(created);
  return created;
}

afterEach(async () => {
  await Promise.all(transports.splice(0).map((t) => t.close()));
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    server.close();
  }
});

describe("exchange", () => {
  it("resolves with the status, lower-cased headers and the whole body text", async () => {
    const url = await serve((_req, res) => {
      res.writeHead(503, { "Retry-After": "2", "X-Ms-Request-Id": "r1" });
      res.end("unavailable");
    });

    const answer = await exchange(globalFetch, url, { method: "POST", body: "x" });

    expect(answer).toEqual({
      status: 503,
      headers: expect.objectContaining({ "retry-after": "2", "x-ms-request-id": "r1" }),
      text: "unavailable",
    });
  });

  it("resolves with the error, rather than rejecting, when the connection is reset", async () => {
    const url = await serve((req) => req.socket.destroy());

    const answer = await exchange(globalFetch, url, { method: "POST" });

    expect(answer).toEqual({ error: expect.objectContaining({ message: "fetch failed" }) });
    expect(errorCode((answer as { error: unknown }).error)).toMatch(/^(ECONNRESET|UND_ERR_SOCKET)$/);
  });

  it("resolves with a TimeoutError when the exchange outlives timeoutMs", async () => {
    const url = await serve(() => undefined);

    const answer = await exchange(globalFetch, url, { method: "GET", timeoutMs: 50 });

    expect(answer).toEqual({ error: expect.objectContaining({ name: "TimeoutError" }) });
  });

  it("resolves with the caller's abort reason when the signal aborts, even with a timeout", async () => {
    const url = await serve(() => undefined);
    const reason = new Error("caller gave up");

    const answer = await exchange(globalFetch, url, {
      method: "GET",
      signal: AbortSignal.abort(reason),
      timeoutMs: 10_000,
    });

    expect(answer).toEqual({ error: reason });
  });
});

describe("errorCode", () => {
  it.each<[string, unknown, string]>([
    [
      "the code on fetch's cause",
      Object.assign(new TypeError("fetch failed"), { cause: { code: "ECONNRESET" } }),
      "ECONNRESET",
    ],
    ["the error's own code", Object.assign(new Error("x"), { code: "ECONNREFUSED" }), "ECONNREFUSED"],
    ["the name when there is no code", new DOMException("late", "TimeoutError"), "TimeoutError"],
    ["a fallback for a non-error", "boom", "unknown error"],
    ["a fallback for a numeric code and no name", { code: 23 }, "unknown error"],
    ["a fallback for undefined", undefined, "unknown error"],
  ])("gives %s", (_name, error, expected) => {
    expect(errorCode(error)).toBe(expected);
  });
});

describe("Transport", () => {
  it("gives the direct fetch when no proxy applies", async () => {
    await expect(
      transport({ HTTPS_PROXY: "http://proxy.corp:3128" }).fetchFor("http://example.com/"),
    ).resolves.toBe(globalFetch);
  });

  it("shares one proxied fetch between requests through the same proxy", async () => {
    const proxied = transport({ HTTPS_PROXY: "http://127.0.0.1:9" });

    const first = await proxied.fetchFor("https://login.microsoftonline.com/a/oauth2/v2.0/token");
    const second = await proxied.fetchFor("https://login.microsoftonline.com/b/oauth2/v2.0/token");

    expect(first).not.toBe(globalFetch);
    expect(second).toBe(first);
  });

  it("throws, naming the variable, when the proxy variable is not a URL", () => {
    const broken = transport({ HTTPS_PROXY: "http://[bad" });

    expect(() => broken.fetchFor("https://login.microsoftonline.com/")).toThrow(
      "HTTPS_PROXY is not a valid proxy URL",
    );
  });
});

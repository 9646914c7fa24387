import { once } from "node:events";
import { createServer, type RequestListener, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createNodeFetch } from "./node-fetch.js";
import { errorCode, exchange } from "./transport.js";

const servers: Server[] = [];
const nodeFetch = createNodeFetch();

async function serve(listener: RequestListener): Promise<string> {
  const server = createServer(listener);
  servers.push(server);
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/tenant/oauth2/v2.0/token`;
}

afterEach(() => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    server.close();
  }
});

describe("createNodeFetch", () => {
  it("sends method, headers and body, and gives the status, lower-cased headers and the whole body", async () => {
    const seen: { method?: string; url?: string; type?: string; body: string }[] = [];
    const url = await serve((req, res) => {
      let body = "";
      req.on("data", (chunk: Buffer) => (body += chunk.toString()));
      req.on("end", () => {
        seen.push({ method: req.method, url: req.url, type: req.headers["content-type"], body });
        res.writeHead(503, { "Retry-After": "2", "X-Ms-Request-Id": "r1" });
        res.write("unavail");
        res.end("able");
      });
    });

    const answer = await exchange(nodeFetch, url, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: "grant_type=client_credentials",
    });

    expect(seen).toEqual([
      {
        method: "POST",
        url: "/tenant/oauth2/v2.0/token",
        type: "application/x-www-form-urlencoded",
        body: "grant_type=client_credentials",
      },
    ]);
    expect(answer).toEqual({
      status: 503,
      headers: expect.objectContaining({ "retry-after": "2", "x-ms-request-id": "r1" }),
      text: "unavailable",
    });
  });

  it("reports a connection reset before the answer with its code", async () => {
    const url = await serve((req) => req.socket.destroy());

    const answer = await exchange(nodeFetch, url, { method: "POST" });

    expect(errorCode((answer as { error: unknown }).error)).toBe("ECONNRESET");
  });

  it("reports a connection closed halfway through the body as a reset, not as a short answer", async () => {
    const url = await serve((_req, res) => {
      res.writeHead(200, { "Content-Type": "application/json", "Content-Length": "100" });
      res.write('{"access_token":"');
      setTimeout(() => res.socket?.destroy(), 10);
    });

    const answer = await exchange(nodeFetch, url, { method: "POST" });

    expect("error" in answer).toBe(true);
    expect(errorCode((answer as { error: unknown }).error)).toBe("ECONNRESET");
  });

  it("rejects with the signal's reason when aborted, as fetch does, and drops the connection", async () => {
    let closed = false;
    const url = await serve((req) => {
      req.socket.on("close", () => {
        closed = true;
      });
    });
    const controller = new AbortController();
    const reason = new Error("caller gave up");

    const pending = nodeFetch(url, { method: "POST", signal: controller.signal });
    setTimeout(() => {
      controller.abort(reason);
    }, 20);

    await expect(pending).rejects.toBe(reason);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(closed).toBe(true);
  });

  it("rejects at once with the reason of a signal already aborted, sending nothing", async () => {
    let requests = 0;
    const url = await serve((_req, res) => {
      requests += 1;
      res.end();
    });
    const reason = new Error("too late");

    await expect(nodeFetch(url, { method: "GET", signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
    expect(requests).toBe(0);
  });

  it("ends with a TimeoutError through exchange's timeoutMs", async () => {
    const url = await serve(() => undefined);

    const answer = await exchange(nodeFetch, url, { method: "POST", timeoutMs: 50 });

    expect(answer).toEqual({ error: expect.objectContaining({ name: "TimeoutError" }) });
  });
});

import { AzureLogger, getLogLevel, setLogLevel } from "@azure/logger";
import { once } from "node:events";
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { systemClock, type Clock } from "../clock.js";
import { withExchange, type ExchangeRecord } from "./exchange-context.js";
import { DEFAULT_RETRY, type ResolvedRetry } from "../config/resolve-config.js";
import { createLog } from "../log.js";
import { createNodeFetch } from "./node-fetch.js";
import { RetryingNetworkClient } from "./retrying-network-client.js";
import type { ProxyTls, TokenProxyRoute } from "./token-proxy-route.js";

// A loopback server that answers each request with the next scripted answer (the last one repeats).
type Answer = (req: IncomingMessage, res: ServerResponse) => void;
interface Recorded {
  method: string | undefined;
  url: string | undefined;
  headers: IncomingMessage["headers"];
  body: string;
}
interface Running {
  url: string;
  port: number;
  requests: Recorded[];
}

const servers: Server[] = [];
const clients: RetryingNetworkClient[] = [];

async function listen(server: Server): Promise<number> {
  servers.push(server);
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return (server.address() as AddressInfo).port;
}

async function startServer(...answers: Answer[]): Promise<Running> {
  const requests: Recorded[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString();
      requests.push({ method: req.method, url: req.url, headers: req.headers, body });
      const answer = answers[Math.min(requests.length, answers.length) - 1];
      answer?.(req, res);
    });
  });
  const port = await listen(server);
  return { url: `http://127.0.0.1:${port}/tenant/oauth2/v2.0/token`, port, requests };
}

const json =
  (status: number, body: unknown, headers: Record<string, string> = {}): Answer =>
  (_req, res) => {
    res.writeHead(status, { "Content-Type": "application/json", ...headers });
    res.end(JSON.stringify(body));
  };
const text =
  (status: number, body: string): Answer =>
  (_req, res) => {
    res.writeHead(status, { "Content-Type": "text/html" });
    res.end(body);
  };
const reset: Answer = (req) => req.socket.destroy();
const hang: Answer = () => undefined;

// A forward proxy for plain-http absolute-URI requests, recording what it forwarded.
async function startProxy(): Promise<{
  url: string;
  seen: { url: string | undefined; auth: string | undefined }[];
}> {
  const seen: { url: string | undefined; auth: string | undefined }[] = [];
  const proxy = createServer((req, res) => {
    seen.push({ url: req.url, auth: req.headers["proxy-authorization"] });
    const target = new URL(req.url ?? "");
    const headers = { ...req.headers };
    delete headers["proxy-authorization"];
    delete headers["proxy-connection"];
    const upstream = request(
      { host: target.hostname, port: target.port, path: target.pathname, method: req.method, headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on("error", () => res.destroy());
    req.pipe(upstream);
  });
  const port = await listen(proxy);
  return { url: `http://127.0.0.1:${port}`, seen };
}

const TOKEN = { token_type: "Bearer", expires_in: 3599, access_token: "header.payload.signature" };
const ENTRA_ERROR = {
  error: "invalid_client",
  error_description: "AADSTS700213: No matching federated identity record found for presented assertion.",
  error_codes: [700213],
};
const ASSERTION_BODY =
  "grant_type=client_credentials&client_assertion=eyJhbGciOiJSUzI1NiJ9.secret-assertion.sig";

// Sleeps resolve at once but are recorded, so retry timing is asserted without waiting.
function fakeClock(nowMs = Date.parse("2025-03-01T12:00:00Z")): Clock & { delays: number[] } {
  const delays: number[] = [];
  return {
    delays,
    now: () => nowMs,
    sleep: (ms) => {
      delays.push(ms);
      return Promise.resolve();
    },
  };
}

const RETRY: ResolvedRetry = DEFAULT_RETRY;

function setup(overrides: { clock?: Clock; retry?: Partial<ResolvedRetry>; env?: NodeJS.ProcessEnv } = {}) {
  const clock = overrides.clock ?? fakeClock();
  const client = new RetryingNetworkClient({
    clock,
    random: () => 0.5,
    retry: { ...RETRY, ...overrides.retry },
    log: createLog(true),
    env: overrides.env ?? {},
  });
  clients.push(client);
  return { client };
}

const post = { headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: ASSERTION_BODY };

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    server.close();
  }
});

describe("RetryingNetworkClient", () => {
  it("returns a 200 JSON answer as is, with lower-cased header names, after sending method, headers and body", async () => {
    const server = await startServer(json(200, TOKEN, { "X-Ms-Request-Id": "abc" }));
    const { client } = setup();
    const context: ExchangeRecord = {};

    const response = await withExchange(context, () => client.sendPostRequestAsync(server.url, post));

    expect(response).toEqual({
      status: 200,
      body: TOKEN,
      headers: expect.objectContaining({ "x-ms-request-id": "abc" }),
    });
    expect(server.requests).toEqual([
      expect.objectContaining({
        method: "POST",
        url: "/tenant/oauth2/v2.0/token",
        body: ASSERTION_BODY,
        headers: expect.objectContaining({ "content-type": "application/x-www-form-urlencoded" }),
      }),
    ]);
    // No failure; the answer's own lifetime, as sent, for the exchange to use instead of MSAL's rounded one.
    expect(context).toEqual({ answer: { expiresInSeconds: 3599, refreshInSeconds: undefined } });
  });

  it.each([
    [
      { expires_in: "3599", refresh_in: "1800" },
      { expiresInSeconds: 3599, refreshInSeconds: 1800 },
    ],
    [{ expires_in: 1 }, { expiresInSeconds: 1, refreshInSeconds: undefined }],
    [{ expires_in: "soon" }, { expiresInSeconds: Number.NaN, refreshInSeconds: undefined }],
    [{}, { expiresInSeconds: undefined, refreshInSeconds: undefined }],
  ])(
    "records the answer's lifetime %j as sent, strings included (Entra's v1 endpoint)",
    async (fields, recorded) => {
      const server = await startServer(json(200, { ...TOKEN, expires_in: undefined, ...fields }));
      const { client } = setup();
      const context: ExchangeRecord = {};

      await withExchange(context, () => client.sendPostRequestAsync(server.url, post));

      expect(context.answer).toEqual(recorded);
    },
  );

  it("sends GET requests too", async () => {
    const server = await startServer(json(200, { issuer: "x" }));
    const { client } = setup();

    await expect(client.sendGetRequestAsync(server.url)).resolves.toMatchObject({
      status: 200,
      body: { issuer: "x" },
    });
    expect(server.requests[0]?.method).toBe("GET");
  });

  it("retries two 429s after the 1000 ms their Retry-After: 1 asks for, then returns the 200", async () => {
    const throttled = json(429, { error: "temporarily_unavailable" }, { "Retry-After": "1" });
    const server = await startServer(throttled, throttled, json(200, TOKEN));
    const clock = fakeClock();
    const { client } = setup({ clock });
    const context: ExchangeRecord = {};

    const response = await withExchange(context, () => client.sendPostRequestAsync(server.url, post));

    expect(response.status).toBe(200);
    expect(clock.delays).toEqual([1000, 1000]);
    expect(server.requests).toHaveLength(3);
    expect(context.failure).toBeUndefined();
  });

  it("retries three 503s with doubling backoff, then returns the 200", async () => {
    const unavailable = text(503, "<html>Service Unavailable</html>");
    const server = await startServer(unavailable, unavailable, unavailable, json(200, TOKEN));
    const clock = fakeClock();
    const { client } = setup({ clock });

    await expect(client.sendPostRequestAsync(server.url, post)).resolves.toMatchObject({
      status: 200,
      body: TOKEN,
    });
    expect(clock.delays).toEqual([300, 600, 1200]);
    expect(server.requests).toHaveLength(4);
  });

  it.each([408, 500, 502, 504])("retries HTTP %d", async (status) => {
    const server = await startServer(json(status, {}), json(200, TOKEN));
    const { client } = setup();

    await expect(client.sendPostRequestAsync(server.url, post)).resolves.toMatchObject({ status: 200 });
    expect(server.requests).toHaveLength(2);
  });

  it("caps a long Retry-After at maxRetryAfterMs", async () => {
    const server = await startServer(json(429, {}, { "Retry-After": "3600" }), json(200, TOKEN));
    const clock = fakeClock();
    const { client } = setup({ clock, retry: { maxRetryAfterMs: 5000 } });

    await client.sendPostRequestAsync(server.url, post);
    expect(clock.delays).toEqual([5000]);
  });

  it("reads an HTTP-date Retry-After against the injected clock", async () => {
    const server = await startServer(
      json(503, {}, { "Retry-After": "Sat, 01 Mar 2025 12:00:07 GMT" }),
      json(200, TOKEN),
    );
    const clock = fakeClock(Date.parse("2025-03-01T12:00:00Z"));
    const { client } = setup({ clock });

    await client.sendPostRequestAsync(server.url, post);
    expect(clock.delays).toEqual([7000]);
  });

  it("retries after the server resets the connection, then returns the 200", async () => {
    const server = await startServer(reset, json(200, TOKEN));
    const clock = fakeClock();
    const { client } = setup({ clock });
    const context: ExchangeRecord = {};

    await expect(
      withExchange(context, () => client.sendPostRequestAsync(server.url, post)),
    ).resolves.toMatchObject({
      status: 200,
    });
    expect(clock.delays).toEqual([300]);
  });

  it("does not retry a 400 with an Entra error body, records it and throws", async () => {
    const server = await startServer(
      json(400, ENTRA_ERROR, { "X-Ms-Request-Id": "req-1" }),
      json(200, TOKEN),
    );
    const clock = fakeClock();
    const { client } = setup({ clock });
    const context: ExchangeRecord = {};

    await expect(withExchange(context, () => client.sendPostRequestAsync(server.url, post))).rejects.toThrow(
      "Token request failed with HTTP 400 after 1 attempt.",
    );
    expect(server.requests).toHaveLength(1);
    expect(clock.delays).toEqual([]);
    expect(context.failure).toEqual({
      kind: "http",
      status: 400,
      headers: expect.objectContaining({ "content-type": "application/json", "x-ms-request-id": "req-1" }),
      body: JSON.stringify(ENTRA_ERROR),
      attempts: 1,
    });
  });

  it.each([401, 403, 404])("does not retry HTTP %d", async (status) => {
    const server = await startServer(json(status, {}), json(200, TOKEN));
    const { client } = setup();

    await expect(client.sendPostRequestAsync(server.url, post)).rejects.toThrow(`HTTP ${status}`);
    expect(server.requests).toHaveLength(1);
  });

  it("records the last answer with attempts = maxRetries + 1 when retries run out", async () => {
    const server = await startServer(json(503, { error: "server_error" }));
    const clock = fakeClock();
    const { client } = setup({ clock, retry: { maxRetries: 2 } });
    const context: ExchangeRecord = {};

    await expect(withExchange(context, () => client.sendPostRequestAsync(server.url, post))).rejects.toThrow(
      "Token request failed with HTTP 503 after 3 attempts.",
    );
    expect(server.requests).toHaveLength(3);
    expect(clock.delays).toEqual([300, 600]);
    expect(context.failure).toMatchObject({
      kind: "http",
      status: 503,
      body: '{"error":"server_error"}',
      attempts: 3,
    });
  });

  it("never returns a 429 to the caller: once retries run out it throws instead", async () => {
    const server = await startServer(json(429, { error: "throttled" }, { "Retry-After": "0" }));
    const { client } = setup();
    const context: ExchangeRecord = {};

    const outcome = withExchange(context, () => client.sendPostRequestAsync(server.url, post)).then(
      (response) => ({ returned: response.status }),
      () => ({ threw: true }),
    );

    await expect(outcome).resolves.toEqual({ threw: true });
    expect(server.requests).toHaveLength(RETRY.maxRetries + 1);
    expect(context.failure).toMatchObject({ kind: "http", status: 429, headers: { "retry-after": "0" } });
  });

  it("records a network failure with attempts = maxRetries + 1 when the connection keeps failing", async () => {
    const server = await startServer(reset);
    const { client } = setup({ retry: { maxRetries: 1 } });
    const context: ExchangeRecord = {};

    await expect(withExchange(context, () => client.sendPostRequestAsync(server.url, post))).rejects.toThrow(
      /^Token request failed with (ECONNRESET|UND_ERR_SOCKET) after 2 attempts\.$/,
    );
    // The transport's own error is kept whole, code included, for the credential to report.
    expect(context.failure).toMatchObject({
      kind: "network",
      error: { code: "ECONNRESET" },
      attempts: 2,
    });
  });

  it("fails a 200 whose body is not JSON as an http failure, without retrying", async () => {
    const server = await startServer(text(200, "<html>captive portal</html>"), json(200, TOKEN));
    const { client } = setup();
    const context: ExchangeRecord = {};

    await expect(withExchange(context, () => client.sendPostRequestAsync(server.url, post))).rejects.toThrow(
      "HTTP 200",
    );
    expect(server.requests).toHaveLength(1);
    expect(context.failure).toMatchObject({
      kind: "http",
      status: 200,
      body: "<html>captive portal</html>",
      attempts: 1,
    });
  });

  it("rejects promptly when the caller aborts during a long Retry-After wait, with the answer that caused the wait", async () => {
    const server = await startServer(json(429, {}, { "Retry-After": "30" }), json(200, TOKEN));
    const { client } = setup({ clock: systemClock });
    const controller = new AbortController();
    const context: ExchangeRecord = { signal: controller.signal };
    const reason = new Error("caller gave up");
    setTimeout(() => {
      controller.abort(reason);
    }, 50);
    const started = Date.now();

    await expect(withExchange(context, () => client.sendPostRequestAsync(server.url, post))).rejects.toThrow(
      "Token request failed with HTTP 429 after 1 attempt.",
    );
    expect(Date.now() - started).toBeLessThan(2000);
    expect(server.requests).toHaveLength(1);
    // The 429 says more than "aborted": the credential maps it to ERR_ENTRA_UNAVAILABLE with the status.
    expect(context.failure).toMatchObject({ kind: "http", status: 429, attempts: 1 });
    expect(reason.message).toBe("caller gave up");
  });

  it("rejects promptly when the caller aborts while the request is in flight", async () => {
    const server = await startServer(hang);
    const { client } = setup({ clock: systemClock });
    const controller = new AbortController();
    const context: ExchangeRecord = { signal: controller.signal };
    setTimeout(() => {
      controller.abort(new Error("deadline"));
    }, 50);

    await expect(withExchange(context, () => client.sendPostRequestAsync(server.url, post))).rejects.toThrow(
      "aborted",
    );
    expect(context.failure).toMatchObject({ kind: "aborted", attempts: 1 });
  });

  it("does not send anything when the signal is already aborted", async () => {
    const server = await startServer(json(200, TOKEN));
    const { client } = setup();
    const context: ExchangeRecord = { signal: AbortSignal.abort(new Error("too late")) };

    await expect(withExchange(context, () => client.sendPostRequestAsync(server.url, post))).rejects.toThrow(
      "after 0 attempts",
    );
    expect(server.requests).toHaveLength(0);
    expect(context.failure).toMatchObject({ kind: "aborted", attempts: 0 });
  });

  it("still retries a request made outside any exchange", async () => {
    const server = await startServer(json(503, {}), json(200, TOKEN));
    const { client } = setup();

    await expect(client.sendPostRequestAsync(server.url, post)).resolves.toMatchObject({
      status: 200,
    });
    await expect(client.sendPostRequestAsync(server.url, post)).resolves.toMatchObject({ status: 200 });
  });

  it("clears an earlier request's failure from the context when a new request starts", async () => {
    const server = await startServer(json(400, ENTRA_ERROR), json(200, TOKEN));
    const { client } = setup();
    const context: ExchangeRecord = {};

    await expect(withExchange(context, () => client.sendGetRequestAsync(server.url))).rejects.toThrow();
    expect(context.failure).toMatchObject({ kind: "http", status: 400 });
    await withExchange(context, () => client.sendPostRequestAsync(server.url, post));
    expect(context.failure).toBeUndefined();
  });

  it("treats a GET that outlives MSAL's timeout as a retryable network error", async () => {
    const server = await startServer(hang, json(200, { ok: true }));
    const clock = fakeClock();
    const { client } = setup({ clock });

    // 1 s, not less: under CI's load the answering second attempt must not outlive the timeout too.
    await expect(client.sendGetRequestAsync(server.url, {}, 1_000)).resolves.toMatchObject({
      body: { ok: true },
    });
    expect(clock.delays).toEqual([300]);
  });

  it("logs each retry at info with the status or error code, the attempt and the delay, and never the body", async () => {
    const server = await startServer(json(503, ENTRA_ERROR), reset, json(400, ENTRA_ERROR));
    const { client } = setup();
    const lines = await captureLogs(() =>
      expect(client.sendPostRequestAsync(server.url, post)).rejects.toThrow(),
    );

    expect(lines).toEqual([
      expect.stringMatching(/info.*127\.0\.0\.1:\d+ got HTTP 503 on attempt 1; retrying in 300 ms/),
      expect.stringMatching(/info.*got (ECONNRESET|UND_ERR_SOCKET) on attempt 2; retrying in 600 ms/),
    ]);
    expect(lines.join("\n")).not.toMatch(/secret-assertion|AADSTS|client_assertion/);
  });
});

describe("RetryingNetworkClient through a proxy", () => {
  it("sends requests, retries included, through HTTP_PROXY", async () => {
    const server = await startServer(json(503, {}), json(200, TOKEN));
    const proxy = await startProxy();
    const { client } = setup({ env: { HTTP_PROXY: proxy.url } });

    await expect(client.sendPostRequestAsync(server.url, post)).resolves.toMatchObject({
      status: 200,
      body: TOKEN,
    });
    expect(proxy.seen.map((s) => s.url)).toEqual([server.url, server.url]);
    expect(server.requests.map((r) => r.body)).toEqual([ASSERTION_BODY, ASSERTION_BODY]);
  });

  it("bypasses the proxy for hosts in NO_PROXY", async () => {
    const server = await startServer(json(200, TOKEN));
    const proxy = await startProxy();
    const { client } = setup({ env: { HTTP_PROXY: proxy.url, NO_PROXY: "127.0.0.1" } });

    await expect(client.sendPostRequestAsync(server.url, post)).resolves.toMatchObject({ status: 200 });
    expect(proxy.seen).toEqual([]);
    expect(server.requests).toHaveLength(1);
  });

  it("sends the proxy's credentials to the proxy but never logs them", async () => {
    const server = await startServer(json(200, TOKEN));
    const proxy = await startProxy();
    const withCredentials = proxy.url.replace("http://", "http://user:s3cret@");
    const { client } = setup({ env: { HTTP_PROXY: withCredentials } });

    const lines = await captureLogs(() => client.sendPostRequestAsync(server.url, post));

    expect(proxy.seen[0]?.auth).toBe(`Basic ${Buffer.from("user:s3cret").toString("base64")}`);
    expect(server.requests[0]?.headers["proxy-authorization"]).toBeUndefined();
    expect(lines).toEqual([expect.stringContaining(`through proxy "http://***:***@127.0.0.1:`)]);
    expect(lines.join("\n")).not.toContain("s3cret");
  });

  it("fails without retrying when the proxy variable is not a URL", async () => {
    const server = await startServer(json(200, TOKEN));
    const { client } = setup({ env: { HTTP_PROXY: "http://[bad" } });
    const context: ExchangeRecord = {};

    await expect(
      withExchange(context, () => client.sendPostRequestAsync(server.url, post)),
    ).rejects.toThrow();
    expect(context.failure).toMatchObject({
      kind: "network",
      error: { message: expect.stringContaining("HTTP_PROXY") },
    });
    expect(server.requests).toHaveLength(0);
  });
});

describe("loading", () => {
  const heavy = () =>
    Object.keys(require.cache).filter((key) => /node_modules[\\/](undici|@azure[\\/]msal-)/.test(key));

  it("loads neither MSAL nor undici on import, and undici only for the first proxied request", async () => {
    const server = await startServer(json(200, TOKEN));
    const proxy = await startProxy();

    await jest.isolateModulesAsync(async () => {
      const fresh = jest.requireActual<typeof import("./retrying-network-client.js")>(
        "./retrying-network-client.js",
      );
      expect(Object.keys(require.cache).some((key) => key.includes("retrying-network-client"))).toBe(true);
      expect(heavy()).toEqual([]);

      const direct = new fresh.RetryingNetworkClient({
        retry: DEFAULT_RETRY,
        log: createLog(false),
        env: {},
      });
      await direct.sendPostRequestAsync(server.url, post);
      expect(heavy()).toEqual([]);

      const proxied = new fresh.RetryingNetworkClient({
        retry: DEFAULT_RETRY,
        log: createLog(false),
        env: { HTTP_PROXY: proxy.url },
      });
      clients.push(proxied);
      await proxied.sendPostRequestAsync(server.url, post);
      expect(heavy()).toContainEqual(expect.stringMatching(/node_modules[\\/]undici[\\/]index\.js$/));
      expect(heavy().filter((key) => key.includes("msal"))).toEqual([]);
    });
  });
});

async function captureLogs(action: () => Promise<unknown>): Promise<string[]> {
  const lines: string[] = [];
  const originalLog = AzureLogger.log;
  const originalLevel = getLogLevel();
  AzureLogger.log = (...args: unknown[]) => lines.push(args.map(String).join(" "));
  setLogLevel("info");
  try {
    await action();
  } finally {
    AzureLogger.log = originalLog;
    setLogLevel(originalLevel);
  }
  return lines;
}

describe("RetryingNetworkClient when the proxy refuses", () => {
  /** A proxy that answers every CONNECT, and every plain request, with `status`. */
  async function refusingProxy(status: number): Promise<{ url: string; connects: number; requests: number }> {
    const seen = { url: "", connects: 0, requests: 0 };
    const proxy = createServer((_req, res) => {
      seen.requests += 1;
      res.writeHead(status, { "proxy-authenticate": 'Basic realm="corp"' }).end();
    });
    proxy.on("connect", (_req, socket: Socket) => {
      seen.connects += 1;
      socket.end(`HTTP/1.1 ${status} Refused\r\nProxy-Authenticate: Basic realm="corp"\r\n\r\n`);
    });
    seen.url = `http://127.0.0.1:${await listen(proxy)}`;
    return seen;
  }

  it.each([
    [407, "HTTPS_PROXY"],
    [403, "ALL_PROXY"],
  ])("takes a CONNECT answered %i as final, naming %s, without retrying", async (status, variable) => {
    const proxy = await refusingProxy(status);
    const { client } = setup({ env: { [variable]: proxy.url } });
    const context: ExchangeRecord = {};

    await expect(
      withExchange(context, () =>
        client.sendPostRequestAsync("https://127.0.0.1:443/tenant/oauth2/v2.0/token", post),
      ),
    ).rejects.toThrow(`refused by the proxy with HTTP ${status} after 1 attempt`);
    expect(context.failure).toEqual({ kind: "proxy", status, variable, attempts: 1 });
    expect(proxy.connects).toBe(1);
  });

  it("takes a plain request answered 407 by HTTP_PROXY as the proxy's refusal", async () => {
    const proxy = await refusingProxy(407);
    const server = await startServer(json(200, TOKEN));
    const { client } = setup({ env: { HTTP_PROXY: proxy.url } });
    const context: ExchangeRecord = {};

    await expect(withExchange(context, () => client.sendPostRequestAsync(server.url, post))).rejects.toThrow(
      "refused by the proxy with HTTP 407",
    );
    expect(context.failure).toEqual({ kind: "proxy", status: 407, variable: "HTTP_PROXY", attempts: 1 });
    expect(proxy.requests).toBe(1);
    expect(server.requests).toHaveLength(0);
  });
});

describe("RetryingNetworkClient with an identity binding's token proxy", () => {
  const UNTRUSTED = Object.assign(new Error("unable to verify the first certificate"), {
    code: "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  });

  /** A route to `server` whose TLS fails verification until reload() finds a new CA (when `rotates`). */
  function stubRoute(serverUrl: string, rotates: boolean) {
    const calls = { reloads: 0, targets: [] as string[] };
    const failing: ProxyTls = { key: "old", direct: () => Promise.reject(UNTRUSTED), options: {} };
    const working: ProxyTls = { key: "new", direct: createNodeFetch(), options: {} };
    let current = failing;
    const route = {
      target: (url: string) => {
        calls.targets.push(url);
        return `${serverUrl}/proxied${new URL(url).pathname}`;
      },
      describe: () => ({ base: serverUrl, sniName: undefined, caVariable: undefined, caPath: undefined }),
      tls: () => Promise.resolve(current),
      reload: () => {
        calls.reloads += 1;
        if (rotates) current = working;
        return Promise.resolve(rotates);
      },
      close: () => Promise.resolve(),
    } as unknown as TokenProxyRoute;
    return { route, calls };
  }

  function client(route: TokenProxyRoute, clock: Clock) {
    const made = new RetryingNetworkClient({
      clock,
      random: () => 0.5,
      retry: RETRY,
      log: createLog(false),
      env: {},
      tokenProxy: route,
    });
    clients.push(made);
    return made;
  }

  it("sends every request to the proxy, and names the route on the exchange's record", async () => {
    const server = await startServer(json(200, TOKEN));
    const { route, calls } = stubRoute(server.url.replace(/\/tenant.*$/, ""), true);
    const context: ExchangeRecord = {};

    await withExchange(context, () =>
      client(route, fakeClock()).sendPostRequestAsync(
        "https://login.microsoftonline.com/t/oauth2/v2.0/token",
        post,
      ),
    ).catch(() => undefined);

    expect(calls.targets).toEqual(["https://login.microsoftonline.com/t/oauth2/v2.0/token"]);
    expect(context.route).toMatchObject({ base: server.url.replace(/\/tenant.*$/, "") });
  });

  it("reads the CA again after a verification failure and retries at once, without a backoff", async () => {
    const server = await startServer(json(200, TOKEN));
    const base = server.url.replace(/\/tenant.*$/, "");
    const { route, calls } = stubRoute(base, true);
    const clock = fakeClock();

    const response = await client(route, clock).sendPostRequestAsync(
      `https://login.example/t/oauth2/v2.0/token`,
      post,
    );

    expect(response).toMatchObject({ status: 200, body: TOKEN });
    expect(calls.reloads).toBe(1);
    expect(clock.delays).toEqual([]);
    expect(server.requests).toEqual([expect.objectContaining({ url: "/proxied/t/oauth2/v2.0/token" })]);
  });

  it("fails as a TLS failure, without backoff retries, when the CA read again is the same", async () => {
    const server = await startServer(json(200, TOKEN));
    const { route, calls } = stubRoute(server.url.replace(/\/tenant.*$/, ""), false);
    const clock = fakeClock();
    const context: ExchangeRecord = {};

    await expect(
      withExchange(context, () =>
        client(route, clock).sendPostRequestAsync("https://login.example/t/token", post),
      ),
    ).rejects.toThrow(/failed TLS verification \(UNABLE_TO_VERIFY_LEAF_SIGNATURE\) after 1 attempt\./);
    expect(context.failure).toMatchObject({ kind: "tls", attempts: 1, error: UNTRUSTED });
    expect(calls.reloads).toBe(1);
    expect(clock.delays).toEqual([]);
    expect(server.requests).toEqual([]);
  });
});

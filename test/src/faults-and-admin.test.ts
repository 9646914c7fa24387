// Fault injection and request counters, driven through the library and through the loopback admin endpoint.
import { createEmulator, type Emulator } from "@workload-identity/emulator";
import { setTimeout as sleep } from "node:timers/promises";
import { readFile } from "node:fs/promises";
import { httpsRequest } from "./support/https.js";
import { projectedToken, requestToken } from "./support/token-request.js";

let emulator: Emulator;

beforeAll(async () => {
  emulator = await createEmulator();
});
afterAll(() => emulator.close());
beforeEach(() => {
  emulator.faults.clear();
  emulator.stats.reset();
});

const tokenStatus = async () => (await requestToken(emulator, await projectedToken(emulator))).status;
const tokenPath = () => `/${emulator.env.AZURE_TENANT_ID}/oauth2/v2.0/token`;
const admin = (path: string, method = "GET", body?: unknown) =>
  httpsRequest(`${emulator.urls.admin}${path}`, {
    method,
    ca: emulator.caCertificate,
    ...(body === undefined
      ? {}
      : { body: JSON.stringify(body), headers: { "content-type": "application/json" } }),
  });

describe("faults", () => {
  it("answers the first N token requests with the status and Retry-After, in Entra's error shape, then recovers", async () => {
    emulator.faults.add({ endpoint: "token", status: 429, retryAfterSeconds: 1, first: 2 });
    const first = await requestToken(emulator, await projectedToken(emulator));
    expect(first.status).toBe(429);
    expect(first.headers["retry-after"]).toBe("1");
    expect(first.json()).toMatchObject({ error: "temporarily_unavailable" });
    expect(await tokenStatus()).toBe(429);
    expect(await tokenStatus()).toBe(200);
    expect(emulator.stats.count({ path: tokenPath(), status: 429 })).toBe(2);
    expect(emulator.stats.count({ endpoint: "token", status: 200 })).toBe(1);
  });

  it("resets the connection without an answer, and counts it as status 0", async () => {
    emulator.faults.add({ endpoint: "token", reset: true, first: 1 });
    await expect(requestToken(emulator, await projectedToken(emulator))).rejects.toThrow(
      /ECONNRESET|socket hang up/,
    );
    expect(await tokenStatus()).toBe(200);
    expect(emulator.stats.count({ endpoint: "token", status: 0 })).toBe(1);
  });

  it("adds latency before the real answer", async () => {
    emulator.faults.add({ endpoint: "token", latencyMs: 300, first: 1 });
    const started = Date.now();
    expect(await tokenStatus()).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
  });

  it("applies a time-window fault only inside its window", async () => {
    // Wide margins: the window is 0.6 s to 1.8 s after the rule is added; requests at ~0, ~1.2 and ~2.4 s.
    const added = Date.now();
    emulator.faults.add({ endpoint: "token", status: 503, startAfterMs: 600, durationMs: 1200 });
    expect(await tokenStatus()).toBe(200);
    await sleep(1200 - (Date.now() - added));
    expect(await tokenStatus()).toBe(503);
    await sleep(2400 - (Date.now() - added));
    expect(await tokenStatus()).toBe(200);
  });

  it("answers with a given body and content type, even a malformed 200", async () => {
    emulator.faults.add({
      endpoint: "token",
      status: 200,
      body: "<html>sign in</html>",
      contentType: "text/html",
      first: 1,
    });
    const response = await requestToken(emulator, await projectedToken(emulator));
    expect(response.status).toBe(200);
    expect(response.headers["content-type"]).toBe("text/html");
    expect(response.text).toBe("<html>sign in</html>");
  });

  it("applies a percentage of 0 to no request and of 100 to every request", async () => {
    const [never] = emulator.faults.add({ endpoint: "token", status: 500, percent: 0 });
    expect(await tokenStatus()).toBe(200);
    emulator.faults.remove(never?.id ?? "");
    emulator.faults.add({ endpoint: "*", status: 502, percent: 100 });
    expect(await tokenStatus()).toBe(502);
  });

  it("leaves a hanging request unanswered, and close() still returns", async () => {
    const own = await createEmulator();
    own.faults.add({ endpoint: "jwks", hang: true });
    const pending = httpsRequest(`${own.urls.issuer}openid/v1/jwks`, { ca: own.caCertificate });
    const outcome = await Promise.race([
      pending.then(
        () => "answered",
        () => "failed",
      ),
      sleep(500).then(() => "pending"),
    ]);
    expect(outcome).toBe("pending");
    await own.close();
    await expect(pending).rejects.toThrow();
  });
});

describe("admin endpoint", () => {
  it("adds, lists and clears faults", async () => {
    const added = await admin("/faults", "POST", [{ endpoint: "token", status: 503, first: 1 }]);
    expect(added.status).toBe(201);
    expect((await admin("/faults")).json<{ faults: unknown[] }>().faults).toHaveLength(1);
    expect(await tokenStatus()).toBe(503);
    expect((await admin("/faults", "DELETE")).status).toBe(204);
    expect((await admin("/faults")).json<{ faults: unknown[] }>().faults).toHaveLength(0);
  });

  it("refuses an invalid fault with 400 and the reason", async () => {
    const response = await admin("/faults", "POST", { endpoint: "tokne", status: 503 });
    expect(response.status).toBe(400);
    expect(response.json<{ error: string }>().error).toContain('Unknown fault endpoint "tokne"');
  });

  it("reports and resets request counters by host, path and status", async () => {
    await tokenStatus();
    const { requests } = (await admin("/stats")).json<{
      requests: { host: string; path: string; status: number; count: number }[];
    }>();
    expect(requests).toContainEqual(
      expect.objectContaining({
        host: new URL(emulator.urls.authorityHost).host,
        path: tokenPath(),
        status: 200,
        count: 1,
      }),
    );
    await admin("/stats", "DELETE");
    expect(emulator.stats.count()).toBe(0);
  });

  it("rotates the projected token on request", async () => {
    const before = await readFile(emulator.env.AZURE_FEDERATED_TOKEN_FILE, "utf8");
    expect((await admin("/rotate", "POST")).status).toBe(200);
    const after = await readFile(emulator.env.AZURE_FEDERATED_TOKEN_FILE, "utf8");
    expect(after).not.toBe(before);
    expect(await tokenStatus()).toBe(200);
  });

  it("changes Entra settings at run time", async () => {
    const patched = await admin("/settings", "PATCH", { accessTokenLifetimeSeconds: 240 });
    expect(patched.json()).toMatchObject({ accessTokenLifetimeSeconds: 240 });
    const response = await requestToken(emulator, await projectedToken(emulator));
    expect(response.json()).toMatchObject({ expires_in: 240 });
    expect((await admin("/settings", "PATCH", { accessTokenLifetimeSeconds: -1 })).status).toBe(400);
    await admin("/settings", "PATCH", { accessTokenLifetimeSeconds: 3599 });
  });

  it("serves the pod environment", async () => {
    expect((await admin("/env")).json()).toEqual(emulator.env);
  });
});

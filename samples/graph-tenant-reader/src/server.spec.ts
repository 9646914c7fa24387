import { createHash } from "node:crypto";
import type { AddressInfo } from "node:net";
import { createReaderServer, type ReaderState } from "./server.js";

let state: ReaderState;
const server = createReaderServer(() => state);
let base: string;

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

const tenant = {
  id: "6a4c7a1e-3d2b-4f5e-9c8d-7b6a5f4e3d2c",
  displayName: "Contoso <&>",
  domains: ["contoso.onmicrosoft.com"],
};
const readAt = new Date("2026-11-22T20:00:00Z");

it("is alive but not ready before the first read", async () => {
  state = { tenant: undefined, lastReadAt: undefined, lastErrorCode: undefined };
  expect((await fetch(`${base}/healthz`)).status).toBe(200);
  expect((await fetch(`${base}/readyz`)).status).toBe(503);
  const api = await fetch(`${base}/api/organization`);
  expect(api.status).toBe(503);
  expect(await api.json()).toEqual({ status: "pending" });
  expect(await (await fetch(`${base}/`)).text()).toContain("Waiting for the first read");
});

it("serves the tenant as JSON and as an HTML page with escaped text once read", async () => {
  state = { tenant, lastReadAt: readAt, lastErrorCode: undefined };
  expect((await fetch(`${base}/readyz`)).status).toBe(200);
  expect(await (await fetch(`${base}/api/organization`)).json()).toEqual({
    status: "ok",
    ...tenant,
    lastReadAt: "2026-11-22T20:00:00.000Z",
  });
  const html = await (await fetch(`${base}/`)).text();
  expect(html).toContain("<h1>Contoso &#60;&#38;&#62;</h1>");
  expect(html).toContain(tenant.id);
  expect(html).toContain("<li>contoso.onmicrosoft.com</li>");
  expect(html).toContain('<time datetime="2026-11-22T20:00:00.000Z">');
});

it("keeps markup in the tenant's name and domains as text", async () => {
  state = {
    tenant: {
      ...tenant,
      displayName: "Contoso <script>alert(1)</script>",
      domains: ['"><img src=x onerror=alert(2)>.example'],
    },
    lastReadAt: readAt,
    lastErrorCode: undefined,
  };
  const html = await (await fetch(`${base}/`)).text();
  expect(html).toContain("<h1>Contoso &#60;script&#62;alert(1)&#60;/script&#62;</h1>");
  expect(html).toContain("<li>&#34;&#62;&#60;img src=x onerror=alert(2)&#62;.example</li>");
  expect(html).not.toContain("<script");
  expect(html).not.toContain("<img");
});

it("serves only the error code after a failed first read, not ready", async () => {
  state = { tenant: undefined, lastReadAt: undefined, lastErrorCode: "ERR_FEDERATED_CREDENTIAL_MISMATCH" };
  expect((await fetch(`${base}/readyz`)).status).toBe(503);
  const api = await fetch(`${base}/api/organization`);
  expect(api.status).toBe(503);
  expect(await api.json()).toEqual({ status: "error", code: "ERR_FEDERATED_CREDENTIAL_MISMATCH" });
  const html = await (await fetch(`${base}/`)).text();
  expect(html).toContain("Last read failed (ERR_FEDERATED_CREDENTIAL_MISMATCH)");
  expect(html).toContain("the reader's log");
});

it("keeps serving the tenant read before a failed read, marked with that read's code", async () => {
  state = { tenant, lastReadAt: readAt, lastErrorCode: "ERR_GRAPH_FORBIDDEN" };
  expect((await fetch(`${base}/readyz`)).status).toBe(503);
  expect(await (await fetch(`${base}/api/organization`)).json()).toEqual({
    status: "error",
    code: "ERR_GRAPH_FORBIDDEN",
    ...tenant,
    lastReadAt: "2026-11-22T20:00:00.000Z",
  });
  const html = await (await fetch(`${base}/`)).text();
  expect(html).toContain(tenant.id);
  expect(html).toContain("Last read failed (ERR_GRAPH_FORBIDDEN)");
});

it("sends nosniff, no-store and a CSP without 'unsafe-inline' on every response, 404 and 405 included", async () => {
  state = { tenant, lastReadAt: readAt, lastErrorCode: undefined };
  const responses = await Promise.all([
    fetch(`${base}/`),
    fetch(`${base}/api/organization`),
    fetch(`${base}/healthz`),
    fetch(`${base}/readyz`),
    fetch(`${base}/favicon.svg`),
    fetch(`${base}/nope`),
    fetch(`${base}/`, { method: "POST" }),
  ]);
  expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 404, 405]);
  for (const response of responses) {
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("cache-control")).toBe("no-store");
    const csp = response.headers.get("content-security-policy") ?? "";
    expect(csp).toMatch(/^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/]+=*'; /);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain("unsafe-inline");
  }
});

it("serves the page's icon, which the CSP allows as an image from the same origin", async () => {
  state = { tenant, lastReadAt: readAt, lastErrorCode: undefined };
  expect(await (await fetch(`${base}/`)).text()).toContain('<link rel="icon" href="/favicon.svg">');
  const icon = await fetch(`${base}/favicon.svg`);
  expect(icon.headers.get("content-type")).toBe("image/svg+xml");
  expect(await icon.text()).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  expect(icon.headers.get("content-security-policy")).toContain("img-src 'self';");
});

it("allows exactly the page's own style: the CSP hash is the style element's text", async () => {
  state = { tenant, lastReadAt: readAt, lastErrorCode: undefined };
  const response = await fetch(`${base}/`);
  const styles = [...(await response.text()).matchAll(/<style>([^<]*)<\/style>/g)].map((m) => m[1] ?? "");
  expect(styles).toHaveLength(1);
  const hash = createHash("sha256")
    .update(styles[0] ?? "")
    .digest("base64");
  expect(response.headers.get("content-security-policy")).toContain(`style-src 'sha256-${hash}';`);
});

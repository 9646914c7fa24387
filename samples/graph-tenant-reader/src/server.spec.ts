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

it("is alive but not ready before the first read", async () => {
  state = { tenant: undefined, lastReadAt: undefined, lastError: undefined };
  expect((await fetch(`${base}/healthz`)).status).toBe(200);
  expect((await fetch(`${base}/readyz`)).status).toBe(503);
  expect((await fetch(`${base}/api/organization`)).status).toBe(503);
});

it("serves the tenant as JSON and as an HTML page with escaped text once read", async () => {
  state = { tenant, lastReadAt: new Date("2026-11-22T20:00:00Z"), lastError: undefined };
  expect((await fetch(`${base}/readyz`)).status).toBe(200);
  expect(await (await fetch(`${base}/api/organization`)).json()).toEqual({
    ...tenant,
    lastReadAt: "2026-11-22T20:00:00.000Z",
  });
  const html = await (await fetch(`${base}/`)).text();
  expect(html).toContain("<h1>Contoso &#60;&#38;&#62;</h1>");
  expect(html).toContain(tenant.id);
});

it("is not ready while the last read failed, and says why on the page", async () => {
  state = { tenant, lastReadAt: new Date(), lastError: "Insufficient privileges" };
  expect((await fetch(`${base}/readyz`)).status).toBe(503);
  expect(await (await fetch(`${base}/`)).text()).toContain("Last read failed: Insufficient privileges");
  expect((await fetch(`${base}/nope`)).status).toBe(404);
});

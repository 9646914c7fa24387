// The reader's HTTP side: / (a small HTML page), /api/organization (JSON), /healthz and /readyz.
import { createServer, type Server } from "node:http";
import type { Tenant } from "./organization.js";

export interface ReaderState {
  tenant: Tenant | undefined;
  lastReadAt: Date | undefined;
  lastError: string | undefined;
}

export function createReaderServer(state: () => ReaderState): Server {
  return createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://localhost").pathname;
    const [status, type, body] =
      req.method === "GET" || req.method === "HEAD"
        ? answer(path, state())
        : [405, "text/plain", "method not allowed\n"];
    res.writeHead(status, { "content-type": type, "cache-control": "no-store" }).end(body);
  });
}

function answer(path: string, state: ReaderState): [number, string, string] {
  switch (path) {
    case "/healthz":
      return [200, "text/plain", "ok\n"];
    case "/readyz":
      // Ready once the tenant has been read, and while the last read succeeded.
      return state.tenant && !state.lastError
        ? [200, "text/plain", "ok\n"]
        : [503, "text/plain", "not ready\n"];
    case "/api/organization":
      return state.tenant
        ? [
            200,
            "application/json",
            JSON.stringify({ ...state.tenant, lastReadAt: state.lastReadAt?.toISOString() }),
          ]
        : [503, "application/json", JSON.stringify({ error: state.lastError ?? "not read yet" })];
    case "/":
      return [200, "text/html; charset=utf-8", page(state)];
    default:
      return [404, "text/plain", "not found\n"];
  }
}

function page(state: ReaderState): string {
  const body = state.tenant
    ? `<h1>${escape(state.tenant.displayName)}</h1><dl><dt>Tenant id</dt><dd><code>${escape(state.tenant.id)}</code></dd>` +
      `<dt>Verified domains</dt><dd>${state.tenant.domains.map(escape).join("<br>")}</dd>` +
      `<dt>Read at</dt><dd>${escape(state.lastReadAt?.toISOString() ?? "")}</dd></dl>`
    : "<h1>Tenant not read yet</h1>";
  const error = state.lastError ? `<p role="alert">Last read failed: ${escape(state.lastError)}</p>` : "";
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Graph tenant reader</title></head><body>${body}${error}<p>Read with Entra ID Workload Identity: no secret in this pod.</p></body></html>\n`;
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

// The reader's HTTP side: / (a small HTML page and its icon), /api/organization (JSON), /healthz and /readyz.
// A failed read is served as its code only, and every response carries the same security headers.
import { createHash } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { Tenant } from "./organization.js";
import type { ReadErrorCode } from "./read-failure.js";

export interface ReaderState {
  tenant: Tenant | undefined;
  /** When the tenant was last read successfully. */
  lastReadAt: Date | undefined;
  /** Why the last read failed; undefined after a success. The error's message is for the log, never served. */
  lastErrorCode: ReadErrorCode | undefined;
}

/** The page's only style; the CSP allows exactly this text by its hash. */
const STYLE = [
  "body{margin:0;padding:2rem 1rem;font:16px/1.5 system-ui,sans-serif;color:#1b1b1b;background:#f3f4f6}",
  "main{max-width:44rem;margin:0 auto;padding:1.5rem 2rem;background:#fff;border:1px solid #d5d9de;border-radius:8px}",
  "h1{margin:0 0 1rem;font-size:1.6rem;overflow-wrap:anywhere}",
  "dl{display:grid;grid-template-columns:max-content 1fr;gap:.5rem 1.5rem;margin:0}",
  "dt{font-weight:600;color:#57606a}",
  "dd{margin:0;overflow-wrap:anywhere}",
  "ul{margin:0;padding:0;list-style:none}",
  "code{font:.95em ui-monospace,monospace}",
  ".ok{color:#116329}",
  ".failed{color:#a40e26;font-weight:600}",
  "footer{margin-top:1.5rem;font-size:.85rem;color:#57606a}",
].join("");

const STYLE_SOURCE = `'sha256-${createHash("sha256").update(STYLE).digest("base64")}'`;

/** An icon of its own: without one, browsers may ask for /favicon.ico and log its 404 as an error. */
const ICON =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" fill="#0f6cbd"/>' +
  '<path d="M4 5h8M8 5v7" stroke="#fff" stroke-width="2"/></svg>';

const HEADERS = {
  // Nothing but the page's own style and icon: no script, font, frame or connection, and no framing elsewhere.
  "content-security-policy": `default-src 'none'; style-src ${STYLE_SOURCE}; img-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'`,
  "x-content-type-options": "nosniff",
  // A live status: never a stale copy from a cache.
  "cache-control": "no-store",
};

export function createReaderServer(state: () => ReaderState): Server {
  return createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://localhost").pathname;
    const [status, type, body] =
      req.method === "GET" || req.method === "HEAD"
        ? answer(path, state())
        : [405, "text/plain", "method not allowed\n"];
    res.writeHead(status, { ...HEADERS, "content-type": type }).end(body);
  });
}

function answer(path: string, state: ReaderState): [number, string, string] {
  switch (path) {
    case "/healthz":
      return [200, "text/plain", "ok\n"];
    case "/readyz":
      // Ready once the tenant has been read, and while the last read succeeded.
      return state.tenant && !state.lastErrorCode
        ? [200, "text/plain", "ok\n"]
        : [503, "text/plain", "not ready\n"];
    case "/api/organization":
      return organization(state);
    case "/":
      return [200, "text/html; charset=utf-8", page(state)];
    case "/favicon.svg":
      return [200, "image/svg+xml", ICON];
    default:
      return [404, "text/plain", "not found\n"];
  }
}

function organization(state: ReaderState): [number, string, string] {
  const status = state.lastErrorCode
    ? { status: "error", code: state.lastErrorCode }
    : { status: state.tenant ? "ok" : "pending" };
  const body = state.tenant
    ? { ...status, ...state.tenant, lastReadAt: state.lastReadAt?.toISOString() }
    : status;
  return [state.tenant ? 200 : 503, "application/json", JSON.stringify(body)];
}

function page(state: ReaderState): string {
  const { tenant, lastReadAt, lastErrorCode } = state;
  const status = lastErrorCode
    ? `<span class="failed" role="alert">Last read failed (${escape(lastErrorCode)}); the details are in the reader's log.</span>`
    : tenant
      ? `<span class="ok">Last read succeeded</span>`
      : "Waiting for the first read";
  const details = tenant
    ? `<h1>${escape(tenant.displayName)}</h1><dl>` +
      `<dt>Tenant id</dt><dd><code>${escape(tenant.id)}</code></dd>` +
      `<dt>Verified domains</dt><dd><ul>${tenant.domains.map((d) => `<li>${escape(d)}</li>`).join("")}</ul></dd>` +
      `<dt>Last read</dt><dd>${lastReadAt ? time(lastReadAt) : ""}</dd>` +
      `<dt>Status</dt><dd>${status}</dd></dl>`
    : `<h1>Tenant not read yet</h1><dl><dt>Status</dt><dd>${status}</dd></dl>`;
  return (
    `<!doctype html><html lang="en"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<title>Graph tenant reader</title><link rel="icon" href="/favicon.svg"><style>${STYLE}</style></head>` +
    `<body><main>${details}<footer>Read from Microsoft Graph with Entra ID Workload Identity: no secret in this pod.</footer></main></body></html>\n`
  );
}

function time(date: Date): string {
  const iso = date.toISOString();
  return `<time datetime="${iso}">${iso.replace("T", " ").replace(/\.\d+Z$/, " UTC")}</time>`;
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

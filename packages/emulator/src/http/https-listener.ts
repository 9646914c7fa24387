// One HTTPS listener on loopback for one emulated service: routing, fault injection, request counting.
import { createServer, type Server } from "node:https";
import type { IncomingMessage, ServerResponse } from "node:http";
import { setTimeout as delay } from "node:timers/promises";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import type { FaultInjector } from "../faults/fault-injector.js";
import type { RequestStats } from "../stats/request-stats.js";
import { findRoute, type Route } from "./route.js";
import { json, send, type Reply } from "./reply.js";

export interface ListenerOptions {
  name: string;
  host: string;
  port: number;
  tls: { certPem: string; keyPem: string };
  routes: Route[];
  faults?: FaultInjector;
  stats?: RequestStats;
  /** The body of an injected error status, in the service's own error shape. */
  faultReply?: (status: number) => Reply;
  /** The reply for a path no route knows. */
  notFound?: () => Reply;
  onError?: (error: unknown) => void;
}

export interface Listener {
  name: string;
  /** `https://127.0.0.1:PORT` without a trailing slash. */
  origin: string;
  port: number;
  /**
   * Serves a connection that reached it another way: a tunnel from the real-hostname proxy. `head` is what the
   * client sent after its CONNECT, already read (the start of its TLS handshake).
   */
  acceptTunnel(socket: Duplex, head: Buffer): void;
  /** Serves new connections with this certificate from now on; open connections keep theirs. */
  updateTls(tls: { certPem: string; keyPem: string }): void;
  close(): Promise<void>;
}

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "::1", "localhost"]);

export async function startListener(options: ListenerOptions): Promise<Listener> {
  if (!LOOPBACK_HOSTS.has(options.host)) {
    throw new Error(`The emulator binds to loopback only; "${options.host}" is not a loopback address.`);
  }
  const server = createServer({ cert: options.tls.certPem, key: options.tls.keyPem }, (req, res) => {
    handle(options, req, res).catch((error: unknown) => {
      options.onError?.(error);
      send(
        res,
        json(500, { error: "internal_error", error_description: "The emulator failed; see its log." }),
      );
    });
  });
  await listen(server, options.port, options.host);
  const { port } = server.address() as AddressInfo;
  const hostForUrl = options.host.includes(":") ? `[${options.host}]` : options.host;
  return {
    name: options.name,
    origin: `https://${hostForUrl}:${port}`,
    port,
    acceptTunnel: (socket, head) => {
      if (head.length > 0) socket.unshift(head);
      server.emit("connection", socket);
    },
    updateTls: (tls) => {
      server.setSecureContext({ cert: tls.certPem, key: tls.keyPem });
    },
    close: () => closeServer(server),
  };
}

async function handle(options: ListenerOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? "/", `https://${req.headers.host ?? "localhost"}`);
  const { route, params, pathMatched } = findRoute(
    options.routes,
    req.method ?? "GET",
    safeDecode(url.pathname),
  );

  if (options.stats && route?.endpoint !== undefined) {
    const stats = options.stats;
    const endpoint = route.endpoint;
    res.on("close", () => {
      stats.record({
        host: url.host,
        path: url.pathname,
        endpoint,
        status: res.headersSent ? res.statusCode : 0,
      });
    });
  }

  if (!route) {
    const reply = pathMatched
      ? json(405, {
          error: { code: "MethodNotAllowed", message: `${req.method ?? ""} is not allowed here.` },
        })
      : (options.notFound?.() ??
        json(404, { error: { code: "NotFound", message: `No route for ${url.pathname}.` } }));
    send(res, reply);
    return;
  }

  const fault = route.endpoint !== undefined ? options.faults?.select(route.endpoint) : undefined;
  if (fault) {
    if (fault.latencyMs) await delay(fault.latencyMs);
    if (fault.hang) return; // answered by nobody; the socket is destroyed when the emulator closes
    if (fault.reset) {
      resetConnection(req);
      return;
    }
    if (fault.status !== undefined) {
      const reply =
        fault.body !== undefined
          ? {
              status: fault.status,
              body: fault.body,
              headers: fault.contentType ? { "content-type": fault.contentType } : {},
            }
          : (options.faultReply?.(fault.status) ?? json(fault.status, { error: "injected_fault" }));
      const headers = { ...reply.headers };
      if (fault.retryAfterSeconds !== undefined) headers["retry-after"] = String(fault.retryAfterSeconds);
      send(res, { ...reply, status: fault.status, headers });
      return;
    }
  }
  send(res, await route.handle({ req, url, params }));
}

/** A TCP RST where the socket allows it; a TLS socket refuses resetAndDestroy(), so it is closed abruptly instead. */
function resetConnection(req: IncomingMessage): void {
  try {
    req.socket.resetAndDestroy();
  } catch {
    req.socket.destroy();
  }
}

function safeDecode(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => {
      resolve();
    });
    // Keep-alive and hanging connections would hold close() open forever.
    server.closeAllConnections();
  });
}

// Real-hostname mode's HTTP proxy: clients that honour HTTPS_PROXY send `CONNECT login.microsoftonline.com:443`
// here, and the tunnel is handed to the emulated service's own HTTPS server, which answers under that name with a
// certificate from the name-constrained CA. Every other destination is refused: nothing leaves the machine.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import type { Duplex } from "node:stream";

/** Where a tunnel to one emulated host ends: an HTTPS server that takes the raw connection. */
export interface TunnelTarget {
  acceptTunnel(socket: Duplex, head: Buffer): void;
}

export interface ConnectProxyOptions {
  host: string;
  port: number;
  /** Emulated host names (lower case) and where their tunnels end. */
  targets: ReadonlyMap<string, TunnelTarget>;
  /** Told about every refused destination, so a user sees what their application tried to reach. */
  onRefused?: (destination: string, reason: string) => void;
}

export interface ConnectProxy {
  /** `http://127.0.0.1:PORT`: what `HTTPS_PROXY` holds. */
  url: string;
  port: number;
  close(): Promise<void>;
}

/** The one port Azure's hosts serve HTTPS on. */
const HTTPS_PORT = "443";

export async function startConnectProxy(options: ConnectProxyOptions): Promise<ConnectProxy> {
  const sockets = new Set<Socket | Duplex>();
  const server: Server = createServer((req, res) => {
    refuseRequest(options, req, res);
  });
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  server.on("connect", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    // Detached from the HTTP server once CONNECT arrives: without a listener, a client's reset would crash the
    // emulator. The TLS server that takes a tunnel handles the connection's errors from there.
    socket.on("error", () => {
      socket.destroy();
    });
    const { host, port } = splitAuthority(printable(req.url ?? ""));
    const target = port === HTTPS_PORT ? options.targets.get(host) : undefined;
    if (!target) {
      const reason =
        port === HTTPS_PORT
          ? `${host} is not an emulated host`
          : `port ${port || "(none)"} is not emulated (Azure's hosts serve HTTPS on 443)`;
      options.onRefused?.(`${host}:${port}`, reason);
      writeRefusal(socket, reason, options.targets);
      return;
    }
    socket.write("HTTP/1.1 200 Connection Established\r\n\r\n");
    target.acceptTunnel(socket, head);
  });
  server.on("clientError", (_error, socket: Duplex) => {
    socket.destroy();
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const hostForUrl = options.host.includes(":") ? `[${options.host}]` : options.host;
  return {
    url: `http://${hostForUrl}:${port}`,
    port,
    close: () =>
      new Promise((resolve) => {
        server.close(() => {
          resolve();
        });
        // Open tunnels are detached from the server: it would wait for them forever.
        for (const socket of sockets) socket.destroy();
      }),
  };
}

/** `host:port` from a CONNECT target, IPv6 brackets removed, the host lower-cased. */
export function splitAuthority(authority: string): { host: string; port: string } {
  const match = /^(?:\[([^\]]+)\]|([^:]*))(?::(\d*))?$/.exec(authority);
  return {
    host: (match?.[1] ?? match?.[2] ?? authority).toLowerCase().replace(/\.$/, ""),
    port: match?.[3] ?? "",
  };
}

/** Anything a client sent, safe to put in a status line and a log. */
function printable(text: string): string {
  return text.replace(/[^\x21-\x7e]/g, "?").slice(0, 300);
}

/** The reason goes in the status line too: Python and curl show a failed tunnel's status line and nothing else. */
function writeRefusal(socket: Duplex, reason: string, targets: ReadonlyMap<string, TunnelTarget>): void {
  const body = refusalText(reason, targets);
  socket.end(
    `HTTP/1.1 403 Refused by workload-identity-emulator: ${reason}\r\n` +
      "Content-Type: text/plain; charset=utf-8\r\n" +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

function refuseRequest(options: ConnectProxyOptions, req: IncomingMessage, res: ServerResponse): void {
  const absolute = /^[a-z]+:\/\//i.test(req.url ?? "");
  const reason = absolute
    ? "plain-HTTP requests are not emulated (Azure's hosts are reached over HTTPS, through CONNECT)"
    : "this is the emulator's HTTPS proxy, not a web server: set HTTPS_PROXY to its URL";
  if (absolute) {
    options.onRefused?.(printable(new URL(req.url ?? "").host), reason);
  }
  const body = refusalText(reason, options.targets);
  res.writeHead(absolute ? 403 : 400, {
    "content-type": "text/plain; charset=utf-8",
    "content-length": Buffer.byteLength(body),
    connection: "close",
  });
  res.end(body);
}

function refusalText(reason: string, targets: ReadonlyMap<string, TunnelTarget>): string {
  return (
    `workload-identity-emulator refused this request: ${reason}. It emulates only ` +
    `${[...targets.keys()].join(", ")}, on port 443, and sends nothing anywhere else. Leave other hosts out ` +
    "of HTTPS_PROXY with NO_PROXY.\n"
  );
}

// The token proxy's connection to Entra (the emulated one, over HTTPS like everyone else), kept alive across requests.
import { Agent, request } from "node:https";

export interface EntraRequest {
  method: "GET" | "POST";
  /** Path and query, from the authority's origin: `/{tenant}/oauth2/v2.0/token`. */
  path: string;
  headers: Record<string, string>;
  body?: string;
}

export interface EntraAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Entra's answer headers a client may act on; the rest (connection, length, date) belong to each hop. */
const PASSED_HEADERS = [
  "content-type",
  "cache-control",
  "pragma",
  "expires",
  "retry-after",
  "x-ms-request-id",
  "client-request-id",
  "x-content-type-options",
  "access-control-allow-origin",
  "access-control-allow-methods",
];

export class EntraUnreachableError extends Error {
  constructor(
    message: string,
    readonly timedOut: boolean,
  ) {
    super(message);
    this.name = "EntraUnreachableError";
  }
}

export class EntraClient {
  private readonly agent: Agent;

  /**
   * @param caPem the emulator's CA, which Entra's certificate chains to
   * @param origin Entra's origin, known once it listens
   */
  constructor(
    caPem: string,
    private readonly origin: () => string,
    private readonly timeoutMs = 30_000,
  ) {
    this.agent = new Agent({ ca: caPem, keepAlive: true });
  }

  send(outgoing: EntraRequest): Promise<EntraAnswer> {
    const url = new URL(outgoing.path, this.origin());
    return new Promise((resolve, reject) => {
      const req = request(
        url,
        { method: outgoing.method, headers: outgoing.headers, agent: this.agent },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (chunk: Buffer) => chunks.push(chunk));
          res.on("end", () => {
            const headers: Record<string, string> = {};
            for (const name of PASSED_HEADERS) {
              const value = res.headers[name];
              if (typeof value === "string") headers[name] = value;
            }
            resolve({ status: res.statusCode ?? 502, headers, body: Buffer.concat(chunks).toString("utf8") });
          });
          res.on("error", (error) => {
            reject(new EntraUnreachableError(error.message, false));
          });
        },
      );
      // The proxy's own limit: Entra hanging (a fault) must not hang the pod's request forever.
      req.setTimeout(this.timeoutMs, () => {
        req.destroy(new EntraUnreachableError(`no answer within ${this.timeoutMs} ms`, true));
      });
      req.on("error", (error) => {
        reject(
          error instanceof EntraUnreachableError ? error : new EntraUnreachableError(error.message, false),
        );
      });
      req.end(outgoing.body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

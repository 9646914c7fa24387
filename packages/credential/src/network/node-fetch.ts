// Token requests over node:http(s), not the global fetch: Node loads fetch's bundled undici at its first call
// (about 30 ms on Node 24, the bench's first-token breakdown), a cost every short-lived process paid before its
// first token; node:https is part of Node itself. Proxies still go through the undici package (transport.ts).
// Behaves as fetch does where the network client looks: resolves with the status, headers and body text;
// rejects with the network error (its `code` on the error itself) or, on abort, with the signal's reason.
import type { IncomingMessage } from "node:http";
import type { Agent } from "node:https";
import type { Fetch } from "./transport.js";

type HttpModule = typeof import("node:http");

/**
 * node:http(s) at the first request, and as CommonJS: an ES `import` of node:http builds its whole namespace,
 * whose lazy WebSocket getters load undici (about 40 ms on Node 24, the very cost this file avoids).
 * process.getBuiltinModule arrived in Node 22.3; older 22s take the import.
 */
async function loadHttp(secure: boolean): Promise<Pick<HttpModule, "request">> {
  const id = secure ? "node:https" : "node:http";
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- absent before Node 22.3
  const builtin = process.getBuiltinModule?.(id) as Pick<HttpModule, "request"> | undefined;
  return builtin ?? ((await import(id)) as Pick<HttpModule, "request">);
}

/** @param agent for https URLs: the global agent (keep-alive, the default trust store) unless given. */
export function createNodeFetch(agent?: Agent): Fetch {
  return async (url, init) => {
    const target = new URL(url);
    const secure = target.protocol === "https:";
    const { request: send } = await loadHttp(secure);
    return new Promise((resolve, reject) => {
      const { signal } = init;
      if (signal?.aborted) {
        fail(signal.reason);
        return;
      }
      const req = send(
        target,
        { method: init.method, headers: init.headers, ...(secure && agent ? { agent } : {}) },
        (res) => {
          readBody(res).then((text) => {
            signal?.removeEventListener("abort", onAbort);
            resolve({
              status: res.statusCode ?? 0,
              headers: headersOf(res),
              text: () => Promise.resolve(text),
            });
          }, fail);
        },
      );
      function fail(error: unknown) {
        signal?.removeEventListener("abort", onAbort);
        // As fetch does: the network error as it is, or the abort signal's reason, whatever it holds.
        // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
        reject(error);
      }
      function onAbort() {
        req.destroy();
        fail(signal?.reason);
      }
      signal?.addEventListener("abort", onAbort, { once: true });
      req.on("error", fail);
      req.end(init.body);
    });
  };
}

/** The whole body; a connection closed before its end rejects like a reset (as fetch reports it). */
function readBody(res: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on("data", (chunk: Buffer) => chunks.push(chunk));
    res.on("end", () => {
      resolve(Buffer.concat(chunks).toString("utf8"));
    });
    res.on("error", reject);
    res.on("close", () => {
      if (!res.complete) {
        reject(
          Object.assign(new Error("The connection closed before the whole answer arrived"), {
            code: "ECONNRESET",
          }),
        );
      }
    });
  });
}

function headersOf(res: IncomingMessage): { forEach(callback: (value: string, name: string) => void): void } {
  return {
    forEach(callback) {
      for (const [name, value] of Object.entries(res.headers)) {
        if (value !== undefined) callback(Array.isArray(value) ? value.join(", ") : value, name);
      }
    },
  };
}

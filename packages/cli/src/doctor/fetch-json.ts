// GETs a JSON document over HTTPS as Entra would fetch an issuer's: https only, no redirects, bounded in time
// and size. Node's https trusts NODE_EXTRA_CA_CERTS as set when the process started. HTTPS_PROXY/NO_PROXY apply, as
// they do to the credential's own token requests: a pod behind a proxy (or the emulator's real-hostname mode)
// reaches the issuer only through it.
import { Agent, get } from "node:https";
import { redactUrl } from "../lib/redact-url.js";

/** Fetches and parses one JSON document; injected in tests. */
export type FetchJson = (url: string, timeoutMs: number) => Promise<unknown>;

export class FetchError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "FetchError";
  }
}

const MAX_BYTES = 1024 * 1024;

export const fetchJson: FetchJson = (url, timeoutMs) =>
  new Promise((resolve, reject) => {
    // A jwks_uri or a redirect may carry a signed query (a SAS token): messages show URLs redacted.
    const shown = redactUrl(url);
    if (!url.startsWith("https://")) {
      reject(new FetchError(`${shown} is not https, and Entra fetches over HTTPS only`));
      return;
    }
    // A fresh agent per document, as `agent: false` gave; `proxyEnv` (Node 22.21+, 24.5+) reads the proxy variables.
    const agent = new Agent({ proxyEnv: process.env } as ConstructorParameters<typeof Agent>[0]);
    const request = get(url, { agent, signal: AbortSignal.timeout(timeoutMs) }, (response) => {
      const status = response.statusCode ?? 0;
      if (status !== 200) {
        response.resume();
        reject(new FetchError(statusProblem(url, status, response.headers.location)));
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      response.on("data", (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_BYTES) {
          request.destroy(new FetchError(`GET ${shown} answered more than ${MAX_BYTES} bytes`));
          return;
        }
        chunks.push(chunk);
      });
      response.on("end", () => {
        try {
          resolve(JSON.parse(Buffer.concat(chunks).toString("utf8")));
        } catch {
          reject(new FetchError(`GET ${shown} answered something that is not JSON`));
        }
      });
      response.on("error", (error) => {
        reject(wrap(url, error, timeoutMs));
      });
    });
    request.on("error", (error) => {
      reject(wrap(url, error, timeoutMs));
    });
  });

/** What a non-200 answer means, naming the redirect's target (redacted) when there is one. */
export function statusProblem(url: string, status: number, location: string | undefined): string {
  const redirect = location === undefined ? "" : ` (a redirect to ${redactUrl(location)})`;
  return `GET ${redactUrl(url)} answered HTTP ${status}${redirect}`;
}

function wrap(url: string, error: Error, timeoutMs: number): FetchError {
  if (error instanceof FetchError) return error;
  const shown = redactUrl(url);
  if (error.name === "AbortError" || error.name === "TimeoutError") {
    return new FetchError(`GET ${shown} did not answer within ${timeoutMs} ms`, { cause: error });
  }
  const code = (error as NodeJS.ErrnoException).code;
  const reason = code === undefined ? error.message : `${code}: ${error.message}`;
  return new FetchError(`GET ${shown} failed (${reason.replace(/\s+/g, " ")})`, { cause: error });
}

// GETs a JSON document over HTTPS as Entra would fetch an issuer's: https only, no redirects, bounded in time
// and size. Node's https trusts NODE_EXTRA_CA_CERTS as set when the process started.
import { get } from "node:https";

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
    if (!url.startsWith("https://")) {
      reject(new FetchError(`${url} is not https, and Entra fetches over HTTPS only`));
      return;
    }
    const request = get(url, { agent: false, signal: AbortSignal.timeout(timeoutMs) }, (response) => {
      const status = response.statusCode ?? 0;
      if (status !== 200) {
        response.resume();
        const location = response.headers.location;
        const redirect = location === undefined ? "" : ` (a redirect to ${location})`;
        reject(new FetchError(`GET ${url} answered HTTP ${status}${redirect}`));
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      response.on("data", (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_BYTES) {
          request.destroy(new FetchError(`GET ${url} answered more than ${MAX_BYTES} bytes`));
          return;
        }
        chunks.push(chunk);
      });
      response.on("end", () => {
        try {
          resolve(JSON.parse(Buffer.concat(chunks).toString("utf8")));
        } catch {
          reject(new FetchError(`GET ${url} answered something that is not JSON`));
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

function wrap(url: string, error: Error, timeoutMs: number): FetchError {
  if (error instanceof FetchError) return error;
  if (error.name === "AbortError" || error.name === "TimeoutError") {
    return new FetchError(`GET ${url} did not answer within ${timeoutMs} ms`, { cause: error });
  }
  const code = (error as NodeJS.ErrnoException).code;
  const reason = code === undefined ? error.message : `${code}: ${error.message}`;
  return new FetchError(`GET ${url} failed (${reason.replace(/\s+/g, " ")})`, { cause: error });
}

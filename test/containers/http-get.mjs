// A loopback HTTP GET and a free loopback port, for talking to a container on the host network.
import { get } from "node:http";
import { createServer } from "node:net";

export function httpGet(url, { headers = {}, timeoutMs = 5_000 } = {}) {
  return new Promise((resolve, reject) => {
    const request = get(url, { headers, timeout: timeoutMs }, (response) => {
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (chunk) => (body += chunk));
      response.on("end", () => resolve({ status: response.statusCode, body }));
    });
    request.on("timeout", () => request.destroy(new Error(`GET ${url}: no answer within ${timeoutMs} ms`)));
    request.on("error", reject);
  });
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

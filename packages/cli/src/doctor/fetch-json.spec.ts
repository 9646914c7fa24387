import { createServer, type Server, type Socket } from "node:net";
import { FetchError, fetchJson, statusProblem } from "./fetch-json.js";

describe("fetchJson", () => {
  it("refuses http, as Entra does", async () => {
    await expect(fetchJson("http://127.0.0.1:1/x", 1000)).rejects.toThrow(
      "http://127.0.0.1:1/x is not https, and Entra fetches over HTTPS only",
    );
  });

  it("names the URL and the errno when nothing listens", async () => {
    const fetched = fetchJson("https://127.0.0.1:1/.well-known/openid-configuration", 5000);

    await expect(fetched).rejects.toThrow(FetchError);
    await expect(fetched).rejects.toThrow(
      /^GET https:\/\/127\.0\.0\.1:1\/\.well-known\/openid-configuration failed \(ECONNREFUSED: .*\)$/,
    );
  });

  it("never repeats a URL's query, credentials or fragment", async () => {
    await expect(fetchJson("http://127.0.0.1:1/jwks?sig=s3cret", 1000)).rejects.toThrow(
      /^http:\/\/127\.0\.0\.1:1\/jwks\?\*\*\* is not https/,
    );
    await expect(fetchJson("https://user:s3cret@127.0.0.1:1/jwks#s3cret", 5000)).rejects.toThrow(
      /^GET https:\/\/\*\*\*@127\.0\.0\.1:1\/jwks#\*\*\* failed \(ECONNREFUSED/,
    );
  });

  it("names a redirect's target without its signed query", () => {
    expect(
      statusProblem(
        "https://oidc.example.com/openid/v1/jwks?sv=1&sig=s3cret",
        302,
        "https://bucket.example.com/jwks?X-Amz-Signature=s3cret",
      ),
    ).toBe(
      "GET https://oidc.example.com/openid/v1/jwks?*** answered HTTP 302 (a redirect to https://bucket.example.com/jwks?***)",
    );
    expect(statusProblem("https://oidc.example.com/x", 404, undefined)).toBe(
      "GET https://oidc.example.com/x answered HTTP 404",
    );
  });

  describe("against a server that accepts and never answers", () => {
    let server: Server;
    const sockets: Socket[] = [];

    beforeAll(async () => {
      server = createServer((socket) => sockets.push(socket));
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    });
    afterAll(async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    });

    it("gives up after the timeout", async () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      const started = Date.now();

      await expect(fetchJson(`https://127.0.0.1:${port}/jwks`, 300)).rejects.toThrow(
        `GET https://127.0.0.1:${port}/jwks did not answer within 300 ms`,
      );
      expect(Date.now() - started).toBeLessThan(3000);
    });
  });
});

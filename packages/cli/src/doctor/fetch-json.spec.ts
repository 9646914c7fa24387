import { createServer, type Server, type Socket } from "node:net";
import { FetchError, fetchJson } from "./fetch-json.js";

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

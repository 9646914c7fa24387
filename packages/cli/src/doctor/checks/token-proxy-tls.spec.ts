import {
  createServer as createTcpServer,
  type AddressInfo,
  type Server as TcpServer,
  type Socket,
} from "node:net";
import { createServer as createTlsServer } from "node:tls";
import {
  CA,
  CA_PATH,
  EXPIRED_SERVER_CERT,
  OTHER_CA,
  SERVER_CERT,
  SERVER_KEY,
  SERVER_NAME,
} from "../../test-support/tls.js";
import type { ProxyTrust } from "./token-proxy-ca.js";
import { checkTokenProxyTls } from "./token-proxy-tls.js";

const FILE_TRUST: ProxyTrust = { kind: "ca", pem: CA, variable: "AZURE_KUBERNETES_CA_FILE", path: CA_PATH };
const servers: TcpServer[] = [];
const accepted: Socket[] = [];

afterEach(async () => {
  // close() waits for open connections: a silent server's are ended first.
  for (const socket of accepted.splice(0)) socket.destroy();
  await Promise.all(servers.splice(0).map((s) => new Promise((done) => s.close(done))));
});

async function listen(server: TcpServer): Promise<string> {
  servers.push(server);
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  return `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A TLS server on loopback with the fixture certificate for SERVER_NAME (or the expired one). */
function proxy(cert = SERVER_CERT): Promise<string> {
  const server = createTlsServer({ cert, key: SERVER_KEY }, (socket) => {
    socket.on("error", () => undefined);
    socket.end();
  });
  server.on("tlsClientError", () => undefined);
  return listen(server);
}

/** A TCP server that answers something that is not TLS, or nothing at all. */
function notTls(answer: string | undefined): Promise<string> {
  const server = createTcpServer((socket) => {
    socket.on("error", () => undefined);
    accepted.push(socket);
    if (answer !== undefined) socket.end(answer);
  });
  return listen(server);
}

async function freeUrl(): Promise<string> {
  const server = createTcpServer();
  const url = await listen(server);
  await new Promise((done) => server.close(done));
  servers.splice(servers.indexOf(server), 1);
  return url;
}

function check(url: string, sniName: string | undefined, trust: ProxyTrust = FILE_TRUST, timeoutMs = 5000) {
  return checkTokenProxyTls({ url, sniName, trust, timeoutMs, nowMs: Date.now() });
}

describe("checkTokenProxyTls", () => {
  it("passes a proxy whose certificate chains to the CA and is valid for the server name, showing it", async () => {
    const url = await proxy();
    const address = new URL(url).host;

    const result = await check(`${url}/base`, SERVER_NAME);

    expect(result).toEqual({
      id: "token-proxy-tls",
      status: "pass",
      message: expect.stringMatching(
        new RegExp(
          `^TLS to ${address} with server name ${SERVER_NAME} \\(AZURE_KUBERNETES_SNI_NAME\\): TLSv1\\.3 handshake; the certificate CN=${SERVER_NAME} \\(DNS:${SERVER_NAME}\\), issued by CN=Doctor spec token proxy CA, valid until 2126-.+ \\(in \\d+d( \\d+h)?\\), chains to the CA in AZURE_KUBERNETES_CA_FILE ${CA_PATH} and is valid for that server name$`,
        ),
      ),
      details: {
        address,
        serverName: SERVER_NAME,
        trust: "AZURE_KUBERNETES_CA_FILE",
        protocol: "TLSv1.3",
        certificate: expect.objectContaining({
          subject: `CN=${SERVER_NAME}`,
          subjectAltName: `DNS:${SERVER_NAME}`,
        }),
      },
    });
  });

  it("fails a server name the certificate is not for, saying the CA is right", async () => {
    const result = await check(await proxy(), "other.ests.aks");

    expect(result).toMatchObject({
      status: "fail",
      code: "ERR_TOKEN_PROXY_SNI_MISMATCH",
      message: expect.stringContaining(
        `with server name other.ests.aks (AZURE_KUBERNETES_SNI_NAME): the certificate CN=${SERVER_NAME} (DNS:${SERVER_NAME}),`,
      ),
      fix: expect.stringContaining(
        "AZURE_KUBERNETES_SNI_NAME must be the name in the token proxy's certificate",
      ),
      details: { nameError: expect.stringContaining("other.ests.aks") },
    });
    expect(result.message).toContain(
      `chains to the CA in AZURE_KUBERNETES_CA_FILE ${CA_PATH} but is not valid for that server name`,
    );
  });

  it("fails a CA that did not sign the certificate, with OpenSSL's reason, and the inline CA's fix", async () => {
    const trust: ProxyTrust = { kind: "ca", pem: OTHER_CA, variable: "AZURE_KUBERNETES_CA_DATA" };

    const result = await check(await proxy(), SERVER_NAME, trust);

    expect(result).toMatchObject({
      status: "fail",
      code: "ERR_TOKEN_PROXY_CA_MISMATCH",
      message: expect.stringMatching(
        /does not chain to the CA in AZURE_KUBERNETES_CA_DATA \(UNABLE_TO_VERIFY_LEAF_SIGNATURE\)$/,
      ),
      fix: expect.stringContaining("an inline CA cannot follow the proxy's CA rotation"),
      details: { chainError: "UNABLE_TO_VERIFY_LEAF_SIGNATURE" },
    });
  });

  it("says when the server name is wrong too", async () => {
    const trust: ProxyTrust = { kind: "ca", pem: OTHER_CA, variable: "AZURE_KUBERNETES_CA_DATA" };

    const result = await check(await proxy(), "other.ests.aks", trust);

    expect(result).toMatchObject({ code: "ERR_TOKEN_PROXY_CA_MISMATCH" });
    expect(result.message).toMatch(/, and it is not valid for that server name either$/);
  });

  it("fails the projected CA file's mismatch with the file's fix", async () => {
    const trust: ProxyTrust = {
      kind: "ca",
      pem: OTHER_CA,
      variable: "AZURE_KUBERNETES_CA_FILE",
      path: "/wi/ca.crt",
    };

    const result = await check(await proxy(), SERVER_NAME, trust);

    expect(result.message).toContain("does not chain to the CA in AZURE_KUBERNETES_CA_FILE /wi/ca.crt");
    expect(result.fix).toContain("must be the CA the webhook projects next to the token");
  });

  it("trusts the system store without a CA variable, as the credential does, and says to set one", async () => {
    const result = await check(await proxy(), SERVER_NAME, { kind: "system" });

    expect(result).toMatchObject({
      code: "ERR_TOKEN_PROXY_CA_MISMATCH",
      message: expect.stringContaining("does not chain to the system trust store (no CA variable is set)"),
      fix: expect.stringMatching(/^set AZURE_KUBERNETES_CA_FILE/),
      details: { trust: "system" },
    });
  });

  it("fails a certificate out of its dates", async () => {
    const result = await check(await proxy(EXPIRED_SERVER_CERT), SERVER_NAME);

    expect(result).toMatchObject({
      code: "ERR_TOKEN_PROXY_CERT_INVALID",
      message: expect.stringContaining(
        "(2021-01-01T00:00:00.000Z), does not verify: it or its CA is expired (CERT_HAS_EXPIRED)",
      ),
      fix: expect.stringContaining("check this machine's clock"),
    });
  });

  it("checks an IP address host against the certificate without a server name, as Node's https does", async () => {
    const result = await check(await proxy(), undefined);

    expect(result).toMatchObject({
      code: "ERR_TOKEN_PROXY_SNI_MISMATCH",
      message: expect.stringContaining("with server name (none: the URL's host is an IP address)"),
      details: { serverName: null, nameError: expect.stringContaining("127.0.0.1") },
    });
  });

  it("fails a proxy that does not answer as unreachable", async () => {
    const url = await freeUrl();

    const result = await check(url, SERVER_NAME);

    expect(result).toMatchObject({
      code: "ERR_TOKEN_PROXY_UNREACHABLE",
      message: `nothing answers at ${url} (connect ECONNREFUSED ${new URL(url).host})`,
      fix: expect.stringContaining("must answer at AZURE_KUBERNETES_TOKEN_PROXY"),
      details: { error: "ECONNREFUSED" },
    });
  });

  it("fails something that answers without TLS as a failed handshake", async () => {
    const url = await notTls("HTTP/1.1 400 Bad Request\r\n\r\n");

    const result = await check(url, SERVER_NAME);

    expect(result).toMatchObject({
      code: "ERR_TOKEN_PROXY_HANDSHAKE",
      message: expect.stringMatching(
        /^https:\/\/127\.0\.0\.1:\d+ accepted the connection, but no TLS handshake completed \(/,
      ),
      fix: expect.stringContaining("check the URL's host and port"),
    });
  });

  it("gives up on a silent server after timeoutMs", async () => {
    const url = await notTls(undefined);

    const result = await check(url, SERVER_NAME, FILE_TRUST, 300);

    expect(result).toMatchObject({
      code: "ERR_TOKEN_PROXY_HANDSHAKE",
      message: expect.stringContaining("(ETIMEDOUT: no answer within 300 ms)"),
    });
  });
});

import { X509Certificate } from "node:crypto";
import { PROXY_CA_NAME, issueProxyTls, newProxyKey, type ProxyTls } from "./proxy-tls.js";

const SNI = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef.ests.aks";

let first: ProxyTls;
let second: ProxyTls;

beforeAll(async () => {
  const serverKey = await newProxyKey();
  [first, second] = await Promise.all([issueProxyTls(SNI, serverKey), issueProxyTls(SNI, serverKey)]);
});

describe("issueProxyTls", () => {
  it("makes a CA of its own, named as the token proxy's", () => {
    const ca = new X509Certificate(first.caCertPem);

    expect(ca.ca).toBe(true);
    expect(ca.subject).toContain(`CN=${PROXY_CA_NAME} `);
  });

  it("makes a server certificate for the SNI name alone: no IP address, no localhost", () => {
    const leaf = new X509Certificate(first.server.certPem);

    expect(leaf.checkHost(SNI)).toBe(SNI);
    expect(leaf.checkHost("localhost")).toBeUndefined();
    expect(leaf.checkIP("127.0.0.1")).toBeUndefined();
    expect(leaf.subjectAltName).toBe(`DNS:${SNI}`);
  });

  it("signs the server certificate with its CA", () => {
    const ca = new X509Certificate(first.caCertPem);

    expect(new X509Certificate(first.server.certPem).verify(ca.publicKey)).toBe(true);
  });

  it("makes a new CA key each time, so an earlier CA cannot verify the next certificate (a hard swap)", () => {
    const earlierCa = new X509Certificate(first.caCertPem);
    const laterLeaf = new X509Certificate(second.server.certPem);

    expect(laterLeaf.verify(earlierCa.publicKey)).toBe(false);
    expect(laterLeaf.checkIssued(earlierCa)).toBe(false);
  });

  it("hands out no CA key: nothing else can ever be signed by it", () => {
    expect(Object.keys(first).sort()).toEqual(["caCertPem", "server"]);
  });
});

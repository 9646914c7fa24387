import {
  X509Certificate,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
} from "node:crypto";
import { once } from "node:events";
import { createServer, request, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import {
  createCertificateAuthority,
  issueServerCertificate,
  type CertificateAuthority,
  type ServerCertificate,
} from "./certificate-authority.js";

const DAY_MS = 86_400_000;
// Whole seconds: X.509 validity times carry no fraction.
const NOW = new Date(Date.UTC(2026, 10, 22, 20, 55, 18));
const SERVER_AUTH = "1.3.6.1.5.5.7.3.1";

let caKey: KeyObject;
let serverKey: KeyObject;
let ca: CertificateAuthority;
let server: ServerCertificate;
let caCert: X509Certificate;
let serverCert: X509Certificate;

beforeAll(() => {
  caKey = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
  serverKey = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
  ca = createCertificateAuthority(caKey, NOW);
  server = issueServerCertificate(ca, serverKey, NOW);
  caCert = new X509Certificate(ca.certPem);
  serverCert = new X509Certificate(server.certPem);
});

function spki(key: KeyObject): Buffer {
  return (key.type === "public" ? key : createPublicKey(key)).export({ type: "spki", format: "der" });
}

function samePublicKey(a: KeyObject, b: KeyObject): boolean {
  return spki(a).equals(spki(b));
}

describe("createCertificateAuthority", () => {
  it("makes a CA certificate", () => {
    expect(caCert.ca).toBe(true);
  });

  it("is self-signed by the given key", () => {
    expect(caCert.verify(createPublicKey(caKey))).toBe(true);
    expect(caCert.checkIssued(caCert)).toBe(true);
    expect(samePublicKey(caCert.publicKey, caKey)).toBe(true);
  });

  it("names itself the emulator's local CA", () => {
    expect(caCert.subject).toContain("CN=Workload Identity Emulator Local CA");
    expect(caCert.issuer).toBe(caCert.subject);
  });

  it("is valid from a minute before now for ten years", () => {
    expect(Date.parse(caCert.validFrom)).toBe(NOW.getTime() - 60_000);
    expect(Date.parse(caCert.validTo)).toBe(NOW.getTime() + 3650 * DAY_MS);
  });

  it("returns the CA key as PKCS#8 PEM for the same key", () => {
    expect(ca.keyPem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(samePublicKey(createPrivateKey(ca.keyPem), caKey)).toBe(true);
  });

  it("gives each certificate a positive serial number of its own", () => {
    const again = new X509Certificate(createCertificateAuthority(caKey, NOW).certPem);

    expect(again.serialNumber).not.toBe(caCert.serialNumber);
    for (const serial of [caCert.serialNumber, again.serialNumber, serverCert.serialNumber]) {
      // DER integers are signed: a first byte of 0x80 or more would make the serial negative.
      expect(parseInt(serial.slice(0, 2), 16)).toBeLessThan(0x80);
    }
  });
});

describe("issueServerCertificate", () => {
  it("makes a leaf certificate, not a CA", () => {
    expect(serverCert.ca).toBe(false);
  });

  it("is signed by the CA", () => {
    expect(serverCert.verify(caCert.publicKey)).toBe(true);
    expect(serverCert.checkIssued(caCert)).toBe(true);
    expect(serverCert.issuer).toBe(caCert.subject);
  });

  it("is not signed by another CA", () => {
    const otherCa = new X509Certificate(
      createCertificateAuthority(generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey, NOW).certPem,
    );

    expect(serverCert.verify(otherCa.publicKey)).toBe(false);
  });

  it("carries the server's public key", () => {
    expect(samePublicKey(serverCert.publicKey, serverKey)).toBe(true);
    expect(samePublicKey(createPrivateKey(server.keyPem), serverKey)).toBe(true);
  });

  it("covers localhost, 127.0.0.1 and ::1, and nothing else", () => {
    expect(serverCert.checkHost("localhost")).toBe("localhost");
    expect(serverCert.checkIP("127.0.0.1")).toBe("127.0.0.1");
    expect(serverCert.checkIP("::1")).toBe("::1");
    expect(serverCert.checkHost("example.com")).toBeUndefined();
    expect(serverCert.checkIP("127.0.0.2")).toBeUndefined();
    expect(serverCert.subjectAltName?.split(", ")).toHaveLength(3);
  });

  it("is for server authentication", () => {
    expect(serverCert.keyUsage).toEqual([SERVER_AUTH]);
  });

  it("is valid from a minute before now for thirty days", () => {
    expect(Date.parse(serverCert.validFrom)).toBe(NOW.getTime() - 60_000);
    expect(Date.parse(serverCert.validTo)).toBe(NOW.getTime() + 30 * DAY_MS);
  });
});

describe("a real HTTPS server with the issued certificate", () => {
  let https: Server;
  let port: number;
  let live: { ca: CertificateAuthority; server: ServerCertificate };

  beforeAll(async () => {
    // Issued for the real current time, so that the TLS client accepts the validity period.
    const liveCa = createCertificateAuthority(caKey);
    live = { ca: liveCa, server: issueServerCertificate(liveCa, serverKey) };
    https = createServer({ cert: live.server.certPem, key: live.server.keyPem }, (_req, res) => {
      res.end("hello over TLS");
    });
    https.listen(0, "127.0.0.1");
    await once(https, "listening");
    port = (https.address() as AddressInfo).port;
  });

  afterAll(async () => {
    https.close();
    await once(https, "close");
  });

  function get(options: { ca?: string; servername?: string }): Promise<string> {
    return new Promise((resolve, reject) => {
      const req = request({ host: "127.0.0.1", port, path: "/", agent: false, ...options }, (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (body += chunk));
        res.on("end", () => {
          resolve(body);
        });
      });
      req.on("error", reject);
      req.end();
    });
  }

  it("is accepted by a client that trusts only the CA, connecting by IP", async () => {
    await expect(get({ ca: live.ca.certPem })).resolves.toBe("hello over TLS");
  });

  it("is accepted by a client that trusts only the CA, asking for localhost", async () => {
    await expect(get({ ca: live.ca.certPem, servername: "localhost" })).resolves.toBe("hello over TLS");
  });

  it("is refused by a client that trusts only the public roots", async () => {
    await expect(get({})).rejects.toThrow("unable to verify the first certificate");
  });

  it("is refused by a client that trusts another emulator CA", async () => {
    const stranger = createCertificateAuthority(
      generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey,
    );

    // Each CA has its own subject, so OpenSSL finds no issuer at all (Node 24 adds a hint to the message).
    await expect(get({ ca: stranger.certPem })).rejects.toMatchObject({
      code: "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
    });
  });

  it("is refused for a host name it does not cover", async () => {
    await expect(get({ ca: live.ca.certPem, servername: "example.com" })).rejects.toThrow(/altnames/i);
  });
});

describe("two emulator CAs side by side", () => {
  it("have different subjects, and each leaf names its CA's key, so one CA cannot shadow another", () => {
    const otherCa = createCertificateAuthority(
      generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey,
      NOW,
    );
    expect(new X509Certificate(otherCa.certPem).subject).not.toBe(caCert.subject);
    // The leaf's issuer is this CA's subject, not the other's.
    expect(serverCert.issuer).toBe(caCert.subject);
    expect(serverCert.checkIssued(new X509Certificate(otherCa.certPem))).toBe(false);
  });
});

describe("a leaf for other names", () => {
  it("covers exactly the given DNS name, and no loopback name or address", () => {
    const leaf = new X509Certificate(
      issueServerCertificate(ca, serverKey, NOW, { dnsNames: ["abc.ests.aks"], ipAddresses: [] }).certPem,
    );

    expect(leaf.checkHost("abc.ests.aks")).toBe("abc.ests.aks");
    expect(leaf.checkHost("localhost")).toBeUndefined();
    expect(leaf.checkIP("127.0.0.1")).toBeUndefined();
    expect(leaf.subject).toBe("CN=abc.ests.aks");
    expect(leaf.verify(caCert.publicKey)).toBe(true);
  });

  it("names a CA made for another purpose by that purpose, still unique", () => {
    const named = new X509Certificate(createCertificateAuthority(caKey, NOW, "Token Proxy CA").certPem);

    expect(named.subject).toMatch(/CN=Token Proxy CA [0-9a-f]{8}\n/);
  });
});

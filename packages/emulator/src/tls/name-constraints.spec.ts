import { X509Certificate, generateKeyPairSync, type KeyObject } from "node:crypto";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { once } from "node:events";
import { createServer, request, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createCertificateAuthority, issueServerCertificate } from "./certificate-authority.js";
import { NAME_CONSTRAINTS_OID, nameConstraintsExtension } from "./name-constraints.js";

const PERMITTED = {
  dnsNames: ["login.microsoftonline.com", "kv.vault.azure.net", "localhost"],
  ipRanges: ["127.0.0.0/8", "::1/128"],
};

let caKey: KeyObject;
let leafKey: KeyObject;

beforeAll(() => {
  caKey = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
  leafKey = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
});

/** A TLS handshake with a server whose leaf covers `names`, from a client that trusts only `caPem`. */
async function handshake(caPem: string, leafPem: { certPem: string; keyPem: string }, servername: string) {
  const server: Server = createServer({ cert: leafPem.certPem, key: leafPem.keyPem }, (_req, res) => {
    res.end("ok");
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  try {
    return await new Promise<string>((resolve, reject) => {
      const req = request(
        {
          host: "127.0.0.1",
          port: (server.address() as AddressInfo).port,
          servername,
          ca: caPem,
          agent: false,
        },
        (res) => {
          res.resume();
          res.on("end", () => {
            resolve("ok");
          });
        },
      );
      req.on("error", reject);
      req.end();
    });
  } finally {
    server.close();
    server.closeAllConnections();
  }
}

describe("nameConstraintsExtension", () => {
  it("encodes DNS names and IP ranges as RFC 5280 permitted subtrees, critical", () => {
    const ext = nameConstraintsExtension({ dnsNames: ["a.example"], ipRanges: ["127.0.0.0/8"] });
    const der = Buffer.from(ext.value, "binary");

    expect(ext).toMatchObject({ id: NAME_CONSTRAINTS_OID, critical: true });
    // SEQUENCE { [0] { SEQUENCE { [2] "a.example" } SEQUENCE { [7] 7f000000 ff000000 } } }
    expect(der.toString("hex")).toBe("301ba019300b8209612e6578616d706c65" + "300a8708" + "7f000000ff000000");
  });

  it("writes an IPv6 range as 16 address bytes and a 16-byte mask", () => {
    const der = Buffer.from(
      nameConstraintsExtension({ dnsNames: [], ipRanges: ["::1/128"] }).value,
      "binary",
    );

    expect(der.subarray(-32).toString("hex")).toBe(`${"00".repeat(15)}01${"ff".repeat(16)}`);
  });

  it("refuses a range that is not CIDR and an empty list", () => {
    expect(() => nameConstraintsExtension({ dnsNames: [], ipRanges: ["127.0.0.1"] })).toThrow(/CIDR/);
    expect(() => nameConstraintsExtension({ dnsNames: [], ipRanges: ["10.0.0.0/33"] })).toThrow(/CIDR/);
    expect(() => nameConstraintsExtension({ dnsNames: [], ipRanges: [] })).toThrow(/at least one/);
  });
});

describe("a name-constrained CA", () => {
  it("is read back by OpenSSL with exactly the permitted names", () => {
    const ca = createCertificateAuthority(caKey, new Date(), "Constrained", PERMITTED);
    const dir = mkdtempSync(join(tmpdir(), "nc-"));
    try {
      writeFileSync(join(dir, "ca.pem"), ca.certPem);
      const text = execFileSync("openssl", ["x509", "-in", join(dir, "ca.pem"), "-noout", "-text"], {
        encoding: "utf8",
      });
      expect(text).toMatch(
        /X509v3 Name Constraints: critical\s+Permitted:\s+DNS:login\.microsoftonline\.com\s+DNS:kv\.vault\.azure\.net\s+DNS:localhost\s+IP:127\.0\.0\.0\/255\.0\.0\.0\s+IP:0:0:0:0:0:0:0:1\/FFFF:FFFF:FFFF:FFFF:FFFF:FFFF:FFFF:FFFF/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("vouches for a leaf inside its names, by name and by loopback address", async () => {
    const ca = createCertificateAuthority(caKey, new Date(), "Constrained", PERMITTED);
    const leaf = issueServerCertificate(ca, leafKey, new Date(), {
      dnsNames: ["login.microsoftonline.com", "kv.vault.azure.net", "localhost"],
      ipAddresses: ["127.0.0.1", "::1"],
    });

    await expect(handshake(ca.certPem, leaf, "login.microsoftonline.com")).resolves.toBe("ok");
    await expect(handshake(ca.certPem, leaf, "kv.vault.azure.net")).resolves.toBe("ok");
  });

  it("cannot vouch for any other name, even in a leaf it signed itself", async () => {
    const ca = createCertificateAuthority(caKey, new Date(), "Constrained", PERMITTED);
    const outside = issueServerCertificate(ca, leafKey, new Date(), {
      dnsNames: ["www.example.com"],
      ipAddresses: [],
    });
    const sibling = issueServerCertificate(ca, leafKey, new Date(), {
      dnsNames: ["other.vault.azure.net"],
      ipAddresses: [],
    });

    expect(new X509Certificate(outside.certPem).verify(new X509Certificate(ca.certPem).publicKey)).toBe(true);
    // OpenSSL's X509_V_ERR_PERMITTED_VIOLATION; Node reports its text (and the code UNSPECIFIED).
    await expect(handshake(ca.certPem, outside, "www.example.com")).rejects.toThrow(
      "permitted subtree violation",
    );
    await expect(handshake(ca.certPem, sibling, "other.vault.azure.net")).rejects.toThrow(
      "permitted subtree violation",
    );
  });

  it("an unconstrained CA's leaf for the same outside name is accepted: the constraint is what refuses it", async () => {
    const ca = createCertificateAuthority(caKey, new Date());
    const outside = issueServerCertificate(ca, leafKey, new Date(), {
      dnsNames: ["www.example.com"],
      ipAddresses: [],
    });

    await expect(handshake(ca.certPem, outside, "www.example.com")).resolves.toBe("ok");
  });
});

// A private CA for the emulator's HTTPS listeners; node-forge builds the X.509 certificates
// because Node's crypto can parse certificates but not create them.
import { createPrivateKey, createPublicKey, randomBytes, type KeyObject } from "node:crypto";
import forge from "node-forge";

export interface CertificateAuthority {
  certPem: string;
  keyPem: string;
}

export interface ServerCertificate {
  certPem: string;
  keyPem: string;
}

const DAY_MS = 86_400_000;

export function createCertificateAuthority(key: KeyObject, now = new Date()): CertificateAuthority {
  const subject = [
    // Unique per CA: two emulator CAs with one subject in a trust store would shadow each other.
    { name: "commonName", value: `Workload Identity Emulator Local CA ${randomBytes(4).toString("hex")}` },
    { name: "organizationName", value: "workload-identity emulator" },
  ];
  const cert = newCertificate(key, subject, subject, now, 3650 * DAY_MS);
  cert.setExtensions([
    { name: "basicConstraints", cA: true, pathLenConstraint: 0, critical: true },
    { name: "keyUsage", keyCertSign: true, cRLSign: true, critical: true },
    { name: "subjectKeyIdentifier" },
  ]);
  cert.sign(toForgePrivateKey(key), forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem: pem(key) };
}

/** A leaf certificate for the loopback names, signed by the CA. */
export function issueServerCertificate(
  ca: CertificateAuthority,
  key: KeyObject,
  now = new Date(),
): ServerCertificate {
  const caCert = forge.pki.certificateFromPem(ca.certPem);
  const cert = newCertificate(
    key,
    [{ name: "commonName", value: "localhost" }],
    caCert.subject.attributes,
    now,
    30 * DAY_MS,
  );
  cert.setExtensions([
    { name: "basicConstraints", cA: false },
    { name: "keyUsage", digitalSignature: true, keyEncipherment: true, critical: true },
    { name: "extKeyUsage", serverAuth: true },
    { name: "authorityKeyIdentifier", keyIdentifier: caCert.generateSubjectKeyIdentifier().getBytes() },
    {
      name: "subjectAltName",
      altNames: [
        { type: 2, value: "localhost" },
        { type: 7, ip: "127.0.0.1" },
        { type: 7, ip: "::1" },
      ],
    },
  ]);
  cert.sign(toForgePrivateKey(createPrivateKey(ca.keyPem)), forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem: pem(key) };
}

function newCertificate(
  key: KeyObject,
  subject: forge.pki.CertificateField[],
  issuer: forge.pki.CertificateField[],
  now: Date,
  validityMs: number,
): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(
    createPublicKey(key).export({ type: "spki", format: "pem" }).toString(),
  );
  // A positive serial with no leading zero byte: the first byte in 0x01..0x7f (a leading 0x00 would be
  // dropped when encoded, leaving a second byte of 0x80 or more to make the DER integer negative).
  const serial = randomBytes(16);
  serial[0] = 1 + ((serial[0] ?? 0) % 0x7f);
  cert.serialNumber = serial.toString("hex");
  cert.validity.notBefore = new Date(now.getTime() - 60_000);
  cert.validity.notAfter = new Date(now.getTime() + validityMs);
  cert.setSubject(subject);
  cert.setIssuer(issuer);
  return cert;
}

function toForgePrivateKey(key: KeyObject): forge.pki.rsa.PrivateKey {
  return forge.pki.privateKeyFromPem(key.export({ type: "pkcs1", format: "pem" }).toString());
}

function pem(key: KeyObject): string {
  return key.export({ type: "pkcs8", format: "pem" }).toString();
}

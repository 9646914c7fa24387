// A private CA for the emulator's HTTPS listeners; node-forge builds the X.509 certificates
// because Node's crypto can parse certificates but not create them.
import {
  constants,
  createPrivateKey,
  createPublicKey,
  privateEncrypt,
  randomBytes,
  type KeyObject,
} from "node:crypto";
import forge from "node-forge";
import { nameConstraintsExtension, type PermittedNames } from "./name-constraints.js";

export interface CertificateAuthority {
  certPem: string;
  keyPem: string;
}

export interface ServerCertificate {
  certPem: string;
  keyPem: string;
}

const DAY_MS = 86_400_000;

/** The CA's common name, before its unique suffix. */
const LOCAL_CA_NAME = "Workload Identity Emulator Local CA";

/** Who the leaf is for: DNS names and IP addresses (default: localhost, 127.0.0.1 and ::1). */
export interface ServerNames {
  dnsNames: string[];
  ipAddresses: string[];
}

const LOOPBACK_NAMES: ServerNames = { dnsNames: ["localhost"], ipAddresses: ["127.0.0.1", "::1"] };

/**
 * A self-signed CA. With `permitted`, it is name-constrained: it can vouch for those names and nothing else, which
 * is what makes a CA that signs certificates for real Azure host names safe to hand to clients.
 */
export function createCertificateAuthority(
  key: KeyObject,
  now = new Date(),
  name = LOCAL_CA_NAME,
  permitted?: PermittedNames,
): CertificateAuthority {
  const subject = [
    // Unique per CA: two emulator CAs with one subject in a trust store would shadow each other.
    { name: "commonName", value: `${name} ${randomBytes(4).toString("hex")}` },
    { name: "organizationName", value: "workload-identity emulator" },
  ];
  const cert = newCertificate(key, subject, subject, now, 3650 * DAY_MS);
  cert.setExtensions([
    { name: "basicConstraints", cA: true, pathLenConstraint: 0, critical: true },
    { name: "keyUsage", keyCertSign: true, cRLSign: true, critical: true },
    { name: "subjectKeyIdentifier" },
    ...(permitted ? [nameConstraintsExtension(permitted)] : []),
  ]);
  cert.sign(signerFor(key), forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem: pem(key) };
}

/** A leaf certificate for the loopback names (or the given ones, and nothing else), signed by the CA. */
export function issueServerCertificate(
  ca: CertificateAuthority,
  key: KeyObject,
  now = new Date(),
  names: ServerNames = LOOPBACK_NAMES,
): ServerCertificate {
  const caCert = forge.pki.certificateFromPem(ca.certPem);
  const cert = newCertificate(
    key,
    [{ name: "commonName", value: names.dnsNames[0] ?? names.ipAddresses[0] ?? "localhost" }],
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
        ...names.dnsNames.map((value) => ({ type: 2, value })),
        ...names.ipAddresses.map((ip) => ({ type: 7, ip })),
      ],
    },
  ]);
  cert.sign(signerFor(createPrivateKey(ca.keyPem)), forge.md.sha256.create());
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

/** SHA-256's DigestInfo prefix (RFC 8017, section 9.2, note 1). */
const SHA256_DIGEST_INFO = Buffer.from("3031300d060960864801650304020105000420", "hex");

/**
 * All forge's `certificate.sign()` asks of a key: `sign(md)`, a PKCS#1 v1.5 signature of the digest it computed.
 * Node's RSA does the private-key operation: forge's own big-integer arithmetic takes over a second per signature
 * under jest, and the token proxy issues a CA and a certificate at every rotation.
 */
function signerFor(key: KeyObject): forge.pki.rsa.PrivateKey {
  const signer = {
    sign: (md: forge.md.MessageDigest): string => {
      const digest = Buffer.from(md.digest().getBytes(), "binary");
      return privateEncrypt(
        { key, padding: constants.RSA_PKCS1_PADDING },
        Buffer.concat([SHA256_DIGEST_INFO, digest]),
      ).toString("binary");
    },
  };
  return signer as unknown as forge.pki.rsa.PrivateKey;
}

function pem(key: KeyObject): string {
  return key.export({ type: "pkcs8", format: "pem" }).toString();
}

// X.509 certificates for the report: the ones a PEM text holds, and what may be printed about each (names and
// dates, never the key material or the PEM itself).
import { X509Certificate } from "node:crypto";
import { relative } from "./duration.js";
import { oneLine } from "./one-line.js";

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

export interface ParsedPem {
  certificates: X509Certificate[];
  /** CERTIFICATE blocks that do not parse (a half-written file, a damaged paste). */
  unparsable: number;
}

/** The certificates in `pem`, as the credential counts them: each CERTIFICATE block that parses. */
export function parsePemCertificates(pem: string): ParsedPem {
  const certificates: X509Certificate[] = [];
  let unparsable = 0;
  for (const block of pem.match(PEM_CERTIFICATE) ?? []) {
    try {
      certificates.push(new X509Certificate(block));
    } catch {
      unparsable += 1;
    }
  }
  return { certificates, unparsable };
}

export interface CertificateFacts {
  subject: string;
  /** As OpenSSL prints it: "DNS:name, IP Address:127.0.0.1". */
  subjectAltName?: string;
  issuer: string;
  validFrom: string;
  validTo: string;
  /** SHA-256, colon-separated hex, as openssl x509 -fingerprint -sha256 prints it. */
  fingerprint256: string;
}

export function factsOf(certificate: X509Certificate): CertificateFacts {
  const san = certificate.subjectAltName;
  return {
    subject: distinguishedName(certificate.subject),
    ...(san === undefined ? {} : { subjectAltName: oneLine(san) }),
    issuer: distinguishedName(certificate.issuer),
    validFrom: iso(certificate.validFrom),
    validTo: iso(certificate.validTo),
    fingerprint256: certificate.fingerprint256,
  };
}

export type Validity = "valid" | "expired" | "not yet valid";

export function validityAt(certificate: X509Certificate, nowMs: number): Validity {
  if (Date.parse(certificate.validTo) <= nowMs) return "expired";
  if (Date.parse(certificate.validFrom) > nowMs) return "not yet valid";
  return "valid";
}

/** "CN=x, valid until 2027-01-01T00:00:00.000Z (in 23h 59m)", or "expired ..." / "valid from ..." when it is not. */
export function describeValidity(certificate: X509Certificate, nowMs: number): string {
  const from = Date.parse(certificate.validFrom);
  const to = Date.parse(certificate.validTo);
  switch (validityAt(certificate, nowMs)) {
    case "expired":
      return `expired ${relative(to, nowMs)} (${iso(certificate.validTo)})`;
    case "not yet valid":
      return `not valid until ${iso(certificate.validFrom)} (${relative(from, nowMs)})`;
    case "valid":
      return `valid until ${iso(certificate.validTo)} (${relative(to, nowMs)})`;
  }
}

/** OpenSSL's one-entry-per-line distinguished name, on one line. */
export function distinguishedName(name: string): string {
  return oneLine(
    name
      .split("\n")
      .filter((part) => part !== "")
      .join(", "),
  );
}

function iso(openSslDate: string): string {
  const ms = Date.parse(openSslDate);
  return Number.isNaN(ms) ? oneLine(openSslDate) : new Date(ms).toISOString();
}

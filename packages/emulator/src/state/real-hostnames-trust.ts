// Real-hostname mode's trust material, in the state directory only: a CA name-constrained to the emulated names
// (and loopback), a leaf for those names, and a CA bundle for runtimes whose CA variable replaces the system store.
import { X509Certificate, createPrivateKey } from "node:crypto";
import { mkdir, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import * as tls from "node:tls";
import {
  createCertificateAuthority,
  issueServerCertificate,
  type CertificateAuthority,
  type ServerCertificate,
} from "../tls/certificate-authority.js";
import { readIfExists, type EmulatorState } from "./state-dir.js";

// At most 64 characters with its random suffix (X.509 bounds a common name at 64).
const CA_NAME = "Workload Identity Emulator Azure-Names CA";
/** What every emulator CA's subject says (certificate-authority.ts): such CAs are left out of the system part. */
const EMULATOR_ORGANIZATION = "O=workload-identity emulator";
const LOOPBACK = { dnsNames: ["localhost"], ipAddresses: ["127.0.0.1", "::1"] };
const LOOPBACK_RANGES = ["127.0.0.0/8", "::1/128"];

/** Where runtimes look for the system's CA bundle, in the order OpenSSL-based distributions put it. */
const SYSTEM_BUNDLES = [
  "/etc/ssl/certs/ca-certificates.crt", // Debian, Ubuntu, Alpine, Arch
  "/etc/pki/tls/certs/ca-bundle.crt", // Fedora, RHEL
  "/etc/ssl/ca-bundle.pem", // openSUSE
  "/etc/ssl/cert.pem", // macOS, Alpine
];

export interface RealHostnamesTrust {
  /** The constrained CA alone (PEM file): `NODE_EXTRA_CA_CERTS`, which Node adds to its own roots. */
  caCertPath: string;
  /** The system's CAs plus ours: `SSL_CERT_FILE`, `REQUESTS_CA_BUNDLE`, `CURL_CA_BUNDLE`. */
  bundlePath: string;
  ca: CertificateAuthority;
  /** One leaf for every emulated name and loopback, used by every listener. */
  server: ServerCertificate;
}

/**
 * Loads the constrained CA from `real-hostnames/` in the state directory, or makes it when missing or when the
 * emulated names changed (a constrained CA cannot grow), and writes the bundle afresh (the system store changes).
 */
export async function openRealHostnamesTrust(
  state: EmulatorState,
  emulatedHosts: string[],
): Promise<RealHostnamesTrust> {
  const dir = join(state.dir, "real-hostnames");
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const caCertPath = join(dir, "ca.pem");
  const namesPath = join(dir, "ca-names.json");
  const hosts = [...new Set(emulatedHosts.map((h) => h.toLowerCase()))].sort();

  // The state's CA key signs here too: one key to keep, and the certificate says which names it may vouch for.
  const caKeyPem = state.ca.keyPem;
  let caCertPem = await readIfExists(caCertPath);
  if (caCertPem === undefined || (await readIfExists(namesPath)) !== JSON.stringify(hosts)) {
    caCertPem = createCertificateAuthority(createPrivateKey(caKeyPem), new Date(), CA_NAME, {
      dnsNames: [...hosts, ...LOOPBACK.dnsNames],
      ipRanges: LOOPBACK_RANGES,
    }).certPem;
    await writeAtomically(caCertPath, caCertPem);
    await writeAtomically(namesPath, JSON.stringify(hosts));
  }
  const ca = { certPem: caCertPem, keyPem: caKeyPem };
  const server = issueServerCertificate(ca, createPrivateKey(state.server.keyPem), new Date(), {
    dnsNames: [...hosts, ...LOOPBACK.dnsNames],
    ipAddresses: LOOPBACK.ipAddresses,
  });

  const bundlePath = join(dir, "ca-bundle.pem");
  await writeAtomically(bundlePath, `${(await systemCertificates()).join("\n")}\n${caCertPem}`);
  return { caCertPath, bundlePath, ca, server };
}

/**
 * The CAs this machine trusts: the file `SSL_CERT_FILE` names if it is set, else the distribution's bundle, else
 * Node's system store, else Node's own Mozilla roots. Emulator CAs are dropped, so a bundle made with the printed
 * environment loaded does not carry an old CA along.
 */
export async function systemCertificates(env: NodeJS.ProcessEnv = process.env): Promise<string[]> {
  const files = [...(env.SSL_CERT_FILE ? [env.SSL_CERT_FILE] : []), ...SYSTEM_BUNDLES];
  for (const file of files) {
    const text = await readIfExists(file).catch(() => undefined);
    const certificates = text === undefined ? [] : splitPem(text);
    if (certificates.length > 0) return withoutEmulatorCas(certificates);
  }
  // Node 22.15 and later.
  const getCaCertificates = (tls as { getCACertificates?: (type: string) => string[] }).getCACertificates;
  const system = getCaCertificates?.("system") ?? [];
  return withoutEmulatorCas(system.length > 0 ? system : [...tls.rootCertificates]);
}

function splitPem(text: string): string[] {
  return text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
}

function withoutEmulatorCas(pems: string[]): string[] {
  const seen = new Set<string>();
  return pems.filter((pem) => {
    if (seen.has(pem)) return false;
    seen.add(pem);
    try {
      return !new X509Certificate(pem).subject.split("\n").includes(EMULATOR_ORGANIZATION);
    } catch {
      return false;
    }
  });
}

async function writeAtomically(path: string, text: string): Promise<void> {
  await writeFile(`${path}.tmp`, text, { mode: 0o644 });
  await rename(`${path}.tmp`, path);
}

// The token proxy's own CA and its server certificate, valid for the SNI name only. Each issue is a new CA key,
// so a client holding an earlier CA cannot verify the new certificate (a hard swap); the server's key may stay.
import { generateKeyPair, type KeyObject } from "node:crypto";
import { promisify } from "node:util";
import {
  createCertificateAuthority,
  issueServerCertificate,
  type ServerCertificate,
} from "../tls/certificate-authority.js";

const generateRsa = promisify(generateKeyPair);

export const PROXY_CA_NAME = "Workload Identity Emulator Token Proxy CA";

export interface ProxyTls {
  /** The CA certificate (PEM): what the pod reads from `AZURE_KUBERNETES_CA_FILE`. */
  caCertPem: string;
  /** The proxy's certificate and key, for the SNI name alone (no IP address, no localhost). */
  server: ServerCertificate;
}

/** An RSA key (node-forge signs with RSA only): for the proxy, its CAs and the binding issuers. */
export async function newProxyKey(): Promise<KeyObject> {
  return (await generateRsa("rsa", { modulusLength: 2048 })).privateKey;
}

/** @param serverKey the proxy's key, kept across rotations: only the CA's key must change */
export async function issueProxyTls(
  sniName: string,
  serverKey: KeyObject,
  now = new Date(),
): Promise<ProxyTls> {
  const ca = createCertificateAuthority(await newProxyKey(), now, PROXY_CA_NAME);
  const server = issueServerCertificate(ca, serverKey, now, { dnsNames: [sniName], ipAddresses: [] });
  // The CA's key is dropped here: nothing but this certificate is ever signed with it.
  return { caCertPem: ca.certPem, server };
}

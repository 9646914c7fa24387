// Splits PEM text into its blocks: a key file may hold several keys, or "EC PARAMETERS" before an EC key.

export interface PemBlock {
  /** The label between BEGIN and END, e.g. "PUBLIC KEY", "RSA PRIVATE KEY", "CERTIFICATE". */
  label: string;
  /** The whole block, BEGIN and END lines included, as crypto.createPublicKey reads it. */
  text: string;
}

const BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----\r?\n[\s\S]*?\r?\n-----END \1-----/g;

export function pemBlocks(pem: string): PemBlock[] {
  return [...pem.matchAll(BLOCK)].map((match) => ({ label: match[1] ?? "", text: match[0] }));
}

// Reads PEM files into public keys, as azwi's keyutil.PublicKeysFromFile does: every key block of every file,
// private keys reduced to their public key, certificates to theirs, "EC PARAMETERS" blocks passed over.
import { createPublicKey, type KeyObject } from "node:crypto";
import { readFile } from "node:fs/promises";
import { WorkloadIdentityCliError } from "../errors.js";
import { oneLine } from "../lib/one-line.js";
import { pemBlocks } from "./pem-blocks.js";

const KEY_LABELS = new Set([
  "PUBLIC KEY",
  "RSA PUBLIC KEY",
  "PRIVATE KEY",
  "RSA PRIVATE KEY",
  "EC PRIVATE KEY",
  "CERTIFICATE",
]);
const IGNORED_LABELS = new Set(["EC PARAMETERS"]);

/** The public keys in PEM text; `source` names it in errors (a file name). */
export function publicKeysFromPem(pem: string, source: string): KeyObject[] {
  const keys: KeyObject[] = [];
  for (const block of pemBlocks(pem)) {
    if (IGNORED_LABELS.has(block.label)) continue;
    if (block.label === "ENCRYPTED PRIVATE KEY") {
      throw keyFileError(
        `${source} holds an encrypted private key; pass its public key instead (openssl pkey -in KEY -pubout)`,
      );
    }
    if (!KEY_LABELS.has(block.label)) {
      throw keyFileError(
        `${source} holds a "${oneLine(block.label)}" PEM block; pass PUBLIC KEY, RSA/EC/PKCS#8 PRIVATE KEY or CERTIFICATE blocks`,
      );
    }
    try {
      keys.push(createPublicKey(block.text));
    } catch (error) {
      throw keyFileError(
        `${source} has a "${block.label}" block that is not a valid key (${(error as Error).message}); check the file is intact`,
        error,
      );
    }
  }
  if (keys.length === 0) {
    throw keyFileError(
      `${source} holds no PEM key; pass the service-account signing key (e.g. sa.pub, or sa.key from which the public key is taken)`,
    );
  }
  return keys;
}

/** The public keys of every file, in order. */
export async function readPublicKeyFiles(paths: readonly string[]): Promise<KeyObject[]> {
  const keys: KeyObject[] = [];
  for (const path of paths) {
    let pem: string;
    try {
      pem = await readFile(path, "utf8");
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? String(error);
      throw keyFileError(`Cannot read the key file ${oneLine(path)} (${code}); check the path`, error);
    }
    keys.push(...publicKeysFromPem(pem, oneLine(path)));
  }
  return keys;
}

function keyFileError(message: string, cause?: unknown): WorkloadIdentityCliError {
  return new WorkloadIdentityCliError("ERR_KEY_FILE", `${message}.`, { cause });
}

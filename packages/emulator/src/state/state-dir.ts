// The state directory: the CA and signing keys survive restarts, so trust set up once keeps working.
import { generateKeyPair, createPrivateKey, type KeyObject } from "node:crypto";
import { mkdir, readFile, writeFile, rm, mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import {
  createCertificateAuthority,
  issueServerCertificate,
  type CertificateAuthority,
  type ServerCertificate,
} from "../tls/certificate-authority.js";

const generateRsa = promisify(generateKeyPair);

export interface EmulatorState {
  dir: string;
  /** Path of the CA certificate (PEM): what `NODE_EXTRA_CA_CERTS` points at. */
  caCertPath: string;
  ca: CertificateAuthority;
  server: ServerCertificate;
  /** The cluster's service-account signing key. */
  issuerKey: KeyObject;
  /** Entra's access-token signing key. */
  entraKey: KeyObject;
  /** Removes the directory when the emulator made it itself. */
  dispose(): Promise<void>;
}

/** Loads the state in `dir` (creating what is missing), or uses a fresh temporary directory. */
export async function openState(dir?: string): Promise<EmulatorState> {
  const temporary = dir === undefined;
  const root = temporary ? await mkdtemp(join(tmpdir(), "workload-identity-emulator-")) : resolve(dir);
  await mkdir(root, { recursive: true, mode: 0o700 });

  const [caKey, issuerKey, entraKey, serverKey] = await Promise.all([
    loadOrCreateKey(join(root, "ca-key.pem")),
    loadOrCreateKey(join(root, "issuer-signing-key.pem")),
    loadOrCreateKey(join(root, "entra-signing-key.pem")),
    loadOrCreateKey(join(root, "server-key.pem")),
  ]);

  const caCertPath = join(root, "ca.pem");
  let caCertPem = await readIfExists(caCertPath);
  if (caCertPem === undefined) {
    caCertPem = createCertificateAuthority(caKey).certPem;
    await writeFile(caCertPath, caCertPem, { mode: 0o644 });
  }
  const ca = { certPem: caCertPem, keyPem: caKey.export({ type: "pkcs8", format: "pem" }).toString() };
  // The leaf is cheap to make and short-lived, so it is issued afresh at every start.
  const server = issueServerCertificate(ca, serverKey);

  return {
    dir: root,
    caCertPath,
    ca,
    server,
    issuerKey,
    entraKey,
    dispose: async () => {
      if (temporary) await rm(root, { recursive: true, force: true });
    },
  };
}

async function loadOrCreateKey(path: string): Promise<KeyObject> {
  const existing = await readIfExists(path);
  if (existing !== undefined) return createPrivateKey(existing);
  const { privateKey } = await generateRsa("rsa", { modulusLength: 2048 });
  await writeFile(path, privateKey.export({ type: "pkcs8", format: "pem" }), { mode: 0o600 });
  return privateKey;
}

/** The file's text, or undefined when it does not exist (any other error is thrown). */
export async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

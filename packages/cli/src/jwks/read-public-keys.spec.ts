import { spawnSync } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { WorkloadIdentityCliError } from "../errors.js";
import { keyIdOf } from "./key-id.js";
import { publicKeysFromPem, readPublicKeyFiles } from "./read-public-keys.js";

/** What `fn` throws. */
function errorOf(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  return undefined;
}

const FIXTURES = join(__dirname, "fixtures");
let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "read-public-keys-spec-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 });
const ec = generateKeyPairSync("ec", { namedCurve: "P-256" });

describe("publicKeysFromPem", () => {
  it.each([
    ["PUBLIC KEY (SPKI)", rsa.publicKey.export({ type: "spki", format: "pem" })],
    ["RSA PUBLIC KEY (PKCS#1)", rsa.publicKey.export({ type: "pkcs1", format: "pem" })],
    ["RSA PRIVATE KEY (PKCS#1)", rsa.privateKey.export({ type: "pkcs1", format: "pem" })],
    ["PRIVATE KEY (PKCS#8)", rsa.privateKey.export({ type: "pkcs8", format: "pem" })],
  ])("reduces %s to the RSA public key", (_label, pem) => {
    const [key, ...rest] = publicKeysFromPem(pem.toString(), "sa.key");

    expect(rest).toEqual([]);
    expect(key?.type).toBe("public");
    expect(key === undefined ? "" : keyIdOf(key)).toBe(keyIdOf(rsa.publicKey));
  });

  it("reads an EC PRIVATE KEY after its EC PARAMETERS block, as openssl ecparam -genkey writes it", () => {
    const params = "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n";
    const keys = publicKeysFromPem(
      params + ec.privateKey.export({ type: "sec1", format: "pem" }).toString(),
      "ec.key",
    );

    expect(keys.map(keyIdOf)).toEqual([keyIdOf(ec.publicKey)]);
  });

  it("returns every key of a file holding several, in order", () => {
    const pem = [rsa.publicKey, ec.publicKey]
      .map((k) => k.export({ type: "spki", format: "pem" }).toString())
      .join("");

    expect(publicKeysFromPem(pem, "keys.pem").map(keyIdOf)).toEqual([
      keyIdOf(rsa.publicKey),
      keyIdOf(ec.publicKey),
    ]);
  });

  it("takes the public key of a certificate, as azwi does", async () => {
    const keyPath = join(dir, "key.pem");
    const certPath = join(dir, "cert.pem");
    await writeFile(keyPath, ec.privateKey.export({ type: "pkcs8", format: "pem" }));
    const openssl = spawnSync(
      "openssl",
      ["req", "-x509", "-new", "-key", keyPath, "-out", certPath, "-subj", "/CN=issuer", "-days", "1"],
      { encoding: "utf8" },
    );
    if (openssl.error !== undefined) return; // no openssl here: nothing to make a certificate with

    expect(openssl.status).toBe(0);
    const keys = publicKeysFromPem(await readFile(certPath, "utf8"), "cert.pem");

    expect(keys.map(keyIdOf)).toEqual([keyIdOf(ec.publicKey)]);
  });

  it.each([
    ["no PEM at all", "ssh-rsa AAAAB3NzaC1yc2E", /cert\.pem holds no PEM key/],
    [
      "only EC PARAMETERS",
      "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----",
      /no PEM key/,
    ],
    [
      "an encrypted private key",
      "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----",
      /encrypted private key; pass its public key instead \(openssl pkey -in KEY -pubout\)/,
    ],
    [
      "an unknown block",
      "-----BEGIN X509 CRL-----\nAAAA\n-----END X509 CRL-----",
      /holds a "X509 CRL" PEM block; pass PUBLIC KEY/,
    ],
    [
      "a corrupted key",
      "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----",
      /has a "PUBLIC KEY" block that is not a valid key \(.+\); check the file is intact/,
    ],
  ])("rejects %s with ERR_KEY_FILE naming the file", (_case, pem, message) => {
    expect(() => publicKeysFromPem(pem, "cert.pem")).toThrow(WorkloadIdentityCliError);
    expect(() => publicKeysFromPem(pem, "cert.pem")).toThrow(message);
    expect(errorOf(() => publicKeysFromPem(pem, "cert.pem"))).toMatchObject({ code: "ERR_KEY_FILE" });
  });
});

describe("readPublicKeyFiles", () => {
  it("reads each file's keys, in the order of the files", async () => {
    const ecPath = join(dir, "ec.pub");
    await writeFile(ecPath, ec.publicKey.export({ type: "spki", format: "pem" }));

    const keys = await readPublicKeyFiles([ecPath, join(FIXTURES, "azwi-public-key.pem")]);

    expect(keys.map(keyIdOf)).toEqual([keyIdOf(ec.publicKey), "2A3FPpix2keOV1SGPQiM0_wVemz4XOIgQyJJnpu5sPE"]);
  });

  it("names a missing file and its errno in one line", async () => {
    const missing = join(dir, "missing.pub");

    await expect(readPublicKeyFiles([missing])).rejects.toThrow(
      `Cannot read the key file ${missing} (ENOENT); check the path.`,
    );
    await expect(readPublicKeyFiles([missing])).rejects.toMatchObject({ code: "ERR_KEY_FILE" });
  });
});

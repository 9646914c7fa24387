import { generateKeyPairSync } from "node:crypto";
import { chmod, mkdtemp, readFile, readdir, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { keyIdOf } from "../jwks/key-id.js";
import { writeIssuerDocs } from "./write-issuer-docs.js";

const AZWI_KEY = join(__dirname, "..", "jwks", "fixtures", "azwi-public-key.pem");
let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "issuer-docs-spec-"));
});
afterEach(async () => {
  await chmod(dir, 0o755);
  await rm(dir, { recursive: true, force: true });
});

async function readJson(path: string): Promise<unknown> {
  return JSON.parse(await readFile(path, "utf8")) as unknown;
}

describe("writeIssuerDocs", () => {
  it("writes the discovery document and JWKS where they are served under the issuer URL", async () => {
    const out = join(dir, "out");

    const result = await writeIssuerDocs({
      issuerUrl: "https://oidc.example.com/cluster-1/",
      publicKeyFiles: [AZWI_KEY],
      outputDir: out,
    });

    expect(result.files).toEqual([
      join(out, ".well-known", "openid-configuration"),
      join(out, "openid", "v1", "jwks"),
    ]);
    expect(result.warnings).toEqual([]);
    expect(await readJson(join(out, ".well-known", "openid-configuration"))).toEqual({
      issuer: "https://oidc.example.com/cluster-1/",
      jwks_uri: "https://oidc.example.com/cluster-1/openid/v1/jwks",
      response_types_supported: ["id_token"],
      subject_types_supported: ["public"],
      id_token_signing_alg_values_supported: ["RS256"],
    });
    expect(await readJson(join(out, "openid", "v1", "jwks"))).toEqual({
      keys: [expect.objectContaining({ kid: "2A3FPpix2keOV1SGPQiM0_wVemz4XOIgQyJJnpu5sPE", alg: "RS256" })],
    });
    expect((await stat(join(out, "openid", "v1", "jwks"))).mode & 0o777).toBe(0o644);
  });

  it("lists each algorithm of the keys once, in the order of the keys", async () => {
    const ecPath = join(dir, "ec.pem");
    const ec = generateKeyPairSync("ec", { namedCurve: "P-521" });
    const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const rsaPath = join(dir, "rsa.key");
    await writeFile(ecPath, ec.publicKey.export({ type: "spki", format: "pem" }));
    await writeFile(rsaPath, rsa.privateKey.export({ type: "pkcs1", format: "pem" }));

    const { discovery, jwks } = await writeIssuerDocs({
      issuerUrl: "https://oidc.example.com",
      publicKeyFiles: [ecPath, rsaPath, AZWI_KEY],
      outputDir: join(dir, "out"),
    });

    expect(discovery.jwks_uri).toBe("https://oidc.example.com/openid/v1/jwks");
    expect(discovery.id_token_signing_alg_values_supported).toEqual(["ES512", "RS256"]);
    expect(jwks.keys.map((k) => k.kid)).toEqual([
      keyIdOf(ec.publicKey),
      keyIdOf(rsa.publicKey),
      "2A3FPpix2keOV1SGPQiM0_wVemz4XOIgQyJJnpu5sPE",
    ]);
  });

  it("writes the documents for an http issuer and returns the warning", async () => {
    const result = await writeIssuerDocs({
      issuerUrl: "http://127.0.0.1:8080/",
      publicKeyFiles: [AZWI_KEY],
      outputDir: dir,
    });

    expect(result.warnings).toEqual([expect.stringContaining("is not https")]);
    expect(await readdir(dir)).toEqual(expect.arrayContaining([".well-known", "openid"]));
  });

  it("writes nothing when a key file is unreadable or the URL is bad", async () => {
    const out = join(dir, "out");

    await expect(
      writeIssuerDocs({ issuerUrl: "https://x/", publicKeyFiles: [join(dir, "nope.pem")], outputDir: out }),
    ).rejects.toMatchObject({ code: "ERR_KEY_FILE" });
    await expect(
      writeIssuerDocs({ issuerUrl: "not a url", publicKeyFiles: [AZWI_KEY], outputDir: out }),
    ).rejects.toMatchObject({ code: "ERR_INVALID_ISSUER_URL" });
    await expect(
      writeIssuerDocs({ issuerUrl: "https://x/", publicKeyFiles: [], outputDir: out }),
    ).rejects.toMatchObject({ code: "ERR_USAGE", message: expect.stringContaining("--public-keys") });
    expect(await readdir(dir)).toEqual([]);
  });

  it("names the output directory when it cannot be written", async () => {
    const blocker = join(dir, "file");
    await writeFile(blocker, "not a directory");

    await expect(
      writeIssuerDocs({ issuerUrl: "https://x/", publicKeyFiles: [AZWI_KEY], outputDir: blocker }),
    ).rejects.toMatchObject({
      code: "ERR_OUTPUT",
      message: `Cannot write the issuer documents under ${blocker} (ENOTDIR); choose a writable --output-dir.`,
    });
  });
});

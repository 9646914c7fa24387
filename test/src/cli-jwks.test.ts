// `workload-identity jwks` and `issuer-docs` as processes: their output checked against azwi's published test
// vector and against the documents the emulator's issuer serves for the same key (an independent oracle).
import type { Emulator } from "@workload-identity/emulator";
import { spawn } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from "jose";
import { collect, podEnvironment } from "./support/child-process.js";
import { CLI_BIN, runCli, tokenDir } from "./support/cli-process.js";
import { httpsRequest } from "./support/https.js";
import { REPO_ROOT } from "./support/samples.js";
import { startTrustedEmulator } from "./support/trusted-emulator.js";

const AZWI_KEY = join(REPO_ROOT, "packages", "cli", "src", "jwks", "fixtures", "azwi-public-key.pem");
/**
 * The JWKS azwi prints for that key: expectedJWKS of TestJWKSCmdRun in
 * https://github.com/Azure/azure-workload-identity/blob/main/pkg/cmd/jwks/root_test.go
 */
const AZWI_JWKS = {
  keys: [
    {
      use: "sig",
      kty: "RSA",
      kid: "2A3FPpix2keOV1SGPQiM0_wVemz4XOIgQyJJnpu5sPE",
      alg: "RS256",
      n: "1QJE2YmLbvMLP6FtzcfPzGbSDbHEEtA0mH6kwgrOrlKs83zj2vr6Y5k_ZcGdIbsdm5vDj2IxtSkE-pSDtgFM2iq0sJ7xuE6RYmlrtBm-H2WHvXrP9RrG1EfO7iWs6Czj4A_Ddxg3kNUiQCtQEJwwH2pfrUkh8STQhST_T86pq5AIFCuQiQSrkfC80eD9bUFypV3CLB2M9Fa1hbvOWbzSF93_I0toUK2-oPgVW6m2EwMyy8Fh_3KRixrAJO8g-D4d537C1fa1vJJRlMRFtLMA_bo6k1fAtNsVQuQoML5CmRrvNT7ZpXRLaQy64OSFrVLD3Pb7wct7b4g2xQECixQodw",
      e: "AQAB",
    },
  ],
};

/** Where the failing invocations are pointed: they must write nothing. */
const NEVER_WRITTEN = join(tmpdir(), `cli-jwks-never-written-${process.pid}`);
let emulator: Emulator;
let files: Awaited<ReturnType<typeof tokenDir>>;
let issuerKey: string;

beforeAll(async () => {
  emulator = await startTrustedEmulator();
  files = await tokenDir();
  // The emulator's service-account signing key, a PKCS#8 private key: the public key must be taken from it.
  issuerKey = join(emulator.stateDir, "issuer-signing-key.pem");
});
afterAll(async () => {
  await files.remove();
  await emulator.close();
});

async function served(url: string): Promise<unknown> {
  const response = await httpsRequest(url, { ca: emulator.caCertificate });
  expect(response.status).toBe(200);
  return response.json();
}

describe("workload-identity jwks", () => {
  it("prints exactly azwi's JWKS for azwi's test key, in azwi's field order", async () => {
    const { code, stdout, stderr } = await runCli(["jwks", "--public-keys", AZWI_KEY], {});

    expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
    expect(stdout).toBe(`${JSON.stringify(AZWI_JWKS, null, 2)}\n`);
  });

  it("prints, for the issuer's private key, the JWKS the emulator's issuer serves", async () => {
    const { code, stdout } = await runCli(["jwks", "--public-keys", issuerKey], {});

    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual(await served(`${emulator.urls.issuer}openid/v1/jwks`));
  });

  it("lists RSA and EC keys of several files with their algorithms, into --output-file", async () => {
    const paths = await Promise.all(
      (["P-256", "P-384", "P-521"] as const).map((namedCurve) =>
        files.write(
          `${namedCurve}.pem`,
          generateKeyPairSync("ec", { namedCurve })
            .privateKey.export({ type: "sec1", format: "pem" })
            .toString(),
        ),
      ),
    );
    const output = join(files.dir, "jwks.json");

    const { code, stdout, stderr } = await runCli(
      ["jwks", "--public-keys", AZWI_KEY, "--public-keys", paths.join(","), "--output-file", output],
      {},
    );

    expect({ code, stdout, stderr }).toEqual({ code: 0, stdout: "", stderr: `wrote ${output}\n` });
    const jwks = JSON.parse(await readFile(output, "utf8")) as { keys: Record<string, string>[] };
    expect(jwks.keys.map((k) => [k.kty, k.alg, k.crv])).toEqual([
      ["RSA", "RS256", undefined],
      ["EC", "ES256", "P-256"],
      ["EC", "ES384", "P-384"],
      ["EC", "ES512", "P-521"],
    ]);
    expect(
      jwks.keys.every((k) => k.use === "sig" && /^[A-Za-z0-9_-]{43}$/.test(k.kid ?? "") && k.d === undefined),
    ).toBe(true);
  });

  it("exits 1 naming an unreadable or unsupported key file, and 2 without --public-keys", async () => {
    const ed25519 = await files.write(
      "ed25519.pem",
      generateKeyPairSync("ed25519").publicKey.export({ type: "spki", format: "pem" }).toString(),
    );

    expect(await runCli(["jwks", "--public-keys", join(files.dir, "missing.pem")], {})).toMatchObject({
      code: 1,
      stdout: "",
      stderr: `workload-identity jwks: Cannot read the key file ${join(files.dir, "missing.pem")} (ENOENT); check the path.\n`,
    });
    expect(await runCli(["jwks", "--public-keys", ed25519], {})).toMatchObject({
      code: 1,
      stderr:
        "workload-identity jwks: Kubernetes service-account tokens cannot be signed with ed25519 keys; use an RSA or an EC (P-256, P-384, P-521) key.\n",
    });
    expect(await runCli(["jwks"], {})).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/^workload-identity jwks: --public-keys FILE is required/),
    });
  });

  it("runs as an executable through its bin file's shebang", async () => {
    const child = spawn(CLI_BIN, ["jwks", "--help"], {
      env: podEnvironment({}),
      stdio: ["ignore", "pipe", "pipe"],
    });
    const { code, stdout } = await collect(child, 10_000);

    expect(code).toBe(0);
    expect(stdout).toMatch(/^Usage: workload-identity jwks/);
  });
});

describe("workload-identity issuer-docs", () => {
  it("writes the discovery document and JWKS the emulator's issuer serves, which verify its tokens", async () => {
    const out = join(files.dir, "issuer");

    const { code, stdout, stderr } = await runCli(
      ["issuer-docs", "--issuer-url", emulator.urls.issuer, "--public-keys", issuerKey, "--output-dir", out],
      {},
    );

    expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
    expect(stdout).toContain(`wrote ${join(out, ".well-known", "openid-configuration")}\n`);
    const discovery = JSON.parse(
      await readFile(join(out, ".well-known", "openid-configuration"), "utf8"),
    ) as unknown;
    const jwks = JSON.parse(await readFile(join(out, "openid", "v1", "jwks"), "utf8")) as JSONWebKeySet;
    expect(discovery).toEqual(await served(`${emulator.urls.issuer}.well-known/openid-configuration`));
    expect(jwks).toEqual(await served(`${emulator.urls.issuer}openid/v1/jwks`));

    const projected = (await readFile(emulator.env.AZURE_FEDERATED_TOKEN_FILE, "utf8")).trim();
    const { payload } = await jwtVerify(projected, createLocalJWKSet(jwks), {
      issuer: emulator.urls.issuer,
      audience: "api://AzureADTokenExchange",
    });
    expect(payload.sub).toBe("system:serviceaccount:default:workload-identity-sa");
  });

  it("keeps an issuer without a trailing slash as it is and puts the JWKS under it", async () => {
    const out = join(files.dir, "no-slash");

    const { code } = await runCli(
      [
        "issuer-docs",
        "--issuer-url",
        "https://oidc.example.com",
        "--public-keys",
        AZWI_KEY,
        "--output-dir",
        out,
      ],
      {},
    );

    expect(code).toBe(0);
    expect(
      JSON.parse(await readFile(join(out, ".well-known", "openid-configuration"), "utf8")),
    ).toMatchObject({
      issuer: "https://oidc.example.com",
      jwks_uri: "https://oidc.example.com/openid/v1/jwks",
      id_token_signing_alg_values_supported: ["RS256"],
    });
    expect(JSON.parse(await readFile(join(out, "openid", "v1", "jwks"), "utf8"))).toEqual(AZWI_JWKS);
  });

  it("warns on stderr for an http issuer, still writing the documents", async () => {
    const out = join(files.dir, "http");

    const { code, stderr } = await runCli(
      [
        "issuer-docs",
        "--issuer-url",
        "http://oidc.example.com/",
        "--public-keys",
        AZWI_KEY,
        "--output-dir",
        out,
      ],
      {},
    );

    expect(code).toBe(0);
    expect(stderr).toMatch(
      /^workload-identity issuer-docs: warning: the issuer URL "http:\/\/oidc\.example\.com\/" is not https: .*AADSTS90061/,
    );
    await expect(readFile(join(out, "openid", "v1", "jwks"), "utf8")).resolves.toContain(
      AZWI_JWKS.keys[0]?.kid,
    );
  });

  it.each([
    [
      "no --issuer-url",
      ["--public-keys", AZWI_KEY, "--output-dir", NEVER_WRITTEN],
      2,
      /--issuer-url is required\./,
    ],
    [
      "no --public-keys",
      ["--issuer-url", "https://x/", "--output-dir", NEVER_WRITTEN],
      2,
      /--public-keys FILE is required/,
    ],
    [
      "no --output-dir",
      ["--issuer-url", "https://x/", "--public-keys", AZWI_KEY],
      2,
      /--output-dir is required\./,
    ],
    [
      "a bad URL",
      ["--issuer-url", "oidc.example.com", "--public-keys", AZWI_KEY, "--output-dir", NEVER_WRITTEN],
      2,
      /The issuer URL "oidc\.example\.com" is not a URL/,
    ],
    [
      "an unreadable key",
      ["--issuer-url", "https://x/", "--public-keys", "/nonexistent.pem", "--output-dir", NEVER_WRITTEN],
      1,
      /Cannot read the key file \/nonexistent\.pem \(ENOENT\)/,
    ],
  ] as const)("exits with the right code and one line for %s", async (_case, args, exitCode, message) => {
    const { code, stdout, stderr } = await runCli(["issuer-docs", ...args], {});

    expect(code).toBe(exitCode);
    expect(stdout).toBe("");
    expect(stderr).toMatch(message);
    expect(stderr.trimEnd().split("\n")).toHaveLength(1);
    await expect(readFile(join(NEVER_WRITTEN, "openid", "v1", "jwks"))).rejects.toThrow("ENOENT");
  });

  it("exits 2 for an issuer URL holding a password, without ever printing it", async () => {
    const args = ["--public-keys", AZWI_KEY, "--output-dir", NEVER_WRITTEN];

    const given = await runCli(
      ["issuer-docs", "--issuer-url", "https://admin:Sup3rS3cret@oidc.example.com/", ...args],
      {},
    );
    const withoutOption = await runCli(
      ["issuer-docs", "https://admin:Sup3rS3cret@oidc.example.com/", ...args],
      {},
    );

    expect(given).toMatchObject({
      code: 2,
      stdout: "",
      stderr:
        "workload-identity issuer-docs: The issuer URL \"https://***@oidc.example.com/\" must not contain credentials; Entra fetches the documents anonymously. Run 'workload-identity issuer-docs --help' for usage.\n",
    });
    expect(withoutOption).toMatchObject({ code: 2, stdout: "" });
    expect(withoutOption.stderr).toContain("Unexpected argument 'https://***@oidc.example.com/'");
    for (const { stderr } of [given, withoutOption]) expect(stderr).not.toMatch(/Sup3rS3cret|admin/);
  });

  it("exits 1 when the output directory cannot be written", async () => {
    const blocker = await files.write("a-file", "not a directory");

    const { code, stderr } = await runCli(
      ["issuer-docs", "--issuer-url", "https://x/", "--public-keys", AZWI_KEY, "--output-dir", blocker],
      {},
    );

    expect(code).toBe(1);
    expect(stderr).toContain(`Cannot write the issuer documents under ${blocker}`);
  });
});

import { spawnSync } from "node:child_process";
import { chmod, mkdir, symlink, utimes, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { makeToken, projectToken, tempDir } from "../../test-support/tokens.js";
import { checkTokenFile } from "./token-file.js";

const NOW_MS = Date.parse("2026-03-01T12:00:00Z");
const NOW = NOW_MS / 1000;
const BUILT_MODULE = resolve(__dirname, "../../../dist/cjs/doctor/checks/token-file.js");
let dir: string;
let remove: () => Promise<void>;

beforeEach(async () => {
  ({ dir, remove } = await tempDir("token-file-check-"));
});
afterEach(() => remove());

/** The signature part: what a leak of the token into a report would contain. */
const signatureOf = (token: string) => token.split(".")[2] ?? "";

describe("checkTokenFile", () => {
  it("passes a fresh projected token, saying when it expires and when kubelet swapped ..data", async () => {
    const token = await makeToken(NOW - 120);
    const path = await projectToken(dir, token, new Date(NOW_MS - 120_000));

    const outcome = await checkTokenFile(path, NOW_MS);

    expect(outcome.result).toMatchObject({
      id: "token-file",
      status: "pass",
      message: `${path}: a JWT readable by uid ${String(process.getuid?.())}, expires in 58m (2026-03-01T12:58:00.000Z); rotated 2m ago`,
      details: {
        path,
        expiresAt: "2026-03-01T12:58:00.000Z",
        issuedAt: "2026-03-01T11:58:00.000Z",
        lastRotatedAt: "2026-03-01T11:58:00.000Z",
        rotatedFrom: "..data",
      },
    });
    expect(outcome.token).toBe(token);
    expect(outcome.payload?.sub).toBe("system:serviceaccount:apps:api-sa");
    expect(JSON.stringify(outcome.result)).not.toContain(signatureOf(token));
  });

  it("takes the rotation time from the file itself outside a projected volume", async () => {
    const path = join(dir, "token.jwt");
    await writeFile(path, await makeToken(NOW));
    await utimes(path, new Date(NOW_MS - 5000), new Date(NOW_MS - 5000));

    const { result } = await checkTokenFile(path, NOW_MS);

    expect(result.message).toMatch(/; rotated 5s ago$/);
    expect(result.details).toMatchObject({ rotatedFrom: "file" });
  });

  it("fails an expired token, keeping it for the later checks, and points at kubelet's rotation", async () => {
    const path = join(dir, "token");
    const token = await makeToken(NOW - 7200);
    await writeFile(path, token);

    const outcome = await checkTokenFile(path, NOW_MS);

    expect(outcome.result).toMatchObject({
      status: "fail",
      code: "ERR_TOKEN_EXPIRED",
      message: expect.stringContaining("holds a JWT that expired 1h ago (2026-03-01T11:00:00.000Z)"),
      fix: expect.stringContaining("subPath"),
    });
    expect(outcome.token).toBe(token);
  });

  it("warns when kubelet is late: past 80% of the lifetime and still not replaced", async () => {
    const path = join(dir, "token");
    await writeFile(path, await makeToken(NOW - 3300));

    const { result } = await checkTokenFile(path, NOW_MS);

    expect(result).toMatchObject({
      status: "warn",
      code: "ERR_TOKEN_NOT_ROTATED",
      message: expect.stringContaining("92% of its lifetime is gone and kubelet has not replaced it"),
    });
  });

  it("fails a token not valid yet, pointing at the clocks", async () => {
    const path = join(dir, "token");
    await writeFile(path, await makeToken(NOW, { nbf: NOW + 600 }));

    const { result } = await checkTokenFile(path, NOW_MS);

    expect(result).toMatchObject({
      status: "fail",
      code: "ERR_TOKEN_NOT_YET_VALID",
      fix: "check the clocks of the node and of this machine",
    });
  });

  it("fails a token without exp", async () => {
    const path = join(dir, "token");
    await writeFile(path, await makeToken(NOW, { exp: undefined }));

    expect((await checkTokenFile(path, NOW_MS)).result).toMatchObject({
      status: "fail",
      code: "ERR_TOKEN_NO_EXPIRY",
    });
  });

  it("fails a missing file, naming the label that mounts it, and keeps no token", async () => {
    const outcome = await checkTokenFile(join(dir, "missing"), NOW_MS);

    expect(outcome.result).toEqual({
      id: "token-file",
      status: "fail",
      code: "ERR_TOKEN_FILE_NOT_FOUND",
      message: `${join(dir, "missing")} does not exist (or is a dangling link)`,
      fix: expect.stringContaining('azure.workload.identity/use: "true"'),
    });
    expect(outcome.token).toBeUndefined();
  });

  it("fails a dangling ..data link as missing", async () => {
    await symlink(join("..data", "token"), join(dir, "token"));

    expect((await checkTokenFile(join(dir, "token"), NOW_MS)).result.code).toBe("ERR_TOKEN_FILE_NOT_FOUND");
  });

  it("fails a directory with the credential's code and message", async () => {
    await mkdir(join(dir, "token"));

    const { result } = await checkTokenFile(join(dir, "token"), NOW_MS);

    expect(result).toMatchObject({ status: "fail", code: "ERR_TOKEN_FILE_NOT_A_FILE" });
    expect(result.message).toContain("is a directory");
  });

  it("fails a file that is not a JWT without quoting it", async () => {
    const path = join(dir, "token");
    await writeFile(path, "S3CR3T-not-a-jwt");

    const { result } = await checkTokenFile(path, NOW_MS);

    expect(result).toMatchObject({ status: "fail", code: "ERR_TOKEN_FILE_NOT_A_JWT" });
    expect(JSON.stringify(result)).not.toContain("S3CR3T");
  });

  it("fails three base64url parts whose payload is not JSON", async () => {
    const path = join(dir, "token");
    await writeFile(path, "eyJhbGciOiJSUzI1NiJ9.bm90LWpzb24.c2ln");

    expect((await checkTokenFile(path, NOW_MS)).result).toMatchObject({
      status: "fail",
      code: "ERR_TOKEN_FILE_NOT_A_JWT",
      message: `${path} has three base64url parts but no JSON claims`,
    });
  });

  it("fails a token the user cannot read, with its mode and owner, suggesting fsGroup", async () => {
    const path = join(dir, "token");
    await writeFile(path, await makeToken(NOW), { mode: 0o600 });
    await chmod(path, 0o600);
    await chmod(dir, 0o755);
    const uid = process.getuid?.();
    let result: unknown;
    if (uid === 0) {
      // Root reads anything: read as nobody (65534), as a pod's non-root user would, through the built module.
      // The child loads the module as root and only then becomes nobody: the checkout may sit where nobody
      // cannot read it (a 0700 temporary directory).
      const script = [
        "const { checkTokenFile } = require(process.argv[1]);",
        "process.setgid(65534);",
        "process.setuid(65534);",
        "checkTokenFile(process.argv[2], Date.now()).then((o) => process.stdout.write(JSON.stringify(o)));",
      ].join(" ");
      const child = spawnSync(process.execPath, ["-e", script, BUILT_MODULE, path], {
        cwd: dir, // readable by nobody: Node 24 looks for a package.json above the working directory
        encoding: "utf8",
        timeout: 10_000,
      });
      expect(child.stderr).toBe("");
      ({ result } = JSON.parse(child.stdout) as { result: unknown });
    } else {
      await chmod(path, 0o000);
      ({ result } = await checkTokenFile(path, NOW_MS));
    }

    expect(result).toEqual({
      id: "token-file",
      status: "fail",
      code: "ERR_TOKEN_FILE_PERMISSION_DENIED",
      message: expect.stringMatching(/is not readable by uid \d+ \(mode 0[0-7]{3}, owner \d+:\d+\)$/),
      fix: expect.stringContaining("securityContext.fsGroup"),
    });
  });
});

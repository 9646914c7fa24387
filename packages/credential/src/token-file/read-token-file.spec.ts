import { spawnSync } from "node:child_process";
import { chmod, mkdir, mkdtemp, readdir, rename, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import {
  CredentialUnavailableError,
  TokenFileError,
  TokenFileUnavailableError,
  WorkloadIdentityError,
} from "../errors/errors.js";
import { MAX_TOKEN_FILE_BYTES, readTokenFile } from "./read-token-file.js";

const TOKEN = "azure-identity-token";
/** Looks like a real token, so a leak into a message would be caught by a search for it. */
const SECRET =
  "eyJhbGciOiJSUzI1NiIsImtpZCI6IlMzQ1IzVCJ9.eyJzdWIiOiJTM0NSM1QtZG8tbm90LWxvZyJ9.S3CR3T-signature_do-not-log";
const SECRET_MARK = "S3CR3T-signature_do-not-log";
const BUILT_MODULE = resolve(__dirname, "../../dist/cjs/token-file/read-token-file.js");

let root: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "read-token-file-spec-"));
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

/** A JWT-shaped string of exactly `length` characters. */
function jwtOfLength(length: number): string {
  const header = "eyJhbGciOiJSUzI1NiJ9";
  const signature = "c2ln";
  return `${header}.${"p".repeat(length - header.length - signature.length - 2)}.${signature}`;
}

/** Lays out a projected volume as kubelet does: `..<timestamp>/token`, `..data` -> it, `token` -> `..data/token`. */
async function projectVolume(dir: string, generation: string, token: string): Promise<string> {
  await mkdir(join(dir, generation));
  await writeFile(join(dir, generation, TOKEN), token, { mode: 0o644 });
  await symlink(generation, join(dir, "..data"));
  await symlink(join("..data", TOKEN), join(dir, TOKEN));
  return join(dir, TOKEN);
}

/** kubelet's atomic update: a new generation, `..data_tmp` -> it, renamed over `..data`, the old one deleted. */
async function rotate(
  dir: string,
  oldGeneration: string,
  newGeneration: string,
  token: string,
): Promise<void> {
  await mkdir(join(dir, newGeneration));
  await writeFile(join(dir, newGeneration, TOKEN), token, { mode: 0o644 });
  await symlink(newGeneration, join(dir, "..data_tmp"));
  await rename(join(dir, "..data_tmp"), join(dir, "..data"));
  await rm(join(dir, oldGeneration), { recursive: true });
}

describe("readTokenFile", () => {
  it("returns the token without the whitespace and newline around it", async () => {
    const path = join(root, TOKEN);
    await writeFile(path, `\n  ${SECRET}\r\n\t`);

    await expect(readTokenFile(path)).resolves.toBe(SECRET);
  });

  it("follows kubelet's ..data symlink layout and picks up the token after an atomic swap", async () => {
    const first = "eyJhbGciOiJSUzI1NiJ9.eyJnZW4iOjF9.Zmlyc3Q";
    const second = "eyJhbGciOiJSUzI1NiJ9.eyJnZW4iOjJ9.c2Vjb25k";
    const oldGeneration = "..2026_03_01_12_00_00.1234567890";
    const newGeneration = "..2026_03_01_12_48_00.0987654321";
    const path = await projectVolume(root, oldGeneration, first);

    await expect(readTokenFile(path)).resolves.toBe(first);

    await rotate(root, oldGeneration, newGeneration, second);
    expect((await readdir(root)).sort()).toEqual(["..data", newGeneration, TOKEN].sort());

    await expect(readTokenFile(path)).resolves.toBe(second);
  });

  it("accepts a JWT-shaped file of exactly the 64 KiB limit", async () => {
    const path = join(root, TOKEN);
    const token = jwtOfLength(MAX_TOKEN_FILE_BYTES);
    await writeFile(path, token);

    expect(MAX_TOKEN_FILE_BYTES).toBe(64 * 1024);
    await expect(readTokenFile(path)).resolves.toBe(token);
  });

  describe("errors", () => {
    const cases: [string, (dir: string) => Promise<string>, string][] = [
      ["a missing file", (dir) => Promise.resolve(join(dir, TOKEN)), "ERR_TOKEN_FILE_NOT_FOUND"],
      [
        "a dangling symlink (kubelet's ..data gone)",
        async (dir) => {
          await symlink(join("..data", TOKEN), join(dir, TOKEN));
          return join(dir, TOKEN);
        },
        "ERR_TOKEN_FILE_NOT_FOUND",
      ],
      [
        "a symlink loop",
        async (dir) => {
          await symlink("b", join(dir, "a"));
          await symlink("a", join(dir, "b"));
          return join(dir, "a");
        },
        "ERR_TOKEN_FILE_NOT_FOUND",
      ],
      [
        "a path through a file",
        async (dir) => {
          await writeFile(join(dir, "file"), SECRET);
          return join(dir, "file", TOKEN);
        },
        "ERR_TOKEN_FILE_NOT_FOUND",
      ],
      ["a directory", (dir) => Promise.resolve(dir), "ERR_TOKEN_FILE_NOT_A_FILE"],
      ["a character device", () => Promise.resolve("/dev/null"), "ERR_TOKEN_FILE_NOT_A_FILE"],
      [
        "an empty file",
        async (dir) => {
          await writeFile(join(dir, TOKEN), "");
          return join(dir, TOKEN);
        },
        "ERR_TOKEN_FILE_EMPTY",
      ],
      [
        "a whitespace-only file",
        async (dir) => {
          await writeFile(join(dir, TOKEN), " \n\t\r\n ");
          return join(dir, TOKEN);
        },
        "ERR_TOKEN_FILE_EMPTY",
      ],
      [
        "a file of 64 KiB + 1 byte",
        async (dir) => {
          await writeFile(join(dir, TOKEN), jwtOfLength(MAX_TOKEN_FILE_BYTES - SECRET.length) + SECRET + "x");
          return join(dir, TOKEN);
        },
        "ERR_TOKEN_FILE_TOO_LARGE",
      ],
      [
        "a 10 MB file",
        async (dir) => {
          await writeFile(join(dir, TOKEN), SECRET.repeat(Math.ceil(10_000_000 / SECRET.length)));
          return join(dir, TOKEN);
        },
        "ERR_TOKEN_FILE_TOO_LARGE",
      ],
      [
        "a file that is not a JWT",
        async (dir) => {
          await writeFile(join(dir, TOKEN), `not a jwt ${SECRET}`);
          return join(dir, TOKEN);
        },
        "ERR_TOKEN_FILE_NOT_A_JWT",
      ],
      [
        "a JWT with a fourth part",
        async (dir) => {
          await writeFile(join(dir, TOKEN), `${SECRET}.${SECRET_MARK}`);
          return join(dir, TOKEN);
        },
        "ERR_TOKEN_FILE_NOT_A_JWT",
      ],
      [
        "two tokens on two lines",
        async (dir) => {
          await writeFile(join(dir, TOKEN), `${SECRET}\n${SECRET}\n`);
          return join(dir, TOKEN);
        },
        "ERR_TOKEN_FILE_NOT_A_JWT",
      ],
    ];

    // No usable file at the path means Workload Identity is not available here: chains move on. A file that is
    // there but holds no usable token is a hard error (a rotation glitch must not switch identities).
    const UNAVAILABLE = [
      "ERR_TOKEN_FILE_NOT_FOUND",
      "ERR_TOKEN_FILE_PERMISSION_DENIED",
      "ERR_TOKEN_FILE_NOT_A_FILE",
    ];

    it.each(cases)(
      "%s gives %s carrying the path, with the class its code belongs to",
      async (_case, make, code) => {
        const path = await make(root);
        const read = readTokenFile(path);
        const unavailable = UNAVAILABLE.includes(code);

        await expect(read).rejects.toThrow(unavailable ? TokenFileUnavailableError : TokenFileError);
        await expect(read).rejects.toThrow(unavailable ? CredentialUnavailableError : WorkloadIdentityError);
        await expect(read).rejects.toMatchObject({
          name: unavailable ? "CredentialUnavailableError" : "TokenFileError",
          code,
          category: "token-file",
          path,
          message: expect.stringContaining(path),
        });
      },
    );

    it.each(cases)("%s gives a one-line message without the file's content", async (_case, make) => {
      const path = await make(root);

      await expect(readTokenFile(path)).rejects.toMatchObject({
        message: expect.not.stringMatching(/[\r\n]/),
      });
      await expect(readTokenFile(path)).rejects.toMatchObject({
        message: expect.not.stringContaining(SECRET_MARK),
      });
    });

    it("says how big a file over the limit is, and the limit", async () => {
      const path = join(root, TOKEN);
      await writeFile(path, jwtOfLength(MAX_TOKEN_FILE_BYTES + 1));

      await expect(readTokenFile(path)).rejects.toThrow(
        `is ${MAX_TOKEN_FILE_BYTES + 1} bytes, over the 65536-byte limit`,
      );
    });

    it("points a missing file at AZURE_FEDERATED_TOKEN_FILE and the pod label", async () => {
      const read = readTokenFile(join(root, TOKEN));

      await expect(read).rejects.toThrow("AZURE_FEDERATED_TOKEN_FILE");
      await expect(read).rejects.toThrow('azure.workload.identity/use: "true"');
    });

    it("reports permission denied on a 0600 token as ERR_TOKEN_FILE_PERMISSION_DENIED suggesting fsGroup", async () => {
      const secretFile = join(root, "secret-token");
      const readableFile = join(root, "readable-token");
      await writeFile(secretFile, SECRET, { mode: 0o600 });
      await writeFile(readableFile, SECRET, { mode: 0o644 });
      await chmod(root, 0o755);
      await chmod(secretFile, 0o600);
      await chmod(readableFile, 0o644);

      const uid = process.getuid?.();
      if (uid === 0) {
        // Root reads anything, so the reader runs as nobody (65534), as a pod's non-root user would.
        // The child loads the module as root and only then becomes nobody: the checkout may sit where nobody
        // cannot read it (a 0700 temporary directory). Its working directory is the readable temp dir, since
        // Node 24 looks for a package.json above it.
        const script = `
          const { readTokenFile } = require(process.argv[1]);
          process.setgid(65534);
          process.setuid(65534);
          const outcome = (p) => readTokenFile(p).then(
            (token) => ({ token }),
            (e) => ({ name: e.name, code: e.code, path: e.path, message: e.message }),
          );
          Promise.all([outcome(process.argv[2]), outcome(process.argv[3])]).then((r) => process.stdout.write(JSON.stringify(r)));
        `;
        const child = spawnSync(process.execPath, ["-e", script, BUILT_MODULE, readableFile, secretFile], {
          cwd: root,
          encoding: "utf8",
          timeout: 10_000,
        });

        expect(child.error).toBeUndefined(); // e.g. EACCES: the node binary must be executable by nobody
        expect(child.stderr).toBe("");
        expect(child.status).toBe(0);
        const [readable, denied] = JSON.parse(child.stdout) as [unknown, unknown];
        expect(readable).toEqual({ token: SECRET });
        expect(denied).toEqual({
          name: "CredentialUnavailableError",
          code: "ERR_TOKEN_FILE_PERMISSION_DENIED",
          path: secretFile,
          message: expect.stringContaining("as uid 65534"),
        });
        expect(denied).toMatchObject({ message: expect.stringContaining("securityContext.fsGroup") });
        expect(denied).toMatchObject({ message: expect.not.stringContaining(SECRET_MARK) });
      } else {
        // Not root: the current user is denied a mode-000 file it owns.
        await chmod(secretFile, 0o000);
        const read = readTokenFile(secretFile);

        await expect(read).rejects.toThrow(TokenFileUnavailableError);
        await expect(read).rejects.toMatchObject({
          code: "ERR_TOKEN_FILE_PERMISSION_DENIED",
          path: secretFile,
          message: expect.stringContaining(`as uid ${String(uid)}`),
        });
        await expect(read).rejects.toThrow("securityContext.fsGroup");
        await expect(readTokenFile(readableFile)).resolves.toBe(SECRET);
      }
    });
  });
});

describe("readTokenFile and special files", () => {
  it("refuses a named pipe at once instead of waiting for a writer", async () => {
    const fifo = join(root, "pipe");
    expect(spawnSync("mkfifo", [fifo]).status).toBe(0);
    await expect(readTokenFile(fifo)).rejects.toMatchObject({
      code: "ERR_TOKEN_FILE_NOT_A_FILE",
      message: expect.stringContaining("not a regular file"),
    });
  });

  it("calls a character device not a regular file, rather than a directory", async () => {
    await expect(readTokenFile("/dev/null")).rejects.toMatchObject({
      code: "ERR_TOKEN_FILE_NOT_A_FILE",
      message: expect.stringContaining("not a regular file"),
    });
  });
});

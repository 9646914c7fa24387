import { lstat, mkdtemp, open, readdir, readFile, readlink, rm, stat } from "node:fs/promises";
import { readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeAtomically } from "./atomic-writer.js";

const TOKEN = "azure-identity-token";
const GENERATION = /^\.\.(\d{4})_(\d{2})_(\d{2})_(\d{2})_(\d{2})_(\d{2})\./;

let root: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "atomic-writer-spec-"));
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

/** The generation directories (`..<timestamp>.<random>`) present in `dir`. */
async function generations(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((name) => GENERATION.test(name));
}

describe("writeAtomically", () => {
  it("lays the directory out as kubelet does: a generation, ..data pointing at it, and a stable symlink", async () => {
    await writeAtomically(root, { [TOKEN]: "first" });

    const [generation, ...others] = await generations(root);
    expect(others).toEqual([]);
    expect((await readdir(root)).sort()).toEqual(["..data", generation, TOKEN].sort());

    expect((await lstat(join(root, "..data"))).isSymbolicLink()).toBe(true);
    expect(await readlink(join(root, "..data"))).toBe(generation);

    expect((await lstat(join(root, TOKEN))).isSymbolicLink()).toBe(true);
    expect(await readlink(join(root, TOKEN))).toBe(join("..data", TOKEN));

    const payload = await lstat(join(root, generation ?? "", TOKEN));
    expect(payload.isFile()).toBe(true);
    expect(payload.mode & 0o777).toBe(0o644);
    expect(await readFile(join(root, TOKEN), "utf8")).toBe("first");
  });

  it("names the generation after the current UTC time, to the second", async () => {
    const before = Math.floor(Date.now() / 1000) * 1000;
    await writeAtomically(root, { [TOKEN]: "x" });
    const after = Date.now();

    const [generation] = await generations(root);
    const [, year, month, day, hours, minutes, seconds] =
      GENERATION.exec(generation ?? "")?.map(Number) ?? [];
    const named = Date.UTC(year ?? 0, (month ?? 0) - 1, day, hours, minutes, seconds);

    expect(generation).toMatch(/^\.\.\d{4}_\d{2}_\d{2}_\d{2}_\d{2}_\d{2}\.[A-Za-z0-9]+$/);
    expect(named).toBeGreaterThanOrEqual(before);
    expect(named).toBeLessThanOrEqual(after);
  });

  it("makes the generation directory world-readable (0755)", async () => {
    await writeAtomically(root, { [TOKEN]: "x" });

    const [generation] = await generations(root);
    expect((await stat(join(root, generation ?? ""))).mode & 0o777).toBe(0o755);
  });

  it("swaps ..data to a new generation on the second write and removes the old one", async () => {
    await writeAtomically(root, { [TOKEN]: "first" });
    const [first] = await generations(root);

    await writeAtomically(root, { [TOKEN]: "second" });
    const [second, ...others] = await generations(root);

    expect(others).toEqual([]);
    expect(second).not.toBe(first);
    expect(await readlink(join(root, "..data"))).toBe(second);
    expect(await readFile(join(root, TOKEN), "utf8")).toBe("second");
    expect(await readlink(join(root, TOKEN))).toBe(join("..data", TOKEN));
  });

  it("always reads the newest content through the stable path, leaving one generation and no ..data_tmp", async () => {
    for (let i = 1; i <= 5; i += 1) {
      await writeAtomically(root, { [TOKEN]: `token-${i}` });
      expect(await readFile(join(root, TOKEN), "utf8")).toBe(`token-${i}`);
    }

    expect(await generations(root)).toHaveLength(1);
    expect((await readdir(root)).sort()).toEqual(["..data", (await generations(root))[0], TOKEN].sort());
  });

  it("never rewrites a token in place: a reader that opened the old token still reads it whole", async () => {
    await writeAtomically(root, { [TOKEN]: "old" });
    const handle = await open(join(root, TOKEN), "r");

    try {
      await writeAtomically(root, { [TOKEN]: "new" });

      expect(await handle.readFile("utf8")).toBe("old");
      expect(await readFile(join(root, TOKEN), "utf8")).toBe("new");
    } finally {
      await handle.close();
    }
  });

  it("applies the requested mode exactly, whatever the umask would allow", async () => {
    // 0666 is reduced to 0644 by the usual umask 022 unless the writer chmods afterwards.
    await writeAtomically(root, { [TOKEN]: "x" }, 0o666);

    expect((await stat(join(root, TOKEN))).mode & 0o777).toBe(0o666);
  });

  it("creates the target directory, parents included", async () => {
    const dir = join(root, "var", "run", "secrets", "azure", "tokens");

    await writeAtomically(dir, { [TOKEN]: "x" });

    expect(await readFile(join(dir, TOKEN), "utf8")).toBe("x");
  });

  it("writes several files into one generation, each with its own stable symlink", async () => {
    await writeAtomically(root, { a: "A", b: "B" });

    const [generation] = await generations(root);
    expect((await readdir(join(root, generation ?? ""))).sort()).toEqual(["a", "b"]);
    expect(await readlink(join(root, "a"))).toBe(join("..data", "a"));
    expect(await readFile(join(root, "a"), "utf8")).toBe("A");
    expect(await readFile(join(root, "b"), "utf8")).toBe("B");
  });

  it("lays nested paths out as the webhook v1.6 volume: one link per top-level name, into ..data", async () => {
    await writeAtomically(root, { "token/azure-identity-token": "T", "ca-cert/ca.crt": "C" });

    const [generation] = await generations(root);
    expect((await readdir(root)).sort()).toEqual(["..data", generation, "ca-cert", "token"].sort());
    expect(await readlink(join(root, "token"))).toBe(join("..data", "token"));
    expect(await readlink(join(root, "ca-cert"))).toBe(join("..data", "ca-cert"));
    expect(await readFile(join(root, "token", "azure-identity-token"), "utf8")).toBe("T");
    expect(await readFile(join(root, "ca-cert", "ca.crt"), "utf8")).toBe("C");
    expect((await stat(join(root, generation ?? "", "token"))).mode & 0o777).toBe(0o755);
  });

  it("swaps nested files together: after the second write both come from the new generation", async () => {
    await writeAtomically(root, { "token/t": "t1", "ca-cert/ca.crt": "c1" });
    await writeAtomically(root, { "token/t": "t1", "ca-cert/ca.crt": "c2" });

    expect(await generations(root)).toHaveLength(1);
    expect(await readFile(join(root, "token", "t"), "utf8")).toBe("t1");
    expect(await readFile(join(root, "ca-cert", "ca.crt"), "utf8")).toBe("c2");
  });

  it("calls onSwap once, when ..data already points at the new generation", async () => {
    await writeAtomically(root, { [TOKEN]: "old" });
    const seen: string[] = [];

    await writeAtomically(root, { [TOKEN]: "new" }, 0o644, () => {
      // Synchronous on purpose: this is the instant readers start to see the new files.
      seen.push(readFileSync(join(root, "..data", TOKEN), "utf8"));
    });

    expect(seen).toEqual(["new"]);
  });
});

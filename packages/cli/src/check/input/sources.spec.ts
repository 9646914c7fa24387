import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isSource, readSources } from "./sources.js";

const noStdin = () => Promise.reject(new Error("stdin was not asked for"));

async function read(operands: string[], stdin: () => Promise<string> = noStdin) {
  const entries = await readSources(operands, stdin);
  return { sources: entries.filter(isSource), problems: entries.filter((e) => !isSource(e)), entries };
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "check-sources-"));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe("readSources", () => {
  it("finds .yaml and .yml files under a directory, recursively, in name order, and nothing else", async () => {
    await mkdir(join(dir, "b", "nested"), { recursive: true });
    await writeFile(join(dir, "b", "nested", "z.yml"), "z");
    await writeFile(join(dir, "a.yaml"), "a");
    await writeFile(join(dir, "b", "c.YAML"), "c");
    await writeFile(join(dir, "values.json"), "{}");
    await writeFile(join(dir, "README.md"), "#");

    const { sources, problems } = await read([dir]);

    expect(problems).toEqual([]);
    expect(sources.map((s) => [s.name.slice(dir.length + 1), s.text, s.named])).toEqual([
      ["a.yaml", "a", false],
      ["b/c.YAML", "c", false],
      ["b/nested/z.yml", "z", false],
    ]);
  });

  it("reads a named file whatever its name, and stdin for -, in the order given", async () => {
    await writeFile(join(dir, "rendered.txt"), "file");

    const { sources } = await read([join(dir, "rendered.txt"), "-"], () => Promise.resolve("piped"));

    expect(sources.map((s) => [s.text, s.named, s.file])).toEqual([
      ["file", true, join(dir, "rendered.txt")],
      ["piped", true, undefined],
    ]);
    expect(sources[1]?.name).toBe("(stdin)");
  });

  it("follows a symbolic link to a file, not one to a directory", async () => {
    await mkdir(join(dir, "real"));
    await writeFile(join(dir, "real", "a.yaml"), "a");
    await mkdir(join(dir, "scan"));
    await symlink(join(dir, "real", "a.yaml"), join(dir, "scan", "link.yaml"));
    await symlink(join(dir, "real"), join(dir, "scan", "loop.yaml"));

    const { sources } = await read([join(dir, "scan")]);

    expect(sources.map((s) => s.name.slice(dir.length + 1))).toEqual(["scan/link.yaml"]);
  });

  it("reports a missing path and a directory without manifests, and goes on with the rest", async () => {
    await mkdir(join(dir, "empty"));
    await writeFile(join(dir, "ok.yaml"), "ok");

    const { entries } = await read([join(dir, "ok.yaml"), join(dir, "missing.yaml"), join(dir, "empty")]);

    // In the order the operands name them, so that the report follows the command line.
    expect(entries).toEqual([
      expect.objectContaining({ text: "ok" }),
      { source: join(dir, "missing.yaml"), message: "cannot read it (ENOENT)" },
      { source: join(dir, "empty"), message: "no .yaml or .yml files in this directory" },
    ]);
  });
});

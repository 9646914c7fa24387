import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ownership, uid } from "./file-access.js";

describe("ownership", () => {
  it("shows a file's mode and owner", async () => {
    const dir = await mkdtemp(join(tmpdir(), "file-access-"));
    try {
      const path = join(dir, "f");
      await writeFile(path, "x");
      await chmod(path, 0o640);

      expect(await ownership(path)).toBe(` (mode 0640, owner ${process.getuid?.()}:${process.getgid?.()})`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("shows nothing for a file that is not there", async () => {
    expect(await ownership("/nonexistent/file")).toBe("");
  });
});

describe("uid", () => {
  it("is this process's user id", () => {
    expect(uid()).toBe(String(process.getuid?.()));
  });
});

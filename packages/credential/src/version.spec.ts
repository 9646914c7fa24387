import { readFileSync } from "node:fs";
import { join } from "node:path";
import { packageVersion } from "./version.js";

it("is the version in package.json (after `changeset version`, copy it into src/version.ts)", () => {
  const manifest = JSON.parse(readFileSync(join(__dirname, "..", "package.json"), "utf8")) as {
    version: string;
  };
  expect(packageVersion).toBe(manifest.version);
});

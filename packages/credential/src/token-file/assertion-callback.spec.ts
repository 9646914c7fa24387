import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CredentialUnavailableError, TokenFileUnavailableError } from "../errors/errors.js";
import { createAssertionCallback } from "./assertion-callback.js";

const VARIABLE = "AZURE_FEDERATED_TOKEN_FILE";
const FIRST = "eyJhbGciOiJSUzI1NiJ9.eyJnZW4iOjF9.Zmlyc3Q";
const SECOND = "eyJhbGciOiJSUzI1NiJ9.eyJnZW4iOjJ9.c2Vjb25k";

let root: string;
let path: string;
const saved = process.env.AZURE_FEDERATED_TOKEN_FILE;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "assertion-callback-spec-"));
  path = join(root, "azure-identity-token");
  delete process.env.AZURE_FEDERATED_TOKEN_FILE;
});

afterEach(async () => {
  if (saved === undefined) delete process.env.AZURE_FEDERATED_TOKEN_FILE;
  else process.env.AZURE_FEDERATED_TOKEN_FILE = saved;
  await rm(root, { recursive: true, force: true });
});

describe("createAssertionCallback", () => {
  it("re-reads the file at every call, so a rotated token is picked up", async () => {
    await writeFile(path, `${FIRST}\n`);
    const assertion = createAssertionCallback(path);

    await expect(assertion()).resolves.toBe(FIRST);
    await writeFile(path, `${SECOND}\n`);
    await expect(assertion()).resolves.toBe(SECOND);
  });

  it("reads nothing when created: a file that appears later is used", async () => {
    const assertion = createAssertionCallback(path);
    await writeFile(path, FIRST);

    await expect(assertion()).resolves.toBe(FIRST);
  });

  it("rejects with the reader's TokenFileUnavailableError when the file is gone at call time", async () => {
    const assertion = createAssertionCallback(path);

    await expect(assertion()).rejects.toThrow(TokenFileUnavailableError);
    await expect(assertion()).rejects.toMatchObject({ code: "ERR_TOKEN_FILE_NOT_FOUND", path });
  });

  it("reads AZURE_FEDERATED_TOKEN_FILE when no path is given", async () => {
    await writeFile(path, FIRST);
    process.env[VARIABLE] = ` ${path} `;

    await expect(createAssertionCallback()()).resolves.toBe(FIRST);
  });

  it("reads the given environment instead of process.env", async () => {
    await writeFile(path, FIRST);
    process.env[VARIABLE] = join(root, "elsewhere");

    await expect(createAssertionCallback(undefined, { [VARIABLE]: path })()).resolves.toBe(FIRST);
  });

  it("prefers the given path over AZURE_FEDERATED_TOKEN_FILE", async () => {
    await writeFile(path, FIRST);
    process.env[VARIABLE] = join(root, "elsewhere");

    await expect(createAssertionCallback(path)()).resolves.toBe(FIRST);
  });

  it.each([
    ["neither a path nor AZURE_FEDERATED_TOKEN_FILE is given", undefined, undefined],
    ["AZURE_FEDERATED_TOKEN_FILE is blank", undefined, "  "],
    ["the given path is empty", "", undefined],
  ])("throws CredentialUnavailableError at creation when %s", (_case, given, variable) => {
    if (variable !== undefined) process.env[VARIABLE] = variable;

    expect(() => createAssertionCallback(given)).toThrow(CredentialUnavailableError);
    expect(() => createAssertionCallback(given)).toThrow(
      expect.objectContaining({
        name: "CredentialUnavailableError",
        code: "ERR_MISSING_CONFIGURATION",
        message: expect.stringMatching(new RegExp(`${VARIABLE} is (not set|empty)`)),
      }) as Error,
    );
  });
});

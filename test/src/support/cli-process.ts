// Runs the built `workload-identity` CLI as a child process, as a pod or an operator's shell would, and
// helpers for the tokens the doctor scenarios present.
import { spawn } from "node:child_process";
import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { collect, podEnvironment, type ChildResult } from "./child-process.js";
import { REPO_ROOT } from "./samples.js";

/** The built bin (run `npm run build` in packages/cli first). */
export const CLI = join(REPO_ROOT, "packages", "cli", "dist", "esm", "cli.js");
/** The committed executable npm links as `workload-identity` (it imports CLI). */
export const CLI_BIN = join(REPO_ROOT, "packages", "cli", "bin", "workload-identity.mjs");

/** Any JWT: the doctor's output must never hold one (the projected token or an access token). */
export const JWT_SHAPE = /eyJ[A-Za-z0-9_-]+\.eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+/;

export interface CliRunOptions {
  /** Run as this user and group (the test runner must be root). */
  uid?: number;
  gid?: number;
  timeoutMs?: number;
}

export function runCli(
  args: string[],
  env: Record<string, string>,
  options: CliRunOptions = {},
): Promise<ChildResult> {
  const spawnArgs =
    options.uid === undefined ? [CLI, ...args] : asUser(options.uid, options.gid ?? options.uid, args);
  const child = spawn(process.execPath, spawnArgs, {
    env: podEnvironment(env),
    stdio: ["ignore", "pipe", "pipe"],
    // Readable by any user: Node 24 looks for a package.json above the working directory.
    cwd: tmpdir(),
  });
  return collect(child, options.timeoutMs ?? 30_000);
}

/**
 * The CLI's own code (what dist/esm/cli.js runs) loaded as the test runner's user, which then becomes `uid`:
 * the checkout may sit where that user cannot read it (a 0700 temporary directory), while the files the
 * doctor examines are what the test is about.
 */
function asUser(uid: number, gid: number, args: string[]): string[] {
  const runCliModule = pathToFileURL(
    join(REPO_ROOT, "packages", "cli", "dist", "esm", "commands", "run-cli.js"),
  ).href;
  const script = [
    `const { runCli } = await import(${JSON.stringify(runCliModule)});`,
    `process.setgid(${gid});`,
    `process.setuid(${uid});`,
    "const io = { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t), env: process.env };",
    "process.exitCode = await runCli(process.argv.slice(1), io);",
  ].join(" ");
  return ["--input-type=module", "-e", script, ...args];
}

/** The report's line for one check, by its title ("token file", "issuer JWKS"...). */
export function lineOf(stdout: string, title: string): string {
  const line = stdout.split("\n").find((l) => l.slice(2).startsWith(`${title} `));
  if (line === undefined) throw new Error(`no "${title}" line in:\n${stdout}`);
  return line;
}

/** A directory for token files, readable by any user; removed by `remove`. */
export async function tokenDir(): Promise<{
  dir: string;
  write: (name: string, token: string, mode?: number) => Promise<string>;
  remove: () => Promise<void>;
}> {
  const dir = await mkdtemp(join(tmpdir(), "cli-doctor-"));
  await chmod(dir, 0o755);
  return {
    dir,
    write: async (name, token, mode = 0o644) => {
      const path = join(dir, name);
      await writeFile(path, token, { mode });
      await chmod(path, mode);
      return path;
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

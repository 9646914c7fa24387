// Runs the sample apps as a pod would: `node samples/<name>` with the emulator's environment.
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { join } from "node:path";
import { podEnvironment } from "./child-process.js";

export const REPO_ROOT = join(__dirname, "..", "..", "..");

export function startSample(
  name: "keyvault-quickstart" | "graph-tenant-reader",
  env: Record<string, string>,
): ChildProcess {
  return spawn(process.execPath, [join(REPO_ROOT, "samples", name)], {
    env: podEnvironment(env),
    stdio: ["ignore", "pipe", "pipe"],
  });
}

/** Collects a child's output (klog writes to stderr) and lets a test wait for a line. */
export class OutputWatcher {
  text = "";

  constructor(child: ChildProcess) {
    const take = (chunk: Buffer) => {
      this.text += chunk.toString();
    };
    child.stdout?.on("data", take);
    child.stderr?.on("data", take);
  }

  lines(pattern: RegExp): string[] {
    return this.text.split("\n").filter((line) => pattern.test(line));
  }

  async waitFor(pattern: RegExp, count = 1, timeoutMs = 20_000): Promise<string[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.lines(pattern).length < count) {
      if (Date.now() > deadline)
        throw new Error(`waited ${timeoutMs} ms for ${count} x ${String(pattern)}; output:\n${this.text}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    return this.lines(pattern);
  }
}

/** Exit code and how long after `kill(signal)` the child took to exit. */
export async function stopAndTime(
  child: ChildProcess,
  signal: NodeJS.Signals = "SIGTERM",
): Promise<{ code: number | null; ms: number }> {
  const exited = new Promise<number | null>((resolve) =>
    child.once("exit", (code) => {
      resolve(code);
    }),
  );
  const started = Date.now();
  child.kill(signal);
  const code = await exited;
  return { code, ms: Date.now() - started };
}

export function exitOf(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else
      child.once("exit", (code) => {
        resolve(code);
      });
  });
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}

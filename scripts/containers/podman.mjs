// Runs podman with the flags this machine needs, and reports what it printed and how it exited.
//
// Storage: podman's defaults (run as root: /var/lib/containers/storage on overlay, /run/containers/storage)
// work here and keep layers between runs, so a second `podman build` reuses the installed node_modules.
// A throwaway `--root`/`--runroot` under a temp dir also works but makes every run a cold build. crun fails on
// this machine's cgroup layout, hence runc; podman's default ulimits are refused, hence explicit ones.
import { Buffer } from "node:buffer";
import { spawn } from "node:child_process";

export const RUNTIME_FLAGS = [
  "--runtime",
  "runc",
  "--ulimit",
  "nofile=1024:1024",
  "--ulimit",
  "nproc=4096:4096",
];

/**
 * Runs `podman ...args`; resolves with { code, stdout, stderr } whatever the exit code. `input` is written to
 * stdin; `echo` streams podman's output to ours as it comes (long builds).
 */
export function podman(args, { input, echo = false } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn("podman", args, { stdio: ["pipe", "pipe", "pipe"] });
    const out = [];
    const err = [];
    child.stdout.on("data", (chunk) => {
      out.push(chunk);
      if (echo) process.stdout.write(chunk);
    });
    child.stderr.on("data", (chunk) => {
      err.push(chunk);
      if (echo) process.stderr.write(chunk);
    });
    child.on("error", reject);
    child.on("close", (code) => {
      resolve({
        code: code ?? 1,
        stdout: Buffer.concat(out).toString(),
        stderr: Buffer.concat(err).toString(),
      });
    });
    if (input === undefined) child.stdin.end();
    else if (typeof input.pipe === "function") input.pipe(child.stdin);
    else child.stdin.end(input);
  });
}

/** Like podman(), but throws with podman's own message when it fails. */
export async function podmanOk(args, options) {
  const result = await podman(args, options);
  if (result.code !== 0) {
    const detail = (result.stderr || result.stdout).trim().split("\n").slice(-5).join(" | ");
    throw new Error(`podman ${args[0]} exited ${result.code}: ${detail}`);
  }
  return result;
}

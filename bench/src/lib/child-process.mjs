// Runs Node programs as a pod would: a fresh process whose environment is the emulator's (Node reads
// NODE_EXTRA_CA_CERTS only at start-up), speaking the probes' "@bench {json}" line protocol on stdout.
import { spawn } from "node:child_process";
import { clearTimeout, setTimeout } from "node:timers";
import { performance } from "node:perf_hooks";
import { redact } from "./redact.mjs";

const MESSAGE_PREFIX = "@bench ";

/**
 * The parent's environment minus anything Azure-related or that changes how Node runs, plus `env`.
 * @param {Record<string, string>} env
 */
export function podEnvironment(env) {
  const base = Object.fromEntries(
    Object.entries(process.env).filter(
      ([name]) =>
        !/^(AZURE_|NODE_EXTRA_CA_CERTS$|NODE_OPTIONS$|KEYVAULT_URL$|SECRET_NAME$|GRAPH_ENDPOINT$)/.test(name),
    ),
  );
  return { ...base, ...env };
}

/**
 * Runs `script` and resolves with its last `result` message. Other messages go to `onMessage` as they come.
 * @param {string} script
 * @param {string[]} args
 * @param {Record<string, string>} env
 * @param {{ timeoutMs?: number, onMessage?: (message: any) => void, nodeArgs?: string[] }} [options] `nodeArgs`
 *   go to node before the script (a `--require` preload)
 * @returns {Promise<any>}
 */
export function runProbe(script, args, env, options = {}) {
  const { timeoutMs = 120_000, onMessage, nodeArgs = [] } = options;
  const child = spawn(process.execPath, [...nodeArgs, script, ...args], {
    env: podEnvironment(env),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let result;
  let stderr = "";
  let pending = "";
  child.stdout.setEncoding("utf8").on("data", (chunk) => {
    pending += chunk;
    let newline;
    while ((newline = pending.indexOf("\n")) >= 0) {
      const line = pending.slice(0, newline);
      pending = pending.slice(newline + 1);
      if (!line.startsWith(MESSAGE_PREFIX)) continue;
      const message = JSON.parse(line.slice(MESSAGE_PREFIX.length));
      const { type, ...rest } = message;
      if (type === "result") result = rest;
      else onMessage?.(message);
    }
  });
  child.stderr.setEncoding("utf8").on("data", (chunk) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${script} did not finish within ${timeoutMs} ms: ${redact(stderr)}`));
    }, timeoutMs);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      if (code === 0 && result !== undefined) resolve(result);
      else reject(new Error(`${script} ${args.join(" ")} exited with ${String(code)}: ${redact(stderr)}`));
    });
  });
}

/**
 * Starts `args` and resolves with the wall-clock milliseconds from spawn until a line on stdout or stderr
 * (klog writes to stderr) matches `pattern`; then stops the program. Its output is never passed on: a
 * sample prints its secret.
 * @param {string[]} args
 * @param {Record<string, string>} env
 * @param {RegExp} pattern
 * @param {number} [timeoutMs]
 * @returns {Promise<number>}
 */
export function timeUntilOutput(args, env, pattern, timeoutMs = 60_000) {
  const startedAt = performance.now();
  const child = spawn(process.execPath, args, {
    env: podEnvironment(env),
    stdio: ["ignore", "pipe", "pipe"],
  });
  /** @type {Record<string, string>} */
  const seen = { stdout: "", stderr: "" };
  return new Promise((resolve, reject) => {
    let done = false;
    const finish = (/** @type {() => void} */ settle) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      child.kill("SIGTERM");
      settle();
    };
    const timer = setTimeout(() => {
      finish(() => {
        reject(new Error(`no ${String(pattern)} from ${args.join(" ")} within ${timeoutMs} ms`));
      });
    }, timeoutMs);
    for (const name of /** @type {const} */ (["stdout", "stderr"])) {
      child[name].setEncoding("utf8").on("data", (chunk) => {
        seen[name] = (seen[name] + chunk).slice(-4000);
        if (pattern.test(seen[name])) {
          const ms = performance.now() - startedAt;
          finish(() => {
            resolve(ms);
          });
        }
      });
    }
    child.on("error", (error) => {
      finish(() => {
        reject(error);
      });
    });
    child.on("exit", (code) => {
      finish(() => {
        reject(
          new Error(
            `${args.join(" ")} exited with ${String(code)} before its first secret: ${redact(seen.stderr)}`,
          ),
        );
      });
    });
  });
}

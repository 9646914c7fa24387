// Runs an image the way the samples' Kubernetes manifests run it: user 65532, read-only root filesystem, no
// capabilities, no privilege escalation, a 128 MiB limit, the projected token directory and the emulator's CA
// mounted read-only, and the environment the Workload Identity webhook injects.
import { spawn } from "node:child_process";
import { podman, RUNTIME_FLAGS } from "./podman.mjs";

/** Where webhook v1.5 and earlier mount the projected token (v1.6 uses .../azure/wi/token/). */
export const TOKEN_DIR = "/var/run/secrets/azure/tokens";
export const TOKEN_FILE = `${TOKEN_DIR}/azure-identity-token`;
export const CA_FILE = "/var/run/secrets/workload-identity-emulator/ca.crt";

/** The webhook's four variables, pointed at the emulator, plus the CA Node must trust to reach it. */
export function webhookEnv(emulator) {
  return {
    AZURE_CLIENT_ID: emulator.env.AZURE_CLIENT_ID,
    AZURE_TENANT_ID: emulator.env.AZURE_TENANT_ID,
    AZURE_AUTHORITY_HOST: emulator.env.AZURE_AUTHORITY_HOST,
    AZURE_FEDERATED_TOKEN_FILE: TOKEN_FILE,
    NODE_EXTRA_CA_CERTS: CA_FILE,
  };
}

/**
 * Starts `podman run` attached (its exit code is the container's). `projectionDir` is the kubelet-style
 * directory: mounted whole at `tokenDir`, because the token file is a symlink through `..data`, which rotation
 * swaps. `args` are the container's `args:` (they replace the image's CMD and follow its ENTRYPOINT).
 */
export function startPod({
  image,
  name,
  projectionDir,
  tokenDir = TOKEN_DIR,
  caCertPath,
  env,
  args: podArgs = [],
}) {
  const args = [
    "run",
    "--rm",
    "--name",
    name,
    ...RUNTIME_FLAGS,
    "--network",
    "host", // the emulator listens on the host's loopback
    "--pull=never",
    "--http-proxy=false", // podman would pass this machine's proxy variables on; a pod gets none
    "--user",
    "65532:65532",
    "--read-only",
    "--read-only-tmpfs=false", // Kubernetes' readOnlyRootFilesystem gives no writable /tmp either
    "--cap-drop",
    "ALL",
    "--security-opt",
    "no-new-privileges",
    "--memory",
    "128m",
    "--volume",
    `${projectionDir}:${tokenDir}:ro`,
    "--volume",
    `${caCertPath}:${CA_FILE}:ro`,
    ...Object.entries(env).flatMap(([key, value]) => ["--env", `${key}=${value}`]),
    image,
    ...podArgs,
  ];
  const child = spawn("podman", args, { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const listeners = new Set();
  const onData = (chunk) => {
    output += chunk.toString();
    for (const listener of listeners) listener();
  };
  child.stdout.on("data", onData);
  child.stderr.on("data", onData);
  let exitCode;
  const exited = new Promise((resolve) => {
    child.on("close", (code, signal) => {
      exitCode = code ?? (signal ? `signal ${signal}` : 1);
      for (const listener of listeners) listener();
      resolve(exitCode);
    });
  });

  /** Resolves when the output matches `pattern`; rejects on timeout or if the container exits first. */
  function waitFor(pattern, timeoutMs) {
    return new Promise((resolve, reject) => {
      const done = (error, value) => {
        clearTimeout(timer);
        listeners.delete(test);
        if (error) reject(error);
        else resolve(value);
      };
      const test = () => {
        const match = pattern.exec(output);
        if (match) done(undefined, match);
        else if (exitCode !== undefined) {
          done(
            new Error(`container exited (${exitCode}) before printing ${pattern}; output:\n${tail(output)}`),
          );
        }
      };
      const timer = setTimeout(() => {
        done(new Error(`no ${pattern} within ${timeoutMs} ms; output:\n${tail(output)}`));
      }, timeoutMs);
      listeners.add(test);
      test();
    });
  }

  /** `podman stop --time` (SIGTERM, then SIGKILL after that many seconds); resolves with the exit code and ms. */
  async function stop(graceSeconds) {
    const started = Date.now();
    await podman(["stop", "--time", String(graceSeconds), name]);
    const code = await exited;
    return { code, ms: Date.now() - started };
  }

  /** Resolves with the exit code once the container exits by itself (a one-off command, like a Job's). */
  function wait(timeoutMs) {
    let timer;
    const timeout = new Promise((resolve, reject) => {
      timer = setTimeout(() => {
        reject(new Error(`still running after ${timeoutMs} ms; output:\n${tail(output)}`));
      }, timeoutMs);
    });
    return Promise.race([exited, timeout]).finally(() => clearTimeout(timer));
  }

  async function memoryUsage() {
    const { stdout } = await podman(["stats", "--no-stream", "--format", "{{.MemUsage}}", name]);
    return stdout.trim();
  }

  async function remove() {
    if (exitCode === undefined) await podman(["rm", "--force", "--time", "0", name]);
    await exited;
  }

  return {
    output: () => output,
    running: () => exitCode === undefined,
    waitFor,
    wait,
    stop,
    memoryUsage,
    remove,
  };
}

function tail(text, lines = 20) {
  return text.trim().split("\n").slice(-lines).join("\n");
}

// Runs Node programs as a pod would run them: a fresh process whose environment is the emulator's.
import { spawn, type ChildProcess } from "node:child_process";

export interface ChildResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** The parent's environment minus anything Azure-related, plus `env`: nothing leaks in from the developer's shell. */
export function podEnvironment(env: Record<string, string>): NodeJS.ProcessEnv {
  const base = Object.fromEntries(
    Object.entries(process.env).filter(
      ([name]) => !/^(AZURE_|NODE_EXTRA_CA_CERTS|KEYVAULT_URL|SECRET_NAME|GRAPH_ENDPOINT)/.test(name),
    ),
  );
  return { ...base, ...env };
}

export function runNode(
  args: string[],
  env: Record<string, string>,
  timeoutMs = 30_000,
): Promise<ChildResult> {
  const child = spawn(process.execPath, args, {
    env: podEnvironment(env),
    stdio: ["ignore", "pipe", "pipe"],
  });
  return collect(child, timeoutMs);
}

export function collect(child: ChildProcess, timeoutMs: number): Promise<ChildResult> {
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`child did not exit within ${timeoutMs} ms\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, timeoutMs);
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      // 'exit' can precede the last 'data' events; 'close' would wait for grandchildren holding the pipes.
      setImmediate(() => {
        resolve({ code, signal, stdout, stderr });
      });
    });
  });
}

/** Resolves with the stdout seen so far once `pattern` appears in it. */
export function waitForOutput(child: ChildProcess, pattern: RegExp, timeoutMs = 20_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = "";
    let errors = "";
    const timer = setTimeout(() => {
      reject(new Error(`no ${String(pattern)} within ${timeoutMs} ms: ${seen}\n${errors}`));
    }, timeoutMs);
    child.stderr?.on("data", (chunk: Buffer) => {
      errors += chunk.toString();
    });
    child.stdout?.on("data", (chunk: Buffer) => {
      seen += chunk.toString();
      if (pattern.test(seen)) {
        clearTimeout(timer);
        resolve(seen);
      }
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${String(code)} before ${String(pattern)}: ${seen}\n${errors}`));
    });
  });
}

// klog's text format, as Kubernetes components and the msal-go sample print it, so `kubectl logs` reads the
// same and `grep ^E` isolates errors:  Lmmdd hh:mm:ss.uuuuuu     pid file:line] "message" key="value" ...
import { basename } from "node:path";

export type Severity = "I" | "W" | "E" | "F";

export interface KlogOptions {
  /** Where lines go (default: process.stderr, as klog writes). */
  write?: (line: string) => void;
  now?: () => Date;
  pid?: number;
}

export interface Klog {
  info(message: string, ...keysAndValues: unknown[]): void;
  warning(message: string, ...keysAndValues: unknown[]): void;
  /** klog.ErrorS: the error goes first, as `err="..."`. */
  error(error: unknown, message: string, ...keysAndValues: unknown[]): void;
  /** Logs at severity F; the caller decides how to exit. */
  fatal(message: string, ...keysAndValues: unknown[]): void;
}

export function createKlog(options: KlogOptions = {}): Klog {
  const write = options.write ?? ((line: string) => process.stderr.write(line));
  const now = options.now ?? (() => new Date());
  const pid = options.pid ?? process.pid;
  const emit = (severity: Severity, message: string, keysAndValues: unknown[]) => {
    write(`${formatLine(severity, now(), pid, callerOf(emit), message, keysAndValues)}\n`);
  };
  return {
    info: (message, ...kv) => {
      emit("I", message, kv);
    },
    warning: (message, ...kv) => {
      emit("W", message, kv);
    },
    error: (error, message, ...kv) => {
      emit("E", message, error === undefined ? kv : ["err", errorText(error), ...kv]);
    },
    fatal: (message, ...kv) => {
      emit("F", message, kv);
    },
  };
}

export function formatLine(
  severity: Severity,
  date: Date,
  pid: number,
  caller: string,
  message: string,
  keysAndValues: unknown[],
): string {
  const two = (n: number) => String(n).padStart(2, "0");
  const micros = String(date.getMilliseconds() * 1000).padStart(6, "0");
  const header =
    `${severity}${two(date.getMonth() + 1)}${two(date.getDate())} ` +
    `${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}.${micros} ` +
    `${String(pid).padStart(7)} ${caller}]`;
  let line = `${header} ${quote(message)}`;
  for (let i = 0; i < keysAndValues.length; i += 2) {
    const key = keysAndValues[i];
    const value = i + 1 < keysAndValues.length ? keysAndValues[i + 1] : "(MISSING)";
    line += ` ${String(key)}=${formatValue(value)}`;
  }
  return line;
}

function formatValue(value: unknown): string {
  if (typeof value === "string") return quote(value);
  if (typeof value === "number" || typeof value === "boolean" || value === null || value === undefined)
    return String(value);
  if (value instanceof Error) return quote(errorText(value));
  return JSON.stringify(value);
}

/** Go's %q for the strings that matter here: JSON's escaping keeps a value on one line. */
function quote(text: string): string {
  return JSON.stringify(text);
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** `file:line` of the code that called the logger, like klog's caller information. */
function callerOf(below: (...args: never[]) => unknown): string {
  const holder: { stack?: string } = {};
  Error.captureStackTrace(holder, below);
  // Frames: the Klog method, then its caller.
  const frame = holder.stack?.split("\n")[2] ?? "";
  const match = /([^/\\\s(]+):(\d+):\d+\)?\s*$/.exec(frame);
  return match ? `${basename(match[1] ?? "?")}:${match[2] ?? "0"}` : "?:0";
}

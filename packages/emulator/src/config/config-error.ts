// The configuration's one error class and the checks every section of the configuration shares.

export class EmulatorConfigError extends Error {
  readonly code = "ERR_EMULATOR_CONFIG";
  constructor(path: string, problem: string) {
    super(`Invalid emulator configuration at ${path}: ${problem}`);
    this.name = "EmulatorConfigError";
  }
}

export const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function requireGuid(value: unknown, path: string): string {
  if (typeof value !== "string" || !GUID.test(value)) {
    throw new EmulatorConfigError(path, `${JSON.stringify(value)} is not a GUID`);
  }
  return value;
}

export function requirePort(port: unknown, path: string): number {
  if (typeof port !== "number" || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new EmulatorConfigError(path, "must be a port number from 0 (any free port) to 65535");
  }
  return port;
}

export function requireString(value: unknown, path: string): string {
  if (typeof value !== "string" || value === "")
    throw new EmulatorConfigError(path, "must be a non-empty string");
  return value;
}

export function requireOneOf(value: unknown, allowed: readonly string[], path: string): void {
  if (!allowed.includes(value as string)) {
    throw new EmulatorConfigError(path, `must be one of ${allowed.map((a) => `"${a}"`).join(", ")}`);
  }
}

export function requirePositive(value: number, path: string): void {
  if (!(typeof value === "number" && value > 0 && Number.isFinite(value))) {
    throw new EmulatorConfigError(path, "must be a positive number");
  }
}

export function assertUnique(values: string[], path: string): void {
  const seen = new Set<string>();
  for (const v of values) {
    if (seen.has(v.toLowerCase())) throw new EmulatorConfigError(path, `"${v}" appears twice`);
    seen.add(v.toLowerCase());
  }
}

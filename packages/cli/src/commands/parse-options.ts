// Helpers for the commands' node:util parseArgs calls: usage errors, required and repeated options.
import { WorkloadIdentityCliError } from "../errors.js";

/** Runs a `parseArgs` call, turning what it throws (unknown option, missing value...) into a usage error. */
export function parsed<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    throw usageError((error as Error).message);
  }
}

export function usageError(problem: string): WorkloadIdentityCliError {
  return new WorkloadIdentityCliError("ERR_USAGE", problem.replace(/\s+/g, " ").trim());
}

/** A required string option, present and not empty. */
export function requireOption(name: string, value: string | undefined): string {
  if (value === undefined || value.trim() === "") throw usageError(`--${name} is required.`);
  return value.trim();
}

/** Repeated `--public-keys` options, each possibly comma-separated as azwi accepts them. */
export function keyFiles(values: string[] | undefined): string[] {
  const files = (values ?? []).flatMap((value) => value.split(",")).map((file) => file.trim());
  if (files.length === 0 || files.some((file) => file === "")) {
    throw usageError("--public-keys FILE is required (repeat it for several files).");
  }
  return files;
}

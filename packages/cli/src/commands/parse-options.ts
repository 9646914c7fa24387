// Helpers for the commands' node:util parseArgs calls: usage errors, required and repeated options.
import { parseArgs, type ParseArgsConfig } from "node:util";
import { WorkloadIdentityCliError } from "../errors.js";
import { redactUrl } from "../lib/redact-url.js";

type OptionsConfig = NonNullable<ParseArgsConfig["options"]>;
type Values<O extends OptionsConfig> = ReturnType<
  typeof parseArgs<{ args: string[]; options: O; strict: true; allowPositionals: true }>
>["values"];

/**
 * The values of `args` (strict: an unknown option, or one missing its value, is a usage error). A positional
 * argument is refused here rather than by parseArgs, whose message would repeat it whole: it is often a URL
 * given without its option, and may carry a password.
 */
export function parseOptions<O extends OptionsConfig>(args: string[], options: O): Values<O> {
  const { values, positionals } = parsed(() =>
    parseArgs({ args, options, strict: true, allowPositionals: true }),
  );
  const [first] = positionals;
  if (first !== undefined) {
    throw usageError(
      `Unexpected argument '${redactUrl(first)}'; this command takes options only (is an option name missing before it?)`,
    );
  }
  return values;
}

/** The values and the operands (files, "-") of a command that takes both; unknown options are usage errors. */
export function parseOptionsAndOperands<O extends OptionsConfig>(
  args: string[],
  options: O,
): { values: Values<O>; operands: string[] } {
  const { values, positionals } = parsed(() =>
    parseArgs({ args, options, strict: true, allowPositionals: true }),
  );
  return { values, operands: positionals };
}

/** Runs a `parseArgs` call, turning what it throws (unknown option, missing value...) into a usage error. */
function parsed<T>(parse: () => T): T {
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

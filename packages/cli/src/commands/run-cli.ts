// Dispatches `workload-identity <command>` and turns errors into one-line messages and exit codes.
import { exitCodeOf, isUsageError, WorkloadIdentityCliError } from "../errors.js";
import { checkCommand } from "./check-command.js";
import { doctorCommand } from "./doctor-command.js";
import type { CliIo } from "./io.js";
import { issuerDocsCommand } from "./issuer-docs-command.js";
import { jwksCommand } from "./jwks-command.js";
import { MAIN_USAGE } from "./usage.js";

const COMMANDS: Record<string, (argv: string[], io: CliIo) => Promise<number>> = {
  doctor: doctorCommand,
  check: checkCommand,
  jwks: jwksCommand,
  "issuer-docs": issuerDocsCommand,
};

/** Runs one command line; resolves with the exit code (0 ok, 1 failed, 2 usage). */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === "-h" || name === "--help" || name === "help") {
    const command = rest[0];
    if (command !== undefined && command in COMMANDS) return runCli([command, "--help"], io);
    io.stdout(`${MAIN_USAGE}\n`);
    return 0;
  }
  const command = name === undefined ? undefined : COMMANDS[name];
  if (command === undefined) {
    const problem = name === undefined ? "no command given" : `unknown command ${JSON.stringify(name)}`;
    io.stderr(`workload-identity: ${problem}; use doctor, check, jwks or issuer-docs.\n\n${MAIN_USAGE}\n`);
    return 2;
  }
  try {
    return await command(rest, io);
  } catch (error) {
    if (!(error instanceof WorkloadIdentityCliError)) throw error;
    const code = exitCodeOf(error);
    const help = isUsageError(error) ? ` Run 'workload-identity ${name} --help' for usage.` : "";
    const message = /[.!?]$/.test(error.message) ? error.message : `${error.message}.`;
    io.stderr(`workload-identity ${name}: ${message}${help}\n`);
    return code;
  }
}

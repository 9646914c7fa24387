// Parses the emulator CLI's arguments and its configuration file's text; pure, so it is tested without
// starting anything. No message repeats what it parses: an argument may be a URL with a password, and the
// configuration holds the vaults' secrets.
import { parseArgs } from "node:util";
import type { EmulatorConfigInput } from "./config/emulator-config.js";

export interface CliArgs {
  help: boolean;
  json: boolean;
  realHostnames: boolean;
  configPath?: string;
  stateDir?: string;
  writeEnv?: string;
}

export const USAGE = `Usage: workload-identity-emulator [options]

Starts an emulated OIDC issuer, kubelet token projection, Entra ID, Key Vault and Microsoft Graph on
loopback HTTPS, prints the pod environment, and runs until SIGINT or SIGTERM.

Options:
  --config FILE      JSON configuration document (identities, federated credentials, vaults, faults...;
                     an "identityBinding" section turns on AKS identity-binding mode: a token proxy)
  --state-dir DIR    keeps the CA, signing keys and projected token here, reused on restart
                     (default: ./.emulator-state)
  --real-hostnames   serve login.microsoftonline.com, {vault}.vault.azure.net, graph.microsoft.com and an
                     AKS issuer host (or a national cloud's names, by graph.audience in --config)
                     under those real names, through an HTTP proxy (HTTPS_PROXY) that
                     refuses every other destination; any client in any language then runs unchanged
                     with the printed environment. Its CA, in the state directory, is name-constrained to
                     those names: NEVER install it in a system trust store (the printed variables hand it
                     to each runtime).
  --json             print the environment as JSON instead of export lines
  --write-env FILE   also write the export lines to FILE (for scripts that start it in the background;
                     Node 20 itself would swallow an option named --env-file)
  -h, --help         show this help

Examples:
  workload-identity-emulator --write-env /tmp/emulator.env &
  . /tmp/emulator.env && node your-app.js

  workload-identity-emulator --real-hostnames --write-env /tmp/emulator.env &
  . /tmp/emulator.env && python3 your_app.py    # or any Azure SDK client, curl, go run ...`;

export class CliUsageError extends Error {
  readonly code = "ERR_EMULATOR_USAGE";
  constructor(message: string) {
    super(message);
    this.name = "CliUsageError";
  }
}

export function parseCliArgs(argv: string[]): CliArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        config: { type: "string" },
        "state-dir": { type: "string" },
        json: { type: "boolean", default: false },
        "real-hostnames": { type: "boolean", default: false },
        "write-env": { type: "string" },
        help: { type: "boolean", short: "h", default: false },
      },
      strict: true,
      // Refused below: parseArgs' own message would quote the argument.
      allowPositionals: true,
    });
  } catch (error) {
    throw new CliUsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (positionals.length > 0) {
    const count = `${positionals.length} argument${positionals.length === 1 ? "" : "s"}`;
    throw new CliUsageError(
      `This command takes options only, and got ${count} without one; pass files as --config FILE, --state-dir DIR or --write-env FILE.`,
    );
  }
  return {
    help: values.help,
    json: values.json,
    realHostnames: values["real-hostnames"],
    ...(values.config === undefined ? {} : { configPath: values.config }),
    stateDir: values["state-dir"] ?? ".emulator-state",
    ...(values["write-env"] === undefined ? {} : { writeEnv: values["write-env"] }),
  };
}

/**
 * The configuration file's text as JSON. A syntax error names the line and column, never the text around it
 * (V8's messages quote it, and it holds the vaults' secrets).
 */
export function parseConfigJson(text: string, path: string): EmulatorConfigInput {
  try {
    return JSON.parse(text) as EmulatorConfigInput;
  } catch (error) {
    throw new CliUsageError(`The configuration file ${path} is not valid JSON${syntaxProblem(error, text)}.`);
  }
}

/** What is wrong and where, from V8's message but without the text it quotes. */
function syntaxProblem(error: unknown, text: string): string {
  const message = error instanceof Error ? error.message : "";
  // "<problem> in JSON at position N": the problem is V8's own words, never the document's.
  const at = /^([^"]*?) in JSON at position (\d+)/.exec(message);
  if (at?.[1] !== undefined && at[2] !== undefined)
    return `: ${at[1]} at ${lineAndColumn(text, Number(at[2]))}`;
  if (message.startsWith("Unexpected end of JSON input")) return ": Unexpected end of JSON input";
  // "Unexpected token 'x', "...text..." is not valid JSON" gives no position: find it.
  return `: Unexpected token at ${lineAndColumn(text, unexpectedTokenAt(text))}`;
}

/** The bad token starts where the longest prefix of the text that fails only by ending early ends. */
function unexpectedTokenAt(text: string): number {
  let low = 0;
  let high = text.length;
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (endsEarly(text.slice(0, middle))) low = middle;
    else high = middle;
  }
  return low;
}

function endsEarly(prefix: string): boolean {
  try {
    JSON.parse(prefix);
    return false;
  } catch (error) {
    const message = (error as Error).message;
    const position = /in JSON at position (\d+)/.exec(message)?.[1];
    return (
      message.startsWith("Unexpected end") || (position !== undefined && Number(position) >= prefix.length)
    );
  }
}

function lineAndColumn(text: string, position: number): string {
  const lines = text.slice(0, position).split("\n");
  return `line ${lines.length}, column ${(lines.at(-1)?.length ?? 0) + 1}`;
}

/** `export NAME='value'` lines, single-quoted so any value survives `eval`. */
export function formatExports(env: Record<string, string>): string {
  return Object.entries(env)
    .map(([name, value]) => `export ${name}='${value.replace(/'/g, `'\\''`)}'`)
    .join("\n");
}

// Parses the emulator CLI's arguments; pure, so it is tested without starting anything.
import { parseArgs } from "node:util";

export interface CliArgs {
  help: boolean;
  json: boolean;
  configPath?: string;
  stateDir?: string;
  writeEnv?: string;
}

export const USAGE = `Usage: workload-identity-emulator [options]

Starts an emulated OIDC issuer, kubelet token projection, Entra ID, Key Vault and Microsoft Graph on
loopback HTTPS, prints the pod environment, and runs until SIGINT or SIGTERM.

Options:
  --config FILE      JSON configuration document (identities, federated credentials, vaults, faults...)
  --state-dir DIR    keeps the CA, signing keys and projected token here, reused on restart
                     (default: ./.emulator-state)
  --json             print the environment as JSON instead of export lines
  --write-env FILE   also write the export lines to FILE (for scripts that start it in the background;
                     Node 20 itself would swallow an option named --env-file)
  -h, --help         show this help

Example:
  workload-identity-emulator --write-env /tmp/emulator.env &
  . /tmp/emulator.env && node your-app.js`;

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
        "write-env": { type: "string" },
        help: { type: "boolean", short: "h", default: false },
      },
      strict: true,
      allowPositionals: false,
    });
  } catch (error) {
    throw new CliUsageError((error as Error).message);
  }
  const { values } = parsed;
  return {
    help: values.help,
    json: values.json,
    ...(values.config === undefined ? {} : { configPath: values.config }),
    stateDir: values["state-dir"] ?? ".emulator-state",
    ...(values["write-env"] === undefined ? {} : { writeEnv: values["write-env"] }),
  };
}

/** `export NAME='value'` lines, single-quoted so any value survives `eval`. */
export function formatExports(env: Record<string, string>): string {
  return Object.entries(env)
    .map(([name, value]) => `export ${name}='${value.replace(/'/g, `'\\''`)}'`)
    .join("\n");
}

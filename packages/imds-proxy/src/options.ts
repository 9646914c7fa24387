// The command line, parsed and validated in one pure function: serve (port, bind address) or probe.
import { isIP } from "node:net";
import { parseArgs } from "node:util";

export const DEFAULT_PORT = 8000;
/** Loopback, as the upstream proxy listens: iptables' OUTPUT REDIRECT delivers to 127.0.0.1 anyway. */
export const DEFAULT_BIND = "127.0.0.1";
export const DEFAULT_PROBE_TIMEOUT_SECONDS = 10;

export type CommandLine =
  | { command: "help" }
  | { command: "serve"; port: number; bind: string }
  | { command: "probe"; port: number; probeUrl: string; probeTimeoutMs: number };

export type CommandLineResult = { ok: true; commandLine: CommandLine } | { ok: false; problem: string };

export const USAGE = `Usage: workload-identity-imds-proxy [options]

An IMDS-compatible token endpoint (GET /metadata/identity/oauth2/token) backed by Entra ID Workload Identity,
for apps still on SDKs that call the Instance Metadata Service.

Options:
  --proxy-port PORT       port to listen on (default ${DEFAULT_PORT})
  --bind ADDRESS          address to listen on (default ${DEFAULT_BIND}; the iptables redirect needs no other)
  --probe                 do not serve: wait until the proxy on --proxy-port answers /readyz, exit 0 (ready) or 1
  --probe-timeout SECONDS how long --probe keeps trying (default ${DEFAULT_PROBE_TIMEOUT_SECONDS})
  --help                  show this help

Environment (injected by the Workload Identity webhook): AZURE_CLIENT_ID (the identity used when a request has
no client_id), AZURE_TENANT_ID, AZURE_FEDERATED_TOKEN_FILE, AZURE_AUTHORITY_HOST; in an AKS identity-binding pod
also AZURE_KUBERNETES_TOKEN_PROXY, which sends every token request through the cluster's token proxy, with
AZURE_KUBERNETES_SNI_NAME and AZURE_KUBERNETES_CA_FILE or AZURE_KUBERNETES_CA_DATA.
`;

export function parseCommandLine(args: readonly string[]): CommandLineResult {
  let values;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: [...args],
      options: {
        "proxy-port": { type: "string" },
        bind: { type: "string" },
        probe: { type: "boolean" },
        "probe-timeout": { type: "string" },
        help: { type: "boolean" },
      },
      strict: true,
      // Refused below: parseArgs' own message would quote the argument, which may be a URL with a password.
      allowPositionals: true,
    }));
  } catch (error) {
    // parseArgs explains over several lines; a usage error is one.
    return { ok: false, problem: messageOf(error).replace(/\s*\n\s*/g, " ") };
  }
  if (values.help === true) return { ok: true, commandLine: { command: "help" } };
  if (positionals.length > 0) {
    const count = `${positionals.length} argument${positionals.length === 1 ? "" : "s"}`;
    return {
      ok: false,
      problem: `takes options only, and got ${count} without one; give each value after its option, e.g. --proxy-port ${DEFAULT_PORT}`,
    };
  }

  const port = parsePort(values["proxy-port"]);
  if (typeof port === "string") return { ok: false, problem: port };
  const bind = (values.bind ?? DEFAULT_BIND).trim();
  if (isIP(bind) === 0) {
    return {
      ok: false,
      problem: `--bind ${JSON.stringify(bind)} is not an IP address; use e.g. 127.0.0.1 (default) or 0.0.0.0`,
    };
  }

  if (values.probe !== true) {
    if (values["probe-timeout"] !== undefined) return { ok: false, problem: "--probe-timeout needs --probe" };
    return { ok: true, commandLine: { command: "serve", port, bind } };
  }
  if (port === 0) return { ok: false, problem: "--probe needs the proxy's real port, not 0" };
  const seconds = Number(values["probe-timeout"] ?? DEFAULT_PROBE_TIMEOUT_SECONDS);
  if (values["probe-timeout"]?.trim() === "" || !(Number.isFinite(seconds) && seconds > 0)) {
    return {
      ok: false,
      problem: `--probe-timeout ${JSON.stringify(values["probe-timeout"])} is not a positive number of seconds`,
    };
  }
  return {
    ok: true,
    commandLine: {
      command: "probe",
      port,
      probeUrl: `http://${probeHost(bind)}:${port}/readyz`,
      probeTimeoutMs: seconds * 1000,
    },
  };
}

function parsePort(text: string | undefined): number | string {
  if (text === undefined) return DEFAULT_PORT;
  const port = Number(text);
  if (!/^\d+$/.test(text.trim()) || port > 65535) {
    return `--proxy-port ${JSON.stringify(text)} is not a port number (0-65535)`;
  }
  return port;
}

/** A wildcard bind is reached on loopback; an IPv6 literal needs brackets in a URL. */
function probeHost(bind: string): string {
  if (bind === "0.0.0.0" || bind === "::") return "127.0.0.1";
  return isIP(bind) === 6 ? `[${bind}]` : bind;
}

function messageOf(error: unknown): string {
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === "string" ? message : String(error);
}

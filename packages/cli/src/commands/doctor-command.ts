// `workload-identity doctor`: parses the options, runs the checks, prints the report; exit 0 only if none failed.
import { formatJsonReport } from "../doctor/json-report.js";
import { runDoctor } from "../doctor/run-doctor.js";
import { formatTextReport } from "../doctor/text-report.js";
import type { CliIo } from "./io.js";
import { parseOptions, usageError } from "./parse-options.js";
import { DOCTOR_USAGE } from "./usage.js";

export async function doctorCommand(argv: string[], io: CliIo): Promise<number> {
  const values = parseOptions(argv, {
    scope: { type: "string" },
    audience: { type: "string" },
    "token-file": { type: "string" },
    "timeout-ms": { type: "string" },
    json: { type: "boolean", default: false },
    help: { type: "boolean", short: "h", default: false },
  });
  if (values.help) {
    io.stdout(`${DOCTOR_USAGE}\n`);
    return 0;
  }
  const scope = values.scope?.trim();
  if (scope === "") throw usageError("--scope must not be empty.");
  const audience = values.audience?.trim();
  if (audience === "") throw usageError("--audience must not be empty.");
  const tokenFile = values["token-file"]?.trim();
  if (tokenFile === "") throw usageError("--token-file must not be empty.");
  const timeoutMs = parseTimeout(values["timeout-ms"]);

  const report = await runDoctor({
    env: io.env,
    ...(scope === undefined ? {} : { scope }),
    ...(audience === undefined ? {} : { audience }),
    ...(tokenFile === undefined ? {} : { tokenFile }),
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
  });
  io.stdout(values.json ? formatJsonReport(report) : formatTextReport(report));
  return report.ok ? 0 : 1;
}

/** setTimeout's longest delay: Node fires a longer AbortSignal.timeout after 1 ms, failing every check at once. */
const MAX_TIMEOUT_MS = 2_147_483_647;

function parseTimeout(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const timeoutMs = Number(value);
  if (!/^\d+$/.test(value.trim()) || timeoutMs <= 0) {
    throw usageError(
      `--timeout-ms must be a whole number of milliseconds above 0, not ${JSON.stringify(value)}.`,
    );
  }
  if (timeoutMs > MAX_TIMEOUT_MS) {
    throw usageError(
      `--timeout-ms must be at most ${MAX_TIMEOUT_MS} milliseconds (about 24.8 days), not ${JSON.stringify(value)}.`,
    );
  }
  return timeoutMs;
}

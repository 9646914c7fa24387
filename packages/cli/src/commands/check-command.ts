// `workload-identity check`: reads Kubernetes manifests and says, per workload, whether Workload Identity will
// work there and why not; exit 0 when none fails, 1 when one will, 2 for input or options it cannot use.
import { CheckInputError } from "../check/check-input-error.js";
import { formatInputProblem } from "../check/input/input-problem.js";
import { formatCheckGithub, formatInputProblemsGithub } from "../check/report/github-report.js";
import { formatCheckJson } from "../check/report/json-report.js";
import { formatCheckText } from "../check/report/text-report.js";
import { runCheck } from "../check/run-check.js";
import type { CliIo } from "./io.js";
import { parseOptionsAndOperands, usageError } from "./parse-options.js";
import { CHECK_USAGE } from "./usage.js";

const FORMATS = ["text", "json", "github"] as const;
type Format = (typeof FORMATS)[number];

export async function checkCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, operands } = parseOptionsAndOperands(argv, {
    namespace: { type: "string", short: "n" },
    issuer: { type: "string" },
    audience: { type: "string" },
    cloud: { type: "string" },
    "webhook-version": { type: "string" },
    "federated-credentials": { type: "string", multiple: true },
    format: { type: "string" },
    json: { type: "boolean", default: false },
    help: { type: "boolean", short: "h", default: false },
  });
  if (values.help) {
    io.stdout(`${CHECK_USAGE}\n`);
    return 0;
  }
  const format = formatOf(values.format, values.json);
  if (operands.length === 0) {
    throw usageError("give the manifests to check: files, directories, or - for standard input.");
  }
  if (operands.filter((operand) => operand === "-").length > 1) {
    throw usageError("- (standard input) can be given once.");
  }
  if (operands.some((operand) => operand.trim() === "")) throw usageError("an empty argument is not a file.");
  const readStdin = io.readStdin;
  try {
    const { report, warnings } = await runCheck({
      inputs: operands,
      ...(readStdin === undefined ? {} : { readStdin }),
      ...(values.namespace === undefined ? {} : { namespace: values.namespace }),
      ...(values.issuer === undefined ? {} : { issuer: values.issuer }),
      ...(values.audience === undefined ? {} : { audience: values.audience }),
      ...(values.cloud === undefined ? {} : { cloud: values.cloud }),
      ...(values["webhook-version"] === undefined ? {} : { webhookVersion: values["webhook-version"] }),
      ...(values["federated-credentials"] === undefined
        ? {}
        : { federatedCredentials: values["federated-credentials"] }),
    });
    for (const warning of warnings) io.stderr(`workload-identity check: warning: ${warning}\n`);
    const print = { text: formatCheckText, json: formatCheckJson, github: formatCheckGithub }[format];
    io.stdout(print(report));
    return report.ok ? 0 : 1;
  } catch (error) {
    if (!(error instanceof CheckInputError)) throw error;
    // One line per problem, each naming its file and line, rather than the first alone.
    if (format === "github") {
      io.stdout(formatInputProblemsGithub(error.problems));
    }
    for (const problem of error.problems)
      io.stderr(`workload-identity check: ${formatInputProblem(problem)}\n`);
    return 2;
  }
}

function formatOf(format: string | undefined, json: boolean): Format {
  if (format !== undefined && !(FORMATS as readonly string[]).includes(format)) {
    throw usageError(`--format must be text, json or github, not ${JSON.stringify(format)}.`);
  }
  if (json && format !== undefined && format !== "json")
    throw usageError(`--json and --format ${format} disagree.`);
  return json ? "json" : ((format ?? "text") as Format);
}

// GitHub Actions workflow commands: one ::error or ::warning annotation per failed or warned finding, on the
// manifest's file and line, then the text report for the log.
// (https://docs.github.com/actions/reference/workflow-commands-for-github-actions, "Setting an error message")
import { oneLine } from "../../lib/one-line.js";
import { formatInputProblem, type InputProblem } from "../input/input-problem.js";
import { STDIN_NAME } from "../input/sources.js";
import { formatCheckText, titleOf } from "./text-report.js";
import type { CheckReport } from "./types.js";

export function formatCheckGithub(report: CheckReport): string {
  const annotations = report.workloads.flatMap((workload) =>
    workload.findings
      .filter((f) => f.status === "fail" || f.status === "warn")
      .map((f) =>
        command(f.status === "fail" ? "error" : "warning", {
          file: workload.file,
          line: f.line,
          title: `${workload.kind} ${workload.namespace}/${oneLine(workload.name)}: ${titleOf(f)}`,
          message: `${f.message}${f.fix === undefined ? "" : ` → fix: ${f.fix}`}`,
        }),
      ),
  );
  return `${annotations.map((a) => `${a}\n`).join("")}${formatCheckText(report)}`;
}

/** One ::error annotation per input problem; stdin has no file to point at. */
export function formatInputProblemsGithub(problems: readonly InputProblem[]): string {
  return problems
    .map((problem) => {
      const file = problem.source === STDIN_NAME ? undefined : problem.source;
      const message = file === undefined ? formatInputProblem(problem) : problem.message;
      return `${command("error", { file, line: problem.line, col: problem.column, title: "workload-identity check", message })}\n`;
    })
    .join("");
}

function command(
  kind: "error" | "warning",
  fields: {
    file?: string | undefined;
    line?: number | undefined;
    col?: number | undefined;
    title: string;
    message: string;
  },
): string {
  const properties = [
    ...(fields.file === undefined ? [] : [`file=${escapeProperty(fields.file)}`]),
    ...(fields.file === undefined || fields.line === undefined ? [] : [`line=${fields.line}`]),
    ...(fields.file === undefined || fields.col === undefined ? [] : [`col=${fields.col}`]),
    `title=${escapeProperty(fields.title)}`,
  ];
  return `::${kind} ${properties.join(",")}::${escapeData(fields.message)}`;
}

/** The runner's escaping of a command's message (actions/toolkit, command.ts escapeData). */
function escapeData(value: string): string {
  return value.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

/** And of a property's value, where ":" and "," also delimit. */
function escapeProperty(value: string): string {
  return escapeData(value).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

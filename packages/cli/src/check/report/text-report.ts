// The check's report for people: each workload, then one line per finding with a mark, what was seen and, when
// something is wrong, the fix; then a summary.
import { oneLine } from "../../lib/one-line.js";
import {
  FINDING_TITLES,
  type CheckReport,
  type Finding,
  type FindingStatus,
  type WorkloadReport,
} from "./types.js";

const MARKS: Record<FindingStatus, string> = { pass: "✔", info: "·", warn: "!", fail: "✘", skip: "-" };

export function formatCheckText(report: CheckReport): string {
  const width = Math.max(0, ...report.workloads.flatMap((w) => w.findings.map((f) => titleOf(f).length)));
  const blocks = report.workloads.map((workload) =>
    [
      heading(workload),
      ...workload.findings.map(
        (f) => `  ${MARKS[f.status]} ${titleOf(f).padEnd(width)}  ${oneLine(f.message)}${oneLine(fixOf(f))}`,
      ),
    ].join("\n"),
  );
  return `${[...blocks, summaryLine(report)].join("\n\n")}\n`;
}

export function titleOf(finding: Finding): string {
  if (finding.id !== "container") return FINDING_TITLES[finding.id];
  return `${finding.init === true ? "init container" : "container"} ${oneLine(finding.container ?? "")}`;
}

function fixOf(finding: Finding): string {
  return finding.fix === undefined || (finding.status !== "fail" && finding.status !== "warn")
    ? ""
    : ` → fix: ${finding.fix}`;
}

function heading(workload: WorkloadReport): string {
  return `${workload.kind} ${workload.namespace}/${oneLine(workload.name)}  (${oneLine(workload.source)}:${workload.line}, service account ${oneLine(workload.serviceAccount)})`;
}

export function summaryLine({ summary, webhook }: CheckReport): string {
  const counts = [
    `${summary.pass} passed`,
    ...(summary.warn > 0 ? [`${summary.warn} with warnings`] : []),
    ...(summary.fail > 0 ? [`${summary.fail} failed`] : []),
  ].join(", ");
  const notUsing = summary["not-using"] > 0 ? `; ${summary["not-using"]} not using Workload Identity` : "";
  const others = Object.entries(summary.otherObjects).sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1));
  const skipped =
    others.length > 0
      ? ` Not workloads: ${others.map(([kind, n]) => `${n} ${oneLine(kind)}`).join(", ")}.`
      : "";
  const using = summary.workloads - summary["not-using"];
  const verdict =
    summary.fail > 0
      ? `${summary.fail === 1 ? "A workload" : `${summary.fail} workloads`} will fail to authenticate`
      : using === 0
        ? "No workload uses Workload Identity"
        : `Workload Identity will work for ${using === 1 ? "the workload" : `all ${using} workloads`} that use${using === 1 ? "s" : ""} it${summary.warn > 0 ? ", if the warnings are answered" : ""}`;
  const workloads = `${summary.workloads} workload${summary.workloads === 1 ? "" : "s"}`;
  return `${workloads}: ${counts}${notUsing}.${skipped} ${verdict} (by the rules of the Workload Identity webhook ${webhook.version}).`;
}

// The doctor's report for people: one line per check with a mark, what it saw and, when it failed, the fix.
import { CHECK_TITLES, type CheckStatus, type DoctorReport } from "./types.js";

const MARKS: Record<CheckStatus, string> = { pass: "✔", warn: "!", fail: "✘", skip: "-" };
const WIDTH = Math.max(...Object.values(CHECK_TITLES).map((title) => title.length));

export function formatTextReport(report: DoctorReport): string {
  const lines = report.checks.map((check) => {
    const fix = check.fix === undefined ? "" : ` → fix: ${check.fix}`;
    return `${MARKS[check.status]} ${CHECK_TITLES[check.id].padEnd(WIDTH)}  ${check.message}${fix}`;
  });
  lines.push("", summaryLine(report));
  return `${lines.join("\n")}\n`;
}

function summaryLine({ summary, checks }: DoctorReport): string {
  const parts = [
    `${summary.pass} passed`,
    ...(summary.warn > 0 ? [`${summary.warn} with warnings`] : []),
    ...(summary.fail > 0 ? [`${summary.fail} failed`] : []),
    ...(summary.skip > 0 ? [`${summary.skip} skipped`] : []),
  ];
  const verdict =
    summary.fail === 0 ? "Workload Identity works here" : "Workload Identity is not working here";
  return `${checks.length} check${checks.length === 1 ? "" : "s"}: ${parts.join(", ")}. ${verdict}.`;
}

// The doctor's report for machines: the same results as the text report, as one JSON document.
import type { DoctorReport } from "./types.js";

export function formatJsonReport(report: DoctorReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

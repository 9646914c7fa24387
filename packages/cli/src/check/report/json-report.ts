// The check's report for machines: the same findings as the text, as one JSON document.
import type { CheckReport } from "./types.js";

export function formatCheckJson(report: CheckReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

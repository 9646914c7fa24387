import { formatJsonReport } from "./json-report.js";
import { formatTextReport } from "./text-report.js";
import type { DoctorReport } from "./types.js";

const REPORT: DoctorReport = {
  ok: false,
  summary: { pass: 1, warn: 1, fail: 1, skip: 1 },
  checks: [
    { id: "AZURE_CLIENT_ID", status: "pass", message: "0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0" },
    {
      id: "token-file",
      status: "warn",
      message: "/t: late",
      fix: "check kubelet",
      code: "ERR_TOKEN_NOT_ROTATED",
    },
    {
      id: "issuer-discovery",
      status: "fail",
      message: "GET x failed",
      fix: "publish it",
      code: "ERR_ISSUER_UNREACHABLE",
    },
    { id: "issuer-jwks", status: "skip", message: "skipped: no JWKS URL" },
  ],
};

describe("formatTextReport", () => {
  it("prints one line per check with its mark, title, message and fix, then a summary", () => {
    expect(formatTextReport(REPORT)).toBe(
      [
        "✔ AZURE_CLIENT_ID             0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0",
        "! token file                  /t: late → fix: check kubelet",
        "✘ issuer discovery            GET x failed → fix: publish it",
        "- issuer JWKS                 skipped: no JWKS URL",
        "",
        "4 checks: 1 passed, 1 with warnings, 1 failed, 1 skipped. Workload Identity is not working here.",
        "",
      ].join("\n"),
    );
  });

  it("says it works when nothing failed", () => {
    const ok: DoctorReport = {
      ok: true,
      summary: { pass: 1, warn: 0, fail: 0, skip: 0 },
      checks: REPORT.checks.slice(0, 1),
    };

    expect(formatTextReport(ok)).toMatch(/\n1 check: 1 passed\. Workload Identity works here\.\n$/);
  });
});

describe("formatJsonReport", () => {
  it("prints the report as indented JSON with a final newline", () => {
    const text = formatJsonReport(REPORT);

    expect(JSON.parse(text)).toEqual(REPORT);
    expect(text.startsWith('{\n  "ok": false,')).toBe(true);
    expect(text.endsWith("}\n")).toBe(true);
  });
});

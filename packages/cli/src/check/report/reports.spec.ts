import { formatCheckGithub, formatInputProblemsGithub } from "./github-report.js";
import { formatCheckJson } from "./json-report.js";
import { formatCheckText, summaryLine } from "./text-report.js";
import type { CheckReport } from "./types.js";

const REPORT: CheckReport = {
  ok: false,
  webhook: { version: "v1.6.0", commit: "04d01a2" },
  summary: {
    workloads: 2,
    pass: 0,
    warn: 0,
    fail: 1,
    "not-using": 1,
    otherObjects: { Service: 1, ConfigMap: 2 },
  },
  workloads: [
    {
      source: "deploy/app.yaml",
      file: "deploy/app.yaml",
      line: 10,
      kind: "Deployment",
      namespace: "apps",
      name: "api",
      serviceAccount: "apps/api",
      verdict: "fail",
      findings: [
        { id: "webhook", status: "pass", message: "mutates its pods", line: 20 },
        {
          id: "service-account",
          status: "fail",
          code: "ERR_NO_CLIENT_ID",
          message: "no client id, 100%",
          fix: "annotate it",
          line: 3,
        },
        {
          id: "container",
          container: "init-db",
          init: true,
          status: "warn",
          code: "WARN_ENV_SET_BY_CONTAINER",
          message: "a:b,c\nd",
          fix: "remove it",
          line: 31,
        },
        {
          id: "federated-credential",
          status: "info",
          message: "needs issuer ...",
          fix: "not shown for info",
          line: 10,
        },
      ],
    },
    {
      source: "(stdin)",
      line: 1,
      kind: "Pod",
      namespace: "default",
      name: "cache",
      serviceAccount: "default/default",
      verdict: "not-using",
      findings: [{ id: "webhook", status: "skip", message: "not using Workload Identity", line: 1 }],
    },
  ],
};

describe("formatCheckText", () => {
  it("prints each workload, then its findings with marks, titles and fixes (for failures and warnings), then a summary", () => {
    expect(formatCheckText(REPORT)).toBe(
      [
        "Deployment apps/api  (deploy/app.yaml:10, service account apps/api)",
        "  ✔ webhook                 mutates its pods",
        "  ✘ service account         no client id, 100% → fix: annotate it",
        "  ! init container init-db  a:b,c\\u000ad → fix: remove it",
        "  · federated credential    needs issuer ...",
        "",
        "Pod default/cache  ((stdin):1, service account default/default)",
        "  - webhook                 not using Workload Identity",
        "",
        "2 workloads: 0 passed, 1 failed; 1 not using Workload Identity. Not workloads: 2 ConfigMap, 1 Service. A workload will fail to authenticate (by the rules of the Workload Identity webhook v1.6.0).",
        "",
      ].join("\n"),
    );
  });

  it("says it works when nothing fails, and when no workload uses Workload Identity", () => {
    const summary = { ...REPORT.summary, pass: 2, fail: 0, "not-using": 0, otherObjects: {} };
    expect(summaryLine({ ...REPORT, ok: true, summary })).toBe(
      "2 workloads: 2 passed. Workload Identity will work for all 2 workloads that use it (by the rules of the Workload Identity webhook v1.6.0).",
    );
    const none = { ...REPORT.summary, workloads: 1, fail: 0, "not-using": 1, otherObjects: {} };
    expect(summaryLine({ ...REPORT, ok: true, summary: none })).toMatch(/No workload uses Workload Identity/);
  });
});

describe("formatCheckGithub", () => {
  it("annotates each failure and warning on its file and line, escaped as the runner expects, then prints the text", () => {
    const lines = formatCheckGithub(REPORT).split("\n");

    expect(lines.slice(0, 2)).toEqual([
      "::error file=deploy/app.yaml,line=3,title=Deployment apps/api%3A service account::no client id, 100%25 → fix: annotate it",
      "::warning file=deploy/app.yaml,line=31,title=Deployment apps/api%3A init container init-db::a:b,c%0Ad → fix: remove it",
    ]);
    expect(lines[2]).toBe("Deployment apps/api  (deploy/app.yaml:10, service account apps/api)");
  });

  it("annotates input problems on their file, line and column; stdin's without a file", () => {
    expect(
      formatInputProblemsGithub([
        { source: "a.yaml", line: 3, column: 5, message: "YAML error: x" },
        { source: "(stdin)", line: 2, message: "the document has no kind" },
      ]),
    ).toBe(
      "::error file=a.yaml,line=3,col=5,title=workload-identity check::YAML error: x\n" +
        "::error title=workload-identity check::(stdin):2: the document has no kind\n",
    );
  });
});

describe("formatCheckJson", () => {
  it("prints the report as indented JSON with a final newline", () => {
    const text = formatCheckJson(REPORT);

    expect(JSON.parse(text)).toEqual(REPORT);
    expect(text.endsWith("}\n")).toBe(true);
  });
});

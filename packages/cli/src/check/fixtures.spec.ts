// Every fixture under packages/cli/test-fixtures/check, run through the check: each must produce exactly the
// finding codes its "# expect:" line names (with the "# options:" its line gives), and every code the check knows
// must be expected by at least one fixture, so that each rule is shown failing as well as passing.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { runCheck } from "./run-check.js";
import { FINDING_CODES } from "./report/types.js";

const ROOT = join(__dirname, "..", "..", "test-fixtures", "check");

interface Fixture {
  file: string;
  group: "pass" | "warn" | "fail";
  expected: string[];
  options: string[];
}

function fixtures(): Fixture[] {
  return (["pass", "warn", "fail"] as const).flatMap((group) =>
    readdirSync(join(ROOT, group))
      .filter((name) => name.endsWith(".yaml"))
      .sort()
      .map((name) => {
        const file = join(ROOT, group, name);
        const text = readFileSync(file, "utf8");
        const expect = /^# expect: (.+)$/m.exec(text)?.[1]?.trim();
        if (expect === undefined) throw new Error(`${file}: no "# expect:" line`);
        const options = /^# options: (.+)$/m.exec(text)?.[1]?.trim().split(/\s+/) ?? [];
        return { file, group, expected: expect === "pass" ? [] : expect.split(/\s+/).sort(), options };
      }),
  );
}

/** The fixture's "# options:" as runCheck options; credential files are named relative to the fixtures. */
function optionsOf(options: string[]): {
  issuer?: string;
  webhookVersion?: string;
  federatedCredentials: string[];
} {
  const parsed: { issuer?: string; webhookVersion?: string; federatedCredentials: string[] } = {
    federatedCredentials: [],
  };
  for (let i = 0; i < options.length; i += 2) {
    const [name, value = ""] = [options[i], options[i + 1]];
    if (name === "--issuer") parsed.issuer = value;
    else if (name === "--webhook-version") parsed.webhookVersion = value;
    else if (name === "--federated-credentials") {
      const at = value.indexOf("=");
      parsed.federatedCredentials.push(
        at === -1 ? join(ROOT, value) : `${value.slice(0, at)}=${join(ROOT, value.slice(at + 1))}`,
      );
    } else throw new Error(`unknown fixture option ${String(name)}`);
  }
  return parsed;
}

const ALL = fixtures();

describe("check fixtures", () => {
  it.each(ALL.map((f) => [`${f.group}/${f.file.split("/").pop() ?? ""}`, f] as const))(
    "%s produces exactly the codes it expects",
    async (_name, fixture) => {
      const { report } = await runCheck({ inputs: [fixture.file], ...optionsOf(fixture.options) });
      const codes = report.workloads.flatMap((w) =>
        w.findings.flatMap((f) => (f.code === undefined ? [] : [f.code])),
      );

      expect(codes.sort()).toEqual(fixture.expected);
      expect(report.ok).toBe(fixture.group !== "fail");
      const statuses = report.workloads.flatMap((w) => w.findings.map((f) => f.status));
      if (fixture.group === "pass") expect(statuses).not.toContain("warn");
      if (fixture.group === "warn") expect(statuses).toContain("warn");
    },
  );

  it("cover every finding code in a failing or warning fixture", () => {
    const expected = new Set(ALL.flatMap((f) => f.expected));

    expect(FINDING_CODES.filter((code) => !expected.has(code))).toEqual([]);
  });

  it("cover every workload kind in a passing fixture", async () => {
    const passing = ALL.filter((f) => f.group === "pass" && f.options.length === 0).map((f) => f.file);
    const { report } = await runCheck({ inputs: passing });

    expect(new Set(report.workloads.filter((w) => w.verdict === "pass").map((w) => w.kind))).toEqual(
      new Set(["Pod", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob"]),
    );
  });
});

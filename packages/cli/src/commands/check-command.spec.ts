import { join } from "node:path";
import { runCli } from "./run-cli.js";

const FIXTURES = join(__dirname, "..", "..", "test-fixtures", "check");
const PASSING = join(FIXTURES, "pass", "chart-rendered.yaml");
const FAILING = join(FIXTURES, "fail", "label-on-deployment.yaml");

async function cli(argv: string[], stdin?: string) {
  let stdout = "";
  let stderr = "";
  const code = await runCli(argv, {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    env: {},
    ...(stdin === undefined ? {} : { readStdin: () => Promise.resolve(stdin) }),
  });
  return { code, stdout, stderr };
}

describe("workload-identity check", () => {
  it("is listed among the commands, and has its own help", async () => {
    expect((await cli(["--help"])).stdout).toMatch(/^ {2}check {9}before deploying/m);
    const help = await cli(["check", "--help"]);
    expect(help).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(/^Usage: workload-identity check \[options\] FILE\|DIR\|- \.\.\./),
    });
    expect(help.stdout).toContain(
      "Exit codes: 0 no workload will fail (warnings allowed), 1 a workload will fail, 2 bad input or options.",
    );
  });

  it("exits 0 for manifests that will work, and prints the report", async () => {
    const { code, stdout, stderr } = await cli(["check", PASSING]);

    expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
    expect(stdout).toMatch(
      /^Deployment default\/api {2}\(.*chart-rendered\.yaml:\d+, service account default\/api\)\n {2}✔ webhook /,
    );
    expect(stdout).toMatch(
      /\n2 workloads: 2 passed\. Not workloads: 1 ConfigMap, 1 Service, 1 ServiceAccount\. Workload Identity will work/,
    );
  });

  it("exits 1 when a workload will fail, with the fix on its line", async () => {
    const { code, stdout } = await cli(["check", FAILING]);

    expect(code).toBe(1);
    expect(stdout).toMatch(
      /^ {2}✘ webhook .* → fix: move azure\.workload\.identity\/use: "true" to spec\.template\.metadata\.labels$/m,
    );
  });

  it("reads standard input for -, as helm template ... | workload-identity check - does", async () => {
    const yaml =
      "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  labels:\n    azure.workload.identity/use: True\nspec:\n  containers: [{ name: web, image: web }]\n";
    const { code, stdout } = await cli(["check", "-"], yaml);

    expect(code).toBe(1);
    expect(stdout).toContain("Pod default/web  ((stdin):1, service account default/default)");
    expect(stdout).toContain("the label azure.workload.identity/use is the YAML boolean True");
  });

  it("prints JSON with --json and --format json alike", async () => {
    const json = await cli(["check", "--json", FAILING]);
    const format = await cli(["check", "--format", "json", FAILING]);

    expect(json.code).toBe(1);
    expect(json.stdout).toBe(format.stdout);
    expect(JSON.parse(json.stdout)).toMatchObject({
      ok: false,
      webhook: { version: "v1.6.0" },
      workloads: [
        {
          kind: "Deployment",
          name: "web",
          verdict: "fail",
          findings: [{ id: "webhook", code: "ERR_USE_LABEL_ON_WORKLOAD", line: 15 }, {}, {}, {}],
        },
      ],
    });
  });

  it("prints workflow annotations with --format github, then the report", async () => {
    const { code, stdout } = await cli(["check", "--format", "github", FAILING]);

    expect(code).toBe(1);
    expect(stdout.split("\n")[0]).toBe(
      `::error file=${FAILING},line=15,title=Deployment default/web%3A webhook::azure.workload.identity/use is on the Deployment's own labels, not on its pod template's: the webhook mutates pods, and they carry spec.template.metadata.labels → fix: move azure.workload.identity/use: "true" to spec.template.metadata.labels`,
    );
    expect(stdout).toContain("\nDeployment default/web  (");
  });

  it("exits 2 for input it cannot read, one line per problem with its file and line, and no report", async () => {
    const { code, stdout, stderr } = await cli(
      ["check", "-", join(FIXTURES, "missing.yaml")],
      "kind: Pod\n---\napiVersion: v1\nkind: [\n",
    );

    expect({ code, stdout }).toEqual({ code: 2, stdout: "" });
    expect(stderr.trimEnd().split("\n")).toEqual([
      "workload-identity check: (stdin):1: the Pod has no apiVersion: every Kubernetes object needs apiVersion and kind",
      expect.stringMatching(/^workload-identity check: \(stdin\):5:1: YAML error: Flow sequence/),
      `workload-identity check: ${join(FIXTURES, "missing.yaml")}: cannot read it (ENOENT)`,
    ]);
  });

  it("annotates input problems too with --format github", async () => {
    const { code, stdout } = await cli(["check", "--format", "github", "-"], "");

    expect(code).toBe(2);
    expect(stdout).toBe(
      "::error title=workload-identity check::(stdin):1: no Kubernetes objects: the input is empty\n",
    );
  });

  it.each([
    [[], /give the manifests to check: files, directories, or - for standard input\./],
    [["-", "-"], /- \(standard input\) can be given once\./],
    [["--format", "sarif", "x"], /--format must be text, json or github, not "sarif"\./],
    [["--json", "--format", "github", "x"], /--json and --format github disagree\./],
    [["--cloud", "mars", "x"], /--cloud must be public, usgov or china, not "mars"\./],
    [["--frobnicate", "x"], /Unknown option '--frobnicate'/],
    [["--issuer", "not a url", "x"], /The issuer URL "not a url" is not a URL/],
  ])("exits 2 for the options %j, pointing at --help", async (argv, message) => {
    const { code, stdout, stderr } = await cli(["check", ...argv]);

    expect({ code, stdout }).toEqual({ code: 2, stdout: "" });
    expect(stderr).toMatch(message);
    expect(stderr).toMatch(/Run 'workload-identity check --help' for usage\.\n$/);
  });

  it("warns on stderr about an http issuer and still checks", async () => {
    const { code, stderr } = await cli(["check", "--issuer", "http://oidc.example/", PASSING]);

    expect(code).toBe(0);
    expect(stderr).toMatch(
      /^workload-identity check: warning: the issuer URL "http:\/\/oidc\.example\/" is not https/,
    );
  });

  it("never prints a password given in --issuer", async () => {
    const { code, stderr } = await cli([
      "check",
      "--issuer",
      "https://admin:Sup3rS3cret@oidc.example/",
      PASSING,
    ]);

    expect(code).toBe(2);
    expect(stderr).not.toMatch(/Sup3rS3cret|admin/);
  });
});

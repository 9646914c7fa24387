// `workload-identity check` as a process, run from its committed bin: over this repository's own manifests (which
// must all pass), on standard input, with --json and --format github, and its exit codes. Its prediction of
// Entra's verdict is then held against the emulated Entra's actual answer to the same token (an oracle that shares
// no code with the CLI).
import { createEmulator, type Emulator } from "@workload-identity/emulator";
import { spawn } from "node:child_process";
import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { collect, podEnvironment, type ChildResult } from "./support/child-process.js";
import { CLI_BIN } from "./support/cli-process.js";
import { freePort, REPO_ROOT } from "./support/samples.js";
import { requestToken, type EntraErrorBody } from "./support/token-request.js";

/** Runs the bin npm links as `workload-identity`, from the repository root, writing `stdin` to it. */
async function check(args: string[], stdin?: string): Promise<ChildResult> {
  const child = spawn(process.execPath, [CLI_BIN, "check", ...args], {
    cwd: REPO_ROOT,
    env: podEnvironment({}),
    stdio: ["pipe", "pipe", "pipe"],
  });
  child.stdin.end(stdin ?? "");
  return collect(child, 30_000);
}

interface JsonReport {
  ok: boolean;
  workloads: {
    source: string;
    kind: string;
    namespace: string;
    name: string;
    verdict: string;
    findings: {
      id: string;
      status: string;
      code?: string;
      line: number;
      details?: Record<string, unknown>;
    }[];
  }[];
}

/** packages/<name>/deploy/*.yaml and samples/<name>/deploy/*.yaml, repository-relative. */
async function ownManifests(): Promise<string[]> {
  const found: string[] = [];
  for (const parent of ["packages", "samples"]) {
    for (const name of await readdir(join(REPO_ROOT, parent))) {
      const deploy = join(REPO_ROOT, parent, name, "deploy");
      const files = await readdir(deploy).catch(() => []);
      found.push(...files.filter((f) => /\.ya?ml$/.test(f)).map((f) => relative(REPO_ROOT, join(deploy, f))));
    }
  }
  return found.sort();
}

describe("workload-identity check on this repository's manifests", () => {
  it("finds the manifests of the samples, the doctor Job and the IMDS sidecar", async () => {
    expect(await ownManifests()).toEqual([
      "packages/cli/deploy/doctor-job.yaml",
      "packages/imds-proxy/deploy/sidecar-pod.yaml",
      "samples/graph-tenant-reader/deploy/kubernetes.yaml",
      "samples/keyvault-quickstart/deploy/kubernetes-identity-binding.yaml",
      "samples/keyvault-quickstart/deploy/kubernetes.yaml",
    ]);
  });

  it("passes them all together: every workload is mutated and nothing fails", async () => {
    const { code, stdout, stderr } = await check(["--json", ...(await ownManifests())]);
    const report = JSON.parse(stdout) as JsonReport;

    expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
    expect(report.ok).toBe(true);
    expect(report.workloads.map((w) => [w.kind, `${w.namespace}/${w.name}`, w.verdict])).toEqual([
      ["Job", "default/workload-identity-doctor", "pass"],
      ["Pod", "default/legacy-app", "pass"],
      ["Deployment", "default/graph-tenant-reader", "pass"],
      ["Pod", "default/keyvault-quickstart", "pass"],
      ["Pod", "default/keyvault-quickstart", "pass"],
    ]);
    const binding = report.workloads.find((w) => w.source.endsWith("kubernetes-identity-binding.yaml"));
    expect(binding?.findings.filter((f) => f.id === "identity-binding").map((f) => f.status)).toEqual([
      "pass",
      "pass",
    ]);
  });

  it.each([
    "packages/cli/deploy/doctor-job.yaml",
    "packages/imds-proxy/deploy/sidecar-pod.yaml",
    "samples/graph-tenant-reader/deploy/kubernetes.yaml",
    "samples/keyvault-quickstart/deploy/kubernetes-identity-binding.yaml",
    "samples/keyvault-quickstart/deploy/kubernetes.yaml",
  ])("passes %s alone", async (file) => {
    const { code, stdout } = await check([file]);

    expect(code).toBe(0);
    expect(stdout).not.toMatch(/^ {2}✘/m);
  });

  it("warns, and only warns, that the doctor Job's service account is not in its file", async () => {
    const { code, stdout } = await check(["--json", "packages/cli/deploy/doctor-job.yaml"]);
    const codes = (JSON.parse(stdout) as JsonReport).workloads.flatMap((w) => w.findings.map((f) => f.code));

    expect(code).toBe(0);
    expect(codes.filter((c) => c !== undefined)).toEqual(["WARN_SERVICE_ACCOUNT_NOT_IN_INPUT"]);
  });
});

describe("workload-identity check as a process", () => {
  it("reads what a chart renders from standard input and exits 1 when a workload will fail", async () => {
    const rendered = [
      "# Source: web/templates/service.yaml",
      "apiVersion: v1",
      "kind: Service",
      "metadata: { name: web }",
      "spec: { ports: [{ port: 80 }] }",
      "---",
      "# Source: web/templates/deployment.yaml",
      "apiVersion: apps/v1",
      "kind: Deployment",
      "metadata:",
      "  name: web",
      "  labels:",
      '    azure.workload.identity/use: "true"',
      "spec:",
      "  selector: { matchLabels: { app: web } }",
      "  template:",
      "    metadata: { labels: { app: web } }",
      "    spec:",
      "      containers: [{ name: web, image: web }]",
    ].join("\n");

    const { code, stdout, stderr } = await check(["-"], rendered);

    expect({ code, stderr }).toEqual({ code: 1, stderr: "" });
    expect(stdout).toContain("Deployment default/web  ((stdin):8, service account default/default)");
    expect(stdout).toMatch(/^ {2}✘ webhook .*is on the Deployment's own labels.* → fix: move /m);
    expect(stdout).toMatch(/Not workloads: 1 Service\. A workload will fail to authenticate/);
  });

  it("searches a directory for .yaml and .yml files and checks them together", async () => {
    const dir = await mkdtemp(join(tmpdir(), "cli-check-"));
    try {
      await mkdir(join(dir, "templates"));
      await writeFile(join(dir, "notes.txt"), "not a manifest");
      await writeFile(
        join(dir, "templates", "account.yml"),
        'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: api\n  annotations:\n    azure.workload.identity/client-id: "0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0"\n',
      );
      await writeFile(
        join(dir, "pod.yaml"),
        'apiVersion: v1\nkind: Pod\nmetadata:\n  name: api\n  labels:\n    azure.workload.identity/use: "true"\nspec:\n  serviceAccountName: api\n  containers: [{ name: api, image: api }]\n',
      );

      const { code, stdout } = await check(["--json", dir]);

      expect(code).toBe(0);
      const report = JSON.parse(stdout) as JsonReport;
      expect(report.workloads.map((w) => [w.name, w.verdict])).toEqual([["api", "pass"]]);
      expect(report.workloads[0]?.findings.find((f) => f.id === "service-account")?.details).toMatchObject({
        clientId: "0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0",
        inInput: true,
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("annotates each failure on its file and line with --format github", async () => {
    const file = "packages/cli/test-fixtures/check/fail/proxy-sidecar.yaml";
    const { code, stdout } = await check(["--format", "github", file]);
    const annotations = stdout.split("\n").filter((line) => line.startsWith("::"));

    expect(code).toBe(1);
    expect(annotations.map((a) => /^::(\w+) file=([^,]+),line=(\d+),/.exec(a)?.slice(1))).toEqual([
      // hostNetwork, the port annotation, the container port that takes 8000.
      ["error", file, "24"],
      ["error", file, "37"],
      ["error", file, "58"],
    ]);
  });

  it.each([
    [
      "bad YAML",
      ["-"],
      "apiVersion: v1\nkind: Pod\nmetadata: { name: [ }\n",
      /^workload-identity check: \(stdin\):3:\d+: YAML error: /,
    ],
    [
      "a document without kind",
      ["-"],
      "apiVersion: v1\nmetadata: { name: a }\n",
      /^workload-identity check: \(stdin\):1: the document has no kind/,
    ],
    [
      "empty input",
      ["-"],
      "",
      /^workload-identity check: \(stdin\):1: no Kubernetes objects: the input is empty$/,
    ],
    [
      "a missing file",
      ["no/such/file.yaml"],
      undefined,
      /^workload-identity check: no\/such\/file\.yaml: cannot read it \(ENOENT\)$/,
    ],
    [
      "an unknown option",
      ["--namespaces", "x", "-"],
      "",
      /^workload-identity check: Unknown option '--namespaces'/,
    ],
  ])("exits 2 for %s, with one line naming the file and line", async (_case, args, stdin, message) => {
    const { code, stdout, stderr } = await check(args, stdin);

    expect({ code, stdout }).toEqual({ code: 2, stdout: "" });
    expect(stderr.trimEnd()).toMatch(message);
    expect(stderr.trimEnd().split("\n")).toHaveLength(1);
  });
});

describe("workload-identity check's prediction of Entra's verdict, against the emulated Entra", () => {
  // One identity per case, each with its own federated credentials, and a pod whose service account names it.
  const CASES = [
    { account: "exact", clientId: "a1a1a1a1-0000-4000-8000-000000000001", credential: {} },
    {
      account: "slash",
      clientId: "a1a1a1a1-0000-4000-8000-000000000002",
      credential: { issuer: "no-slash" },
    },
    {
      account: "case",
      clientId: "a1a1a1a1-0000-4000-8000-000000000003",
      credential: { subject: "system:serviceaccount:apps:Case" },
    },
    {
      account: "namespace",
      clientId: "a1a1a1a1-0000-4000-8000-000000000004",
      credential: { subject: "system:serviceaccount:prod:namespace" },
    },
    {
      account: "audience",
      clientId: "a1a1a1a1-0000-4000-8000-000000000005",
      credential: { audiences: ["api://AzureADTokenExchangeUSGov"] },
    },
    { account: "none", clientId: "a1a1a1a1-0000-4000-8000-000000000006", credential: undefined },
  ] as const;

  let emulator: Emulator;
  let dir: string;

  /** The credential in the emulator's configuration; `issuer` left out means the emulator's own. */
  function credentialOf(
    account: string,
    issuer: string,
    fields: { issuer?: string; subject?: string; audiences?: readonly string[] },
  ) {
    return {
      name: `${account}-fic`,
      issuer: fields.issuer === "no-slash" ? issuer.replace(/\/$/, "") : issuer,
      subject: fields.subject ?? `system:serviceaccount:apps:${account}`,
      audiences: [...(fields.audiences ?? ["api://AzureADTokenExchange"])],
    };
  }

  beforeAll(async () => {
    // The issuer's port is chosen first, so that the credentials can name its URL, with or without the slash.
    const issuer = `https://127.0.0.1:${await freePort()}/`;
    emulator = await createEmulator({
      config: {
        ports: { issuer: Number(new URL(issuer).port) },
        applications: CASES.map(({ account, clientId, credential }) => ({
          clientId,
          displayName: account,
          federatedIdentityCredentials:
            credential === undefined ? [] : [credentialOf(account, issuer, credential)],
        })),
      },
    });
    expect(emulator.urls.issuer).toBe(issuer);
    dir = await mkdtemp(join(tmpdir(), "cli-check-entra-"));
  });

  afterAll(async () => {
    await emulator.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("gives, for each mismatch, the AADSTS code the emulated Entra answers, and passes what it accepts", async () => {
    const manifests = CASES.map(
      ({ account, clientId }) =>
        `apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: ${account}\n  namespace: apps\n  annotations:\n    azure.workload.identity/client-id: "${clientId}"\n---\n` +
        `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${account}\n  namespace: apps\n  labels:\n    azure.workload.identity/use: "true"\nspec:\n  serviceAccountName: ${account}\n  containers: [{ name: app, image: app }]\n`,
    ).join("---\n");
    const options: string[] = [];
    for (const { account, clientId } of CASES) {
      const credentials =
        emulator.config.applications.find((a) => a.clientId === clientId)?.federatedIdentityCredentials ?? [];
      const file = join(dir, `${account}.json`);
      // As az identity federated-credential list prints them.
      await writeFile(
        file,
        JSON.stringify(
          credentials.map((c) => ({
            ...c,
            resourceGroup: "apps",
            type: "Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials",
          })),
        ),
      );
      options.push("--federated-credentials", `${clientId}=${file}`);
    }

    const { code, stdout } = await check(
      ["--json", "--issuer", emulator.urls.issuer, ...options, "-"],
      manifests,
    );
    const report = JSON.parse(stdout) as JsonReport;
    const predicted = report.workloads.map((w) => {
      const verdict = w.findings.find((f) => f.id === "federated-credential" && f.status !== "warn");
      return verdict?.status === "pass"
        ? "accepted"
        : (verdict?.details?.aadsts as number[] | undefined)?.[0];
    });

    const now = Math.floor(Date.now() / 1000);
    const answered = await Promise.all(
      CASES.map(async ({ account, clientId }) => {
        const token = await emulator.issuer.sign({
          iss: emulator.urls.issuer,
          sub: `system:serviceaccount:apps:${account}`,
          aud: ["api://AzureADTokenExchange"],
          iat: now,
          nbf: now,
          exp: now + 3600,
        });
        const response = await requestToken(emulator, token, { client_id: clientId });
        return response.status === 200 ? "accepted" : response.json<EntraErrorBody>().error_codes[0];
      }),
    );

    expect(code).toBe(1);
    expect(predicted).toEqual(answered);
    expect(answered).toEqual(["accepted", 700211, 7002138, 700213, 700212, 70025]);
  });
});

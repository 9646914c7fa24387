import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CheckInputError } from "./check-input-error.js";
import type { CheckOptions } from "./check-settings.js";
import type { Finding, WorkloadReport } from "./report/types.js";
import { runCheck } from "./run-check.js";

async function check(yaml: string, options: Omit<CheckOptions, "inputs"> = {}) {
  const { report } = await runCheck({ inputs: ["-"], readStdin: () => Promise.resolve(yaml), ...options });
  return report;
}

function only(report: { workloads: WorkloadReport[] }): WorkloadReport {
  expect(report.workloads).toHaveLength(1);
  return report.workloads[0] as WorkloadReport;
}

function findingsOf(workload: WorkloadReport, id: Finding["id"]): Finding[] {
  return workload.findings.filter((f) => f.id === id);
}

const ACCOUNT = (
  annotations = '    azure.workload.identity/client-id: "0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0"',
) => `apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: api\n  annotations:\n${annotations}\n---\n`;

const POD = (extra = "", annotations = "") =>
  [
    "apiVersion: v1",
    "kind: Pod",
    "metadata:",
    "  name: api",
    "  labels:",
    '    azure.workload.identity/use: "true"',
    ...(annotations === "" ? [] : ["  annotations:", annotations]),
    "spec:",
    "  serviceAccountName: api",
    "  containers:",
    "    - name: api",
    "      image: example/api:1",
    extra,
  ].join("\n");

describe("runCheck", () => {
  it("takes the namespace of objects without one from --namespace, for the account and the subject", async () => {
    const workload = only(
      await check(`${ACCOUNT()}${POD()}`, { namespace: "shop", issuer: "https://oidc.example/" }),
    );

    expect(workload).toMatchObject({ namespace: "shop", serviceAccount: "shop/api", verdict: "pass" });
    expect(findingsOf(workload, "service-account")[0]?.message).toContain(
      "no namespace in the manifest, so shop (--namespace)",
    );
    expect(findingsOf(workload, "federated-credential")[0]).toMatchObject({
      status: "info",
      details: {
        issuer: "https://oidc.example/",
        subject: "system:serviceaccount:shop:api",
        audience: "api://AzureADTokenExchange",
      },
    });
  });

  it("prefers the pod's token expiration to the service account's, and the account's when the pod's is empty", async () => {
    const account = ACCOUNT(
      '    azure.workload.identity/client-id: "0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0"\n    azure.workload.identity/service-account-token-expiration: "86400"',
    );
    const pods = await Promise.all(
      ['"7200"', '""'].map((value) =>
        check(
          `${account}${POD("", `    azure.workload.identity/service-account-token-expiration: ${value}`)}`,
        ),
      ),
    );

    expect(pods.map((r) => findingsOf(only(r), "token")[0]?.details?.expirationSeconds)).toEqual([
      7200, 86400,
    ]);
    expect(findingsOf(only(pods[0] as never), "token")[0]?.message).toContain(
      "expires after 7200 s (set on the pod)",
    );
  });

  it("reads the deprecated spec.serviceAccount when serviceAccountName is absent", async () => {
    const pod = POD().replace("serviceAccountName: api", "serviceAccount: api");

    expect(only(await check(`${ACCOUNT()}${pod}`))).toMatchObject({
      serviceAccount: "default/api",
      verdict: "pass",
    });
  });

  it("places each finding on the line it is about", async () => {
    const yaml = `${ACCOUNT()}${POD().replace('use: "true"', 'use: "True"')}`;
    const workload = only(await check(yaml));

    expect(workload.line).toBe(8);
    expect(findingsOf(workload, "webhook")[0]).toMatchObject({ code: "ERR_USE_LABEL_VALUE", line: 13 });
  });

  it("mutates init containers too, and says what a container keeps of its own", async () => {
    const yaml = `${ACCOUNT()}${POD(
      [
        "      env:",
        "        - name: AZURE_TENANT_ID",
        '          value: "72f988bf-86f1-41af-91ab-2d7cd011db47"',
        "  initContainers:",
        "    - name: wait",
        "      image: busybox",
      ].join("\n"),
    )}`;
    const containers = findingsOf(only(await check(yaml)), "container");

    expect(containers.map((f) => [f.container, f.init === true, f.status])).toEqual([
      ["wait", true, "pass"],
      ["api", false, "pass"],
    ]);
    expect(containers[1]?.message).toMatch(/; keeps its own AZURE_TENANT_ID$/);
  });

  it("compares a container's AZURE_AUTHORITY_HOST with the one of the cloud given", async () => {
    const yaml = `${ACCOUNT()}${POD('      env:\n        - name: AZURE_AUTHORITY_HOST\n          value: "https://login.microsoftonline.com/"')}`;

    expect(findingsOf(only(await check(yaml)), "container").map((f) => f.status)).toEqual(["pass"]);
    expect(findingsOf(only(await check(yaml, { cloud: "usgov" })), "container")).toEqual([
      expect.objectContaining({ status: "pass" }),
      expect.objectContaining({
        status: "warn",
        code: "WARN_ENV_SET_BY_CONTAINER",
        message: expect.stringContaining("https://login.microsoftonline.us/"),
      }),
    ]);
  });

  it("projects an identity-binding pod's token for api://AKSIdentityBinding", async () => {
    const yaml = `${ACCOUNT()}${POD("", '    azure.workload.identity/use-identity-binding: "true"')}`;
    const workload = only(await check(yaml));

    expect(findingsOf(workload, "token")[0]?.details).toMatchObject({ audience: "api://AKSIdentityBinding" });
    expect(findingsOf(workload, "identity-binding").map((f) => f.status)).toEqual(["pass", "info"]);
  });

  it("counts the objects that are not workloads by kind, and takes workload kinds from other API groups for others", async () => {
    const report = await check(
      `${ACCOUNT()}apiVersion: v1\nkind: Service\nmetadata: { name: a }\n---\napiVersion: example.com/v1\nkind: Deployment\nmetadata: { name: b }\n`,
    );

    expect(report.workloads).toEqual([]);
    expect(report.summary.otherObjects).toEqual({ ServiceAccount: 1, Service: 1, Deployment: 1 });
  });

  it("reports every input problem at once, each with its file and line, and checks nothing", async () => {
    const dir = await mkdtemp(join(tmpdir(), "run-check-"));
    try {
      await writeFile(join(dir, "a.yaml"), "apiVersion: v1\nmetadata: {}\n");
      await writeFile(
        join(dir, "b.yaml"),
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: x\nspec: {}\n",
      );
      const run = runCheck({ inputs: [join(dir, "a.yaml"), join(dir, "b.yaml"), join(dir, "c.yaml")] });

      await expect(run).rejects.toThrow(CheckInputError);
      await expect(run).rejects.toMatchObject({
        code: "ERR_INPUT",
        problems: [
          // In the order of the command line; a workload's own problems once all files are read.
          { source: join(dir, "a.yaml"), line: 1, message: expect.stringContaining("has no kind") },
          { source: join(dir, "c.yaml"), message: "cannot read it (ENOENT)" },
          {
            source: join(dir, "b.yaml"),
            line: 5,
            message: "the Deployment x has no spec.template, where its pods are described",
          },
        ],
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("refuses empty standard input", async () => {
    await expect(check("")).rejects.toMatchObject({
      problems: [{ source: "(stdin)", line: 1, message: "no Kubernetes objects: the input is empty" }],
    });
  });
});

// `workload-identity doctor` as a process in an AKS identity-binding pod, against the emulator's token proxy (its
// own CA, a certificate for the SNI name only, a ClusterRole stand-in): every binding line passing, then each
// thing users get wrong (the SNI name, the CA, the permission, the proxy down, the audience either way), with
// the exit codes, --json, and no token or CA printed.
import { DEFAULT_CLIENT_ID, type Emulator } from "@workload-identity/emulator";
import { readFile } from "node:fs/promises";
import type { ChildResult } from "./support/child-process.js";
import { JWT_SHAPE, lineOf, runCli, tokenDir } from "./support/cli-process.js";
import { freePort } from "./support/samples.js";
import { startTrustedEmulator } from "./support/trusted-emulator.js";

const SUBJECT = "system:serviceaccount:default:workload-identity-sa";
const BINDING_AUDIENCE = "api://AKSIdentityBinding";
const EXCHANGE_AUDIENCE = "api://AzureADTokenExchange";
/** Bound to the cluster too, but the pod's service account may not use it (no ClusterRole for it). */
const NOT_ALLOWED = "7d6c5b4a-3e2f-4a1b-9c8d-0e1f2a3b4c5d";
const BINDING_TITLES = ["identity binding", "enableAzureProxy", "token proxy CA", "token proxy TLS"];

let emulator: Emulator;
let tokens: Awaited<ReturnType<typeof tokenDir>>;

beforeAll(async () => {
  emulator = await startTrustedEmulator({
    applications: [{}, { clientId: NOT_ALLOWED }],
    identityBinding: {
      identities: [{ clientId: DEFAULT_CLIENT_ID }, { clientId: NOT_ALLOWED }],
      allow: [{ clientId: DEFAULT_CLIENT_ID, subjects: [SUBJECT] }],
      // Rotations are the credential's business (credential-identity-binding.test.ts); here the CA holds still.
      caRotationSeconds: null,
    },
  });
  tokens = await tokenDir();
});
afterAll(async () => {
  await tokens.remove();
  await emulator.close();
});
beforeEach(() => {
  emulator.stats.reset();
});

/** The pod's environment with some variables replaced, or removed (undefined). */
function pod(overrides: Record<string, string | undefined> = {}): Record<string, string> {
  const env: Record<string, string | undefined> = { ...emulator.env, ...overrides };
  return Object.fromEntries(
    Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
}

/** Runs the doctor and checks that neither a JWT nor the proxy's CA reached the output. */
async function doctor(args: string[] = [], env: Record<string, string> = pod()): Promise<ChildResult> {
  const result = await runCli(["doctor", ...args], env);
  const caBody = (emulator.identityBinding?.caCertificate ?? "").split("\n")[1] ?? "";
  for (const output of [result.stdout, result.stderr]) {
    expect(output).not.toMatch(JWT_SHAPE);
    expect(output).not.toContain(caBody);
  }
  return result;
}

const proxyUrl = () => emulator.env.AZURE_KUBERNETES_TOKEN_PROXY ?? "";
const sniName = () => emulator.env.AZURE_KUBERNETES_SNI_NAME ?? "";
const caFile = () => emulator.env.AZURE_KUBERNETES_CA_FILE ?? "";
const proxyRequests = () => emulator.stats.count({ endpoint: "token-proxy" });

/** A token the cluster's issuer signed for the pod's service account, with this audience. */
async function tokenFor(name: string, audience: string): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const token = await emulator.issuer.sign({
    aud: [audience],
    exp: now + 3600,
    iat: now,
    iss: emulator.urls.issuer,
    nbf: now,
    sub: SUBJECT,
  });
  return tokens.write(name, token);
}

describe("an identity-binding pod where everything works", () => {
  it("passes each binding line, warns about the switch, exchanges through the proxy, and exits 0", async () => {
    const { code, stdout, stderr } = await doctor();

    expect(stderr).toBe("");
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split("\n");
    expect(lines.slice(0, 13).map((line) => line.slice(2, 30).trimEnd())).toEqual([
      "AZURE_CLIENT_ID",
      "AZURE_TENANT_ID",
      "AZURE_FEDERATED_TOKEN_FILE",
      "AZURE_AUTHORITY_HOST",
      "identity binding",
      "enableAzureProxy",
      "token file",
      "token claims",
      "issuer discovery",
      "issuer JWKS",
      "token proxy CA",
      "token proxy TLS",
      "token exchange",
    ]);
    expect(lineOf(stdout, "identity binding")).toBe(
      `✔ identity binding            an AKS identity-binding pod: AZURE_KUBERNETES_TOKEN_PROXY ${proxyUrl()}, AZURE_KUBERNETES_SNI_NAME ${sniName()}, AZURE_KUBERNETES_CA_FILE ${caFile()}; the credential accepts them`,
    );
    expect(lineOf(stdout, "enableAzureProxy")).toMatch(
      /^! enableAzureProxy +AZURE_KUBERNETES_TOKEN_PROXY is set: the application's credential must be made with enableAzureProxy: true, or its token requests skip the token proxy .* → fix: pass \{ enableAzureProxy: true \}/,
    );
    expect(lineOf(stdout, "token claims")).toContain(
      `aud ${BINDING_AUDIENCE}, holding the expected ${BINDING_AUDIENCE} (AKS identity binding, by AZURE_KUBERNETES_TOKEN_PROXY, AZURE_KUBERNETES_SNI_NAME, AZURE_KUBERNETES_CA_FILE)`,
    );
    expect(lineOf(stdout, "token proxy CA")).toMatch(
      new RegExp(
        `^✔ token proxy CA +AZURE_KUBERNETES_CA_FILE ${escape(caFile())}: 1 certificate: CN=Workload Identity Emulator Token Proxy CA .*, valid until \\S+Z \\(in .+\\)$`,
      ),
    );
    expect(lineOf(stdout, "token proxy TLS")).toMatch(
      new RegExp(
        `^✔ token proxy TLS +TLS to ${escape(new URL(proxyUrl()).host)} with server name ${sniName()} \\(AZURE_KUBERNETES_SNI_NAME\\): TLSv1\\.3 handshake; the certificate CN=${sniName()} \\(DNS:${sniName()}\\), issued by CN=Workload Identity Emulator Token Proxy CA .*, chains to the CA in AZURE_KUBERNETES_CA_FILE ${escape(caFile())} and is valid for that server name$`,
      ),
    );
    expect(lineOf(stdout, "token exchange")).toMatch(
      new RegExp(
        `^✔ token exchange +got an access token for https://management\\.azure\\.com/\\.default through the token proxy ${escape(proxyUrl())}, expiring in 5\\dm( \\d+s)?$`,
      ),
    );
    expect(lines.at(-1)).toBe("13 checks: 12 passed, 1 with warnings. Workload Identity works here.");
    expect(proxyRequests()).toBe(1);
  });

  it("prints the same report as JSON with --json, the new ids and details included", async () => {
    const { code, stdout } = await doctor(["--json"]);

    expect(code).toBe(0);
    const report = JSON.parse(stdout) as {
      ok: boolean;
      summary: Record<string, number>;
      checks: { id: string; status: string; code?: string; details?: Record<string, unknown> }[];
    };
    expect(report.ok).toBe(true);
    expect(report.summary).toEqual({ pass: 12, warn: 1, fail: 0, skip: 0 });
    expect(report.checks.map((c) => [c.id, c.status])).toEqual([
      ["AZURE_CLIENT_ID", "pass"],
      ["AZURE_TENANT_ID", "pass"],
      ["AZURE_FEDERATED_TOKEN_FILE", "pass"],
      ["AZURE_AUTHORITY_HOST", "pass"],
      ["identity-binding", "pass"],
      ["enable-azure-proxy", "warn"],
      ["token-file", "pass"],
      ["claims", "pass"],
      ["issuer-discovery", "pass"],
      ["issuer-jwks", "pass"],
      ["token-proxy-ca", "pass"],
      ["token-proxy-tls", "pass"],
      ["token-exchange", "pass"],
    ]);
    const byId = (id: string) => report.checks.find((c) => c.id === id);
    expect(byId("identity-binding")?.details).toEqual({
      variables: ["AZURE_KUBERNETES_TOKEN_PROXY", "AZURE_KUBERNETES_SNI_NAME", "AZURE_KUBERNETES_CA_FILE"],
      tokenProxy: proxyUrl(),
      sniName: sniName(),
      caFile: caFile(),
    });
    expect(byId("enable-azure-proxy")).toMatchObject({ details: { tokenProxy: proxyUrl() } });
    expect(byId("claims")?.details).toMatchObject({
      expectedAudience: { audience: BINDING_AUDIENCE, source: "identity-binding" },
    });
    expect(byId("token-proxy-ca")?.details).toEqual({
      source: "AZURE_KUBERNETES_CA_FILE",
      path: caFile(),
      certificates: [
        expect.objectContaining({
          subject: expect.stringContaining("Workload Identity Emulator Token Proxy CA"),
        }),
      ],
    });
    expect(byId("token-proxy-tls")?.details).toEqual({
      address: new URL(proxyUrl()).host,
      serverName: sniName(),
      trust: "AZURE_KUBERNETES_CA_FILE",
      protocol: "TLSv1.3",
      certificate: expect.objectContaining({
        subject: `CN=${sniName()}`,
        subjectAltName: `DNS:${sniName()}`,
      }),
    });
    expect(byId("token-exchange")?.details).toEqual({
      scope: "https://management.azure.com/.default",
      tokenProxy: proxyUrl(),
      expiresAt: expect.any(String),
    });
  });
});

describe("what users get wrong", () => {
  it("a server name the proxy's certificate is not for: the TLS line says so, and the exchange fails as the credential does", async () => {
    const { code, stdout } = await doctor([], pod({ AZURE_KUBERNETES_SNI_NAME: "other.ests.aks" }));

    expect(code).toBe(1);
    expect(lineOf(stdout, "token proxy CA")).toMatch(/^✔ /);
    const tls = lineOf(stdout, "token proxy TLS");
    expect(tls).toMatch(
      /^✘ token proxy TLS +TLS to \S+ with server name other\.ests\.aks \(AZURE_KUBERNETES_SNI_NAME\): /,
    );
    expect(tls).toContain(
      `chains to the CA in AZURE_KUBERNETES_CA_FILE ${caFile()} but is not valid for that server name → fix: AZURE_KUBERNETES_SNI_NAME must be the name in the token proxy's certificate`,
    );
    expect(lineOf(stdout, "token exchange")).toMatch(
      /^✘ token exchange +ERR_TOKEN_PROXY_TLS: .*not valid for the server name other\.ests\.aks \(AZURE_KUBERNETES_SNI_NAME\).* → fix: /,
    );
    expect(proxyRequests()).toBe(0);
  });

  it("a CA from another CA, inline (the emulator's main CA): the CA parses, but the proxy's certificate does not chain to it", async () => {
    const env = pod({
      AZURE_KUBERNETES_CA_FILE: undefined,
      AZURE_KUBERNETES_CA_DATA: emulator.caCertificate,
    });

    const { code, stdout } = await doctor(["--json"], env);

    expect(code).toBe(1);
    const checks = (JSON.parse(stdout) as { checks: { id: string; status: string; code?: string }[] }).checks;
    expect(checks.find((c) => c.id === "token-proxy-ca")).toMatchObject({
      status: "pass",
      message: expect.stringMatching(
        /^AZURE_KUBERNETES_CA_DATA \(inline: it cannot follow a rotation\): 1 certificate: /,
      ),
    });
    expect(checks.find((c) => c.id === "token-proxy-tls")).toMatchObject({
      status: "fail",
      code: "ERR_TOKEN_PROXY_CA_MISMATCH",
      message: expect.stringMatching(
        /does not chain to the CA in AZURE_KUBERNETES_CA_DATA \(UNABLE_TO_VERIFY_LEAF_SIGNATURE\)$/,
      ),
      fix: expect.stringContaining("an inline CA cannot follow the proxy's CA rotation"),
    });
    expect(checks.find((c) => c.id === "token-exchange")).toMatchObject({
      status: "fail",
      code: "ERR_TOKEN_PROXY_TLS",
    });
  });

  it("a client id the service account may not use: the proxy's 403, with the ClusterRole fix", async () => {
    const { code, stdout } = await doctor([], pod({ AZURE_CLIENT_ID: NOT_ALLOWED }));

    expect(code).toBe(1);
    expect(lineOf(stdout, "token proxy TLS")).toMatch(/^✔ /);
    expect(lineOf(stdout, "token exchange")).toMatch(
      /^✘ token exchange +ERR_TOKEN_PROXY_FORBIDDEN: The token proxy .* refused the request \(HTTP 403\).* → fix: let the service account use the identity: a ClusterRole granting use-managed-identity on apiGroup cid\.wi\.aks\.azure\.com, resource <client id>, and a ClusterRoleBinding to the service account$/,
    );
    expect(stdout).toContain(
      "13 checks: 11 passed, 1 with warnings, 1 failed. Workload Identity is not working here.",
    );
  });

  it("the proxy down: nothing answers, and the exchange's hint points at the proxy", async () => {
    const down = `https://127.0.0.1:${await freePort()}`;

    const { code, stdout } = await doctor([], pod({ AZURE_KUBERNETES_TOKEN_PROXY: down }));

    expect(code).toBe(1);
    expect(lineOf(stdout, "token proxy TLS")).toMatch(
      new RegExp(
        `^✘ token proxy TLS +nothing answers at ${escape(down)} \\(connect ECONNREFUSED .*\\) → fix: the token proxy must answer`,
      ),
    );
    expect(lineOf(stdout, "token exchange")).toMatch(
      /^✘ token exchange +ERR_NETWORK: .*AZURE_KUBERNETES_TOKEN_PROXY.* → fix: check that this pod reaches the token proxy in AZURE_KUBERNETES_TOKEN_PROXY/,
    );
  });

  it("a token projected for direct federation in a binding pod: the claims line flags it with the binding's fix", async () => {
    const file = await tokenFor("direct-audience", EXCHANGE_AUDIENCE);

    const { code, stdout } = await doctor(["--token-file", file]);

    expect(code).toBe(1);
    expect(lineOf(stdout, "token claims")).toContain(
      `✘ token claims                aud ["${EXCHANGE_AUDIENCE}"] lacks the expected ${BINDING_AUDIENCE} (AKS identity binding, by AZURE_KUBERNETES_TOKEN_PROXY, AZURE_KUBERNETES_SNI_NAME, AZURE_KUBERNETES_CA_FILE): this pod has the identity-binding variables, but its token was not projected for the binding → fix: an identity binding's token proxy takes only the audience ${BINDING_AUDIENCE}: annotate the pod template azure.workload.identity/use-identity-binding: "true"`,
    );
    // The proxy refuses it too: the exchange, through the proxy, shows its verdict.
    expect(lineOf(stdout, "token exchange")).toMatch(
      /^✘ token exchange +ERR_ENTRA_REJECTED: .*HTTP 401: AKS identity binding token proxy: .* → fix: .*a refusal without an AADSTS number is the token proxy's own/,
    );
    expect(proxyRequests()).toBe(1);
  });

  it("a binding's token without the binding's variables: flagged, no binding lines, and Entra refuses the direct exchange", async () => {
    const direct = pod({
      AZURE_KUBERNETES_TOKEN_PROXY: undefined,
      AZURE_KUBERNETES_SNI_NAME: undefined,
      AZURE_KUBERNETES_CA_FILE: undefined,
    });

    const { code, stdout } = await doctor([], direct);

    expect(code).toBe(1);
    for (const title of BINDING_TITLES) expect(() => lineOf(stdout, title)).toThrow();
    expect(lineOf(stdout, "token claims")).toMatch(
      new RegExp(
        `^✘ token claims +aud \\["${BINDING_AUDIENCE}"\\] lacks the expected ${EXCHANGE_AUDIENCE} \\(.*\\): ${BINDING_AUDIENCE} is an AKS identity binding's audience, but no AZURE_KUBERNETES_\\* variable is set here, so token requests go to Entra directly → fix: run the doctor with the pod's own environment`,
      ),
    );
    // What an application without enableAzureProxy meets: AKS gives a bound identity no credential for the cluster.
    expect(lineOf(stdout, "token exchange")).toMatch(
      /^✘ token exchange +ERR_FEDERATED_CREDENTIAL_MISMATCH: .*AADSTS700211/,
    );
    expect(stdout).toContain("9 checks: ");
    expect(proxyRequests()).toBe(0);
  });

  it("both CA variables: the credential's own message, and nothing that needs the variables runs", async () => {
    const projectedCa = await readFile(caFile(), "utf8");

    const { code, stdout } = await doctor([], pod({ AZURE_KUBERNETES_CA_DATA: projectedCa }));

    expect(code).toBe(1);
    expect(lineOf(stdout, "identity binding")).toMatch(
      /^✘ identity binding +AZURE_KUBERNETES_CA_FILE and AZURE_KUBERNETES_CA_DATA are both set; set only one → fix: /,
    );
    expect(lineOf(stdout, "token proxy CA")).toMatch(/^- token proxy CA +skipped: /);
    expect(lineOf(stdout, "token proxy TLS")).toMatch(
      /^- token proxy TLS +skipped: fix the AZURE_KUBERNETES_\* variables above first$/,
    );
    expect(lineOf(stdout, "token exchange")).toMatch(
      /^- token exchange +skipped: fix the AZURE_KUBERNETES_\* variables above first$/,
    );
    expect(proxyRequests()).toBe(0);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

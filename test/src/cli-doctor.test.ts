// `workload-identity doctor` as a process against the emulator: every check in its passing and failing form,
// the exit codes, --json, and that no token is ever printed.
import { createEmulator, type Emulator } from "@workload-identity/emulator";
import { generateKeyPairSync } from "node:crypto";
import { readFile } from "node:fs/promises";
import type { ChildResult } from "./support/child-process.js";
import { JWT_SHAPE, lineOf, runCli, tokenDir } from "./support/cli-process.js";
import { freePort } from "./support/samples.js";
import { startTrustedEmulator } from "./support/trusted-emulator.js";

const SUBJECT = "system:serviceaccount:default:workload-identity-sa";
const AUDIENCE = "api://AzureADTokenExchange";
const US_GOVERNMENT_SUBJECT = "system:serviceaccount:default:us-government-sa";
const US_GOVERNMENT_AUDIENCE = "api://AzureADTokenExchangeUSGov";
const UNREACHABLE_ISSUER = "https://127.0.0.1:1/";
const LABEL = 'label the pod template azure.workload.identity/use: "true"';
const ANNOTATION = "annotate the pod's service account azure.workload.identity/client-id";

let emulator: Emulator;
let tokens: Awaited<ReturnType<typeof tokenDir>>;

beforeAll(async () => {
  emulator = await startTrustedEmulator({
    applications: [
      {
        federatedIdentityCredentials: [
          { name: "kubernetes", subject: SUBJECT },
          // So that Entra, too, tries to reach the unreachable issuer instead of refusing its iss.
          { name: "unreachable", issuer: UNREACHABLE_ISSUER, subject: SUBJECT },
          // A federated credential made for Azure US Government, with that cloud's audience.
          { name: "us-government", subject: US_GOVERNMENT_SUBJECT, audiences: [US_GOVERNMENT_AUDIENCE] },
        ],
      },
    ],
  });
  tokens = await tokenDir();
});
afterAll(async () => {
  await tokens.remove();
  await emulator.close();
});

/** Runs the doctor in the emulator's pod environment and checks that no JWT reached the output. */
async function doctor(args: string[] = [], env: Record<string, string> = emulator.env): Promise<ChildResult> {
  const result = await runCli(["doctor", ...args], env);
  expectNoToken(result);
  return result;
}

function expectNoToken(result: ChildResult): void {
  expect(result.stdout).not.toMatch(JWT_SHAPE);
  expect(result.stderr).not.toMatch(JWT_SHAPE);
}

function without(name: string): Record<string, string> {
  return Object.fromEntries(Object.entries(emulator.env).filter(([key]) => key !== name));
}

/** A token file holding a token the emulator's issuer signed, claims overridable. */
async function tokenFile(
  name: string,
  claims: Record<string, unknown> = {},
  key?: ReturnType<typeof otherKey>,
) {
  const now = Math.floor(Date.now() / 1000);
  const token = await emulator.issuer.sign(
    {
      aud: [AUDIENCE],
      exp: now + 3600,
      iat: now,
      iss: emulator.urls.issuer,
      nbf: now,
      sub: SUBJECT,
      ...claims,
    },
    key === undefined ? {} : key,
  );
  return tokens.write(name, token);
}

function otherKey() {
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  return { privateKey, kid: "a-key-the-jwks-does-not-hold" };
}

describe("all checks passing", () => {
  it("prints a ✔ line per check, the decoded claims, and exits 0", async () => {
    const { code, stdout, stderr } = await doctor();

    expect(stderr).toBe("");
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split("\n");
    expect(lines.slice(0, 9).map((line) => line.slice(0, 2))).toEqual(Array(9).fill("✔ "));
    expect(lineOf(stdout, "AZURE_CLIENT_ID")).toContain(emulator.env.AZURE_CLIENT_ID);
    expect(lineOf(stdout, "token file")).toMatch(
      /: a JWT readable by uid \d+, expires in 5\dm( \d+s)? \(.+Z\); rotated \d+s ago$/,
    );
    expect(lineOf(stdout, "token claims")).toContain(
      `iss ${emulator.urls.issuer} (ends with "/": the federated credential's issuer must too); sub ${SUBJECT} (namespace default, service account workload-identity-sa); aud ${AUDIENCE}, holding the expected ${AUDIENCE} (Azure public cloud, assumed: AZURE_AUTHORITY_HOST ${new URL(emulator.urls.authorityHost).hostname} is not a known Entra cloud (pass --audience otherwise)); RS256 kid ${emulator.issuer.kid}`,
    );
    expect(lineOf(stdout, "issuer discovery")).toContain(
      `${emulator.urls.issuer}.well-known/openid-configuration`,
    );
    expect(lineOf(stdout, "issuer JWKS")).toContain(`holds kid ${emulator.issuer.kid} (1 key)`);
    expect(lineOf(stdout, "token exchange")).toMatch(
      /got an access token for https:\/\/management\.azure\.com\/\.default, expiring in 5\dm( \d+s)?$/,
    );
    expect(lines.at(-1)).toBe("9 checks: 9 passed. Workload Identity works here.");
  });

  it("exchanges for --scope", async () => {
    const { code, stdout } = await doctor(["--scope", "https://vault.azure.net/.default"]);

    expect(code).toBe(0);
    expect(lineOf(stdout, "token exchange")).toContain(
      "got an access token for https://vault.azure.net/.default",
    );
  });

  it("prints the same report as JSON with --json", async () => {
    const projected = await readFile(emulator.env.AZURE_FEDERATED_TOKEN_FILE, "utf8");

    const { code, stdout } = await doctor(["--json"]);

    expect(code).toBe(0);
    const report = JSON.parse(stdout) as Record<string, unknown>;
    expect(report).toEqual({
      ok: true,
      summary: { pass: 9, warn: 0, fail: 0, skip: 0 },
      checks: [
        { id: "AZURE_CLIENT_ID", status: "pass", message: emulator.env.AZURE_CLIENT_ID },
        { id: "AZURE_TENANT_ID", status: "pass", message: emulator.env.AZURE_TENANT_ID },
        {
          id: "AZURE_FEDERATED_TOKEN_FILE",
          status: "pass",
          message: emulator.env.AZURE_FEDERATED_TOKEN_FILE,
        },
        { id: "AZURE_AUTHORITY_HOST", status: "pass", message: emulator.env.AZURE_AUTHORITY_HOST },
        {
          id: "token-file",
          status: "pass",
          message: expect.any(String),
          details: expect.objectContaining({
            path: emulator.env.AZURE_FEDERATED_TOKEN_FILE,
            rotatedFrom: "..data",
          }),
        },
        {
          id: "claims",
          status: "pass",
          message: expect.any(String),
          details: {
            header: { alg: "RS256", kid: emulator.issuer.kid },
            claims: expect.objectContaining({ iss: emulator.urls.issuer, sub: SUBJECT, aud: [AUDIENCE] }),
            issuerTrailingSlash: true,
            namespace: "default",
            serviceAccount: "workload-identity-sa",
            expectedAudience: {
              audience: AUDIENCE,
              source: "assumed",
              reason: expect.stringContaining("is not a known Entra cloud"),
            },
          },
        },
        {
          id: "issuer-discovery",
          status: "pass",
          message: expect.any(String),
          details: {
            url: `${emulator.urls.issuer}.well-known/openid-configuration`,
            issuer: emulator.urls.issuer,
            jwksUri: `${emulator.urls.issuer}openid/v1/jwks`,
          },
        },
        {
          id: "issuer-jwks",
          status: "pass",
          message: expect.any(String),
          details: { url: `${emulator.urls.issuer}openid/v1/jwks`, kids: [emulator.issuer.kid] },
        },
        {
          id: "token-exchange",
          status: "pass",
          message: expect.any(String),
          details: { scope: "https://management.azure.com/.default", expiresAt: expect.any(String) },
        },
      ],
    });
    expect(stdout).not.toContain(projected.trim().split(".")[2]);
  });
});

describe("through HTTPS_PROXY", () => {
  it("reaches the issuer through the proxy, as the token request does: every check passes in real-hostname mode", async () => {
    const real = await createEmulator({ realHostnames: true });
    try {
      const { code, stdout } = await doctor([], real.env);

      expect(code).toBe(0);
      expect(lineOf(stdout, "issuer discovery")).toMatch(
        /^✔ issuer discovery +https:\/\/eastus\.oic\.prod-aks\.azure\.com\/.*names the token's issuer/,
      );
      expect(lineOf(stdout, "issuer JWKS")).toMatch(/^✔ /);
      expect(stdout).toContain("9 checks: 9 passed.");
      // The emulator answered under the issuer's real name, so the request came through its proxy.
      expect(
        real.stats.count({ host: "eastus.oic.prod-aks.azure.com", endpoint: "jwks" }),
      ).toBeGreaterThanOrEqual(1);
    } finally {
      await real.close();
    }
  });
});

describe("the AZURE_* variables", () => {
  it("fails a missing AZURE_CLIENT_ID pointing at the service account annotation, and skips the exchange", async () => {
    const { code, stdout } = await doctor([], without("AZURE_CLIENT_ID"));

    expect(code).toBe(1);
    expect(lineOf(stdout, "AZURE_CLIENT_ID")).toMatch(
      /^✘ AZURE_CLIENT_ID +not set → fix: annotate the pod's/,
    );
    expect(lineOf(stdout, "AZURE_CLIENT_ID")).toContain(ANNOTATION);
    expect(lineOf(stdout, "AZURE_CLIENT_ID")).not.toContain(LABEL);
    expect(lineOf(stdout, "token claims")).toMatch(/^✔ /);
    expect(lineOf(stdout, "token exchange")).toMatch(
      /^- token exchange +skipped: fix the AZURE_\* variables above first$/,
    );
  });

  it.each(["AZURE_TENANT_ID", "AZURE_AUTHORITY_HOST"])(
    "fails a missing %s pointing at the pod label, and skips the exchange",
    async (name) => {
      const { code, stdout } = await doctor([], without(name));

      expect(code).toBe(1);
      expect(lineOf(stdout, name)).toMatch(new RegExp(`^✘ ${name} +not set → fix: ${LABEL}`));
      expect(lineOf(stdout, "token exchange")).toMatch(/^- token exchange +skipped/);
    },
  );

  it("fails a missing AZURE_FEDERATED_TOKEN_FILE pointing at the pod label, and skips every token check", async () => {
    const { code, stdout } = await doctor([], without("AZURE_FEDERATED_TOKEN_FILE"));

    expect(code).toBe(1);
    expect(lineOf(stdout, "AZURE_FEDERATED_TOKEN_FILE")).toMatch(
      new RegExp(`^✘ AZURE_FEDERATED_TOKEN_FILE +not set → fix: ${LABEL}`),
    );
    for (const title of ["token file", "token claims", "issuer discovery", "issuer JWKS", "token exchange"]) {
      expect(lineOf(stdout, title)).toMatch(/^- .* skipped: /);
    }
  });

  it("points at both the label and the annotation when the pod was not mutated at all", async () => {
    const { code, stdout } = await doctor([], { NODE_EXTRA_CA_CERTS: emulator.env.NODE_EXTRA_CA_CERTS });

    expect(code).toBe(1);
    expect(lineOf(stdout, "AZURE_CLIENT_ID")).toContain(LABEL);
    expect(lineOf(stdout, "AZURE_CLIENT_ID")).toContain(ANNOTATION);
    expect(stdout).toContain("9 checks: 0 passed, 4 failed, 5 skipped.");
  });

  it("warns about a client id that is not a GUID, then fails the exchange Entra refuses", async () => {
    const { code, stdout } = await doctor([], { ...emulator.env, AZURE_CLIENT_ID: "my-app" });

    expect(code).toBe(1);
    expect(lineOf(stdout, "AZURE_CLIENT_ID")).toMatch(/^! AZURE_CLIENT_ID +my-app is not a GUID → fix: /);
    expect(lineOf(stdout, "token exchange")).toMatch(/^✘ token exchange +ERR_UNKNOWN_CLIENT: .*AADSTS700016/);
  });
});

describe("the token file", () => {
  it("fails a missing file and skips what needs the token", async () => {
    const missing = `${tokens.dir}/no-such-token`;

    const { code, stdout } = await doctor(["--token-file", missing]);

    expect(code).toBe(1);
    expect(lineOf(stdout, "AZURE_FEDERATED_TOKEN_FILE")).toContain(
      `checking --token-file ${missing} instead`,
    );
    expect(lineOf(stdout, "token file")).toMatch(
      new RegExp(`^✘ token file +${missing} does not exist \\(or is a dangling link\\) → fix: `),
    );
    expect(lineOf(stdout, "token exchange")).toMatch(/skipped: no readable token to present/);
  });

  it("fails a file this user cannot read, suggesting fsGroup", async () => {
    const projected = await readFile(emulator.env.AZURE_FEDERATED_TOKEN_FILE, "utf8");
    const secret = await tokens.write("root-only-token", projected, 0o600);
    const root = process.getuid?.() === 0;
    if (!root) await tokens.write("root-only-token", projected, 0o000);

    // As nobody (65534), as a pod's non-root user: root would read anything.
    const result = await runCli(
      ["doctor", "--token-file", secret],
      emulator.env,
      root ? { uid: 65534, gid: 65534 } : {},
    );

    expectNoToken(result);
    expect(result.code).toBe(1);
    expect(lineOf(result.stdout, "token file")).toMatch(
      /^✘ token file +\S+ is not readable by uid \d+ \(mode 0[06]00, owner \d+:\d+\) → fix: set the pod's securityContext\.fsGroup/,
    );
    if (root) expect(lineOf(result.stdout, "token file")).toContain("by uid 65534 (mode 0600, owner 0:0)");
    expect(lineOf(result.stdout, "token exchange")).toMatch(/skipped/);
  });

  it("fails an expired token, and Entra refuses it as ERR_ASSERTION_EXPIRED", async () => {
    const now = Math.floor(Date.now() / 1000);
    const expired = await tokenFile("expired-token", { iat: now - 7200, nbf: now - 7200, exp: now - 3600 });

    const { code, stdout } = await doctor(["--token-file", expired]);

    expect(code).toBe(1);
    expect(lineOf(stdout, "token file")).toMatch(
      /^✘ token file +\S+ holds a JWT that expired 1h ago \(.+\).* → fix: kubelet/,
    );
    expect(lineOf(stdout, "token claims")).toMatch(/^✔ /);
    expect(lineOf(stdout, "issuer JWKS")).toMatch(/^✔ /);
    expect(lineOf(stdout, "token exchange")).toMatch(/^✘ token exchange +ERR_ASSERTION_EXPIRED: /);
  });
});

describe("the audience", () => {
  it("expects --audience: a US Government token passes with it, and Entra accepts it too", async () => {
    const file = await tokenFile("us-government", {
      aud: [US_GOVERNMENT_AUDIENCE],
      sub: US_GOVERNMENT_SUBJECT,
    });
    const env = { ...emulator.env, AZURE_FEDERATED_TOKEN_FILE: file };

    const { code, stdout } = await doctor(["--audience", US_GOVERNMENT_AUDIENCE], env);

    expect(code).toBe(0);
    expect(lineOf(stdout, "token claims")).toContain(
      `aud ${US_GOVERNMENT_AUDIENCE}, holding the expected ${US_GOVERNMENT_AUDIENCE} (from --audience)`,
    );
    expect(lineOf(stdout, "token exchange")).toMatch(/^✔ /);
  });

  it("fails that token without --audience, the emulator's host being unknown, naming both audiences", async () => {
    const file = await tokenFile("us-government-unexpected", {
      aud: [US_GOVERNMENT_AUDIENCE],
      sub: US_GOVERNMENT_SUBJECT,
    });
    const env = { ...emulator.env, AZURE_FEDERATED_TOKEN_FILE: file };

    const { code, stdout } = await doctor(["--json"], env);

    expect(code).toBe(1);
    const checks = (JSON.parse(stdout) as { checks: { id: string; status: string; message: string }[] })
      .checks;
    expect(checks.find((c) => c.id === "claims")).toMatchObject({
      status: "fail",
      code: "ERR_CLAIMS",
      message: `aud ["${US_GOVERNMENT_AUDIENCE}"] lacks the expected ${AUDIENCE} (Azure public cloud, assumed: AZURE_AUTHORITY_HOST ${new URL(emulator.urls.authorityHost).hostname} is not a known Entra cloud (pass --audience otherwise))`,
      details: { expectedAudience: { audience: AUDIENCE, source: "assumed" } },
    });
    expect(checks.find((c) => c.id === "token-exchange")?.status).toBe("pass");
  });
});

describe("the issuer", () => {
  it("fails a token whose iss lacks the trailing slash that the discovery document and federated credential have", async () => {
    const withoutSlash = emulator.urls.issuer.replace(/\/$/, "");
    const path = await tokenFile("issuer-without-slash", { iss: withoutSlash });

    const { code, stdout } = await doctor(["--token-file", path]);

    expect(code).toBe(1);
    expect(lineOf(stdout, "token claims")).toContain(
      `✔ token claims                iss ${withoutSlash} (no trailing "/": the federated credential's issuer must have none either)`,
    );
    expect(lineOf(stdout, "issuer discovery")).toMatch(/^✘ issuer discovery/);
    expect(lineOf(stdout, "issuer discovery")).toContain(
      `names the issuer "${emulator.urls.issuer}", but the token's iss is "${withoutSlash}" (they differ by the trailing slash)`,
    );
    expect(lineOf(stdout, "issuer JWKS")).toMatch(/^✔ /);
    expect(lineOf(stdout, "token exchange")).toMatch(
      /^✘ token exchange +ERR_FEDERATED_CREDENTIAL_MISMATCH: /,
    );
    expect(lineOf(stdout, "token exchange")).toContain(withoutSlash);
    expect(lineOf(stdout, "token exchange")).toContain("trailing slash included");
  });

  it("fails an unreachable issuer as the AADSTS90061 cause, skips the JWKS, and Entra agrees", async () => {
    const path = await tokenFile("unreachable-issuer", { iss: UNREACHABLE_ISSUER });

    const { code, stdout } = await doctor(["--token-file", path]);

    expect(code).toBe(1);
    expect(lineOf(stdout, "issuer discovery")).toMatch(
      /^✘ issuer discovery +GET https:\/\/127\.0\.0\.1:1\/\.well-known\/openid-configuration failed \(ECONNREFUSED: .*\) → fix: .*AADSTS90061/,
    );
    expect(lineOf(stdout, "issuer JWKS")).toMatch(/^- issuer JWKS +skipped/);
    expect(lineOf(stdout, "token exchange")).toMatch(/^✘ token exchange +ERR_ISSUER_UNREACHABLE: /);
  });

  it("fails a kid the JWKS does not hold as the AADSTS700027 cause, and Entra agrees", async () => {
    const path = await tokenFile("other-key", {}, otherKey());

    const { code, stdout } = await doctor(["--token-file", path]);

    expect(code).toBe(1);
    expect(lineOf(stdout, "issuer JWKS")).toContain(
      `✘ issuer JWKS                 kid a-key-the-jwks-does-not-hold is not among the 1 key of ${emulator.urls.issuer}openid/v1/jwks ("${emulator.issuer.kid}") → fix: `,
    );
    expect(lineOf(stdout, "issuer JWKS")).toContain("AADSTS700027");
    expect(lineOf(stdout, "token exchange")).toMatch(/^✘ token exchange +ERR_ASSERTION_SIGNATURE: /);
  });

  it("fails the discovery check when the issuer does not answer within --timeout-ms, and bounds the exchange too", async () => {
    const hanging = await startTrustedEmulator();
    try {
      hanging.faults.add({ endpoint: "issuer-discovery", hang: true });
      const started = Date.now();

      const result = await runCli(["doctor", "--timeout-ms", "1500"], hanging.env);

      expectNoToken(result);
      expect(result.code).toBe(1);
      expect(lineOf(result.stdout, "issuer discovery")).toContain(
        `GET ${hanging.urls.issuer}.well-known/openid-configuration did not answer within 1500 ms`,
      );
      expect(lineOf(result.stdout, "token exchange")).toMatch(/^✘ token exchange +ERR_TIMEOUT: /);
      expect(Date.now() - started).toBeLessThan(10_000);
    } finally {
      await hanging.close();
    }
  });
});

describe("the token exchange", () => {
  it("fails a subject no federated credential names with ERR_FEDERATED_CREDENTIAL_MISMATCH, showing the subject", async () => {
    const subject = "system:serviceaccount:default:another-sa";
    const path = await tokenFile("wrong-subject", { sub: subject });

    const { code, stdout } = await doctor(["--token-file", path]);

    expect(code).toBe(1);
    expect(lineOf(stdout, "token claims")).toContain(
      `sub ${subject} (namespace default, service account another-sa)`,
    );
    expect(lineOf(stdout, "token exchange")).toMatch(
      /^✘ token exchange +ERR_FEDERATED_CREDENTIAL_MISMATCH: /,
    );
    expect(lineOf(stdout, "token exchange")).toContain(subject);
    expect(stdout).toContain("9 checks: 8 passed, 1 failed.");
  });

  it("fails the classic AKS mistake: a token issuer with a trailing slash, a federated credential without", async () => {
    const port = await freePort();
    const aks = await startTrustedEmulator({
      ports: { issuer: port },
      applications: [
        {
          federatedIdentityCredentials: [
            { name: "no-slash", issuer: `https://127.0.0.1:${port}`, subject: SUBJECT },
          ],
        },
      ],
    });
    try {
      const result = await runCli(["doctor", "--json"], aks.env);

      expectNoToken(result);
      expect(result.code).toBe(1);
      const report = JSON.parse(result.stdout) as {
        checks: { id: string; status: string; code?: string; message: string }[];
      };
      expect(report.checks.map((c) => c.status)).toEqual([...Array<string>(8).fill("pass"), "fail"]);
      expect(report.checks.at(-1)).toMatchObject({
        id: "token-exchange",
        code: "ERR_FEDERATED_CREDENTIAL_MISMATCH",
        message: expect.stringContaining(`https://127.0.0.1:${port}/`),
      });
    } finally {
      await aks.close();
    }
  });

  it("fails a scope without /.default with ERR_INVALID_SCOPE", async () => {
    const { code, stdout } = await doctor(["--scope", "https://vault.azure.net"]);

    expect(code).toBe(1);
    expect(lineOf(stdout, "token exchange")).toMatch(
      /^✘ token exchange +ERR_INVALID_SCOPE: .* → fix: pass one resource ending in \/\.default/,
    );
  });
});

describe("usage", () => {
  it("exits 2 naming a bad option", async () => {
    const { code, stdout, stderr } = await doctor(["--timeout-ms", "soon"]);

    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toBe(
      `workload-identity doctor: --timeout-ms must be a whole number of milliseconds above 0, not "soon". Run 'workload-identity doctor --help' for usage.\n`,
    );
  });

  it("prints its help and exits 0", async () => {
    const { code, stdout } = await doctor(["--help"]);

    expect(code).toBe(0);
    expect(stdout).toMatch(/^Usage: workload-identity doctor \[options\]/);
  });
});

// Each misconfiguration users meet yields its typed error, with what was presented and the likely fix.
import { AzureLogger, setLogLevel } from "@azure/logger";
import {
  WorkloadIdentityCredential,
  type WorkloadIdentityCredentialOptions,
} from "@workload-identity/credential";
import type { Emulator } from "@workload-identity/emulator";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startTrustedEmulator } from "./support/trusted-emulator.js";

const VAULT = "https://vault.azure.net/.default";
const NO_FIC_CLIENT = "11111111-2222-4333-8444-555555555555";
const PRIVATE_ISSUER_CLIENT = "22222222-3333-4444-8555-666666666666";
const SLASHLESS_CLIENT = "33333333-4444-4555-8666-777777777777";
let emulator: Emulator;
let scratch: string;

beforeAll(async () => {
  emulator = await startTrustedEmulator({
    applications: [
      {},
      { clientId: NO_FIC_CLIENT, federatedIdentityCredentials: [] },
      {
        clientId: PRIVATE_ISSUER_CLIENT,
        federatedIdentityCredentials: [
          {
            name: "private",
            issuer: "https://127.0.0.1:1/private/",
            subject: "system:serviceaccount:default:workload-identity-sa",
          },
        ],
      },
    ],
  });
  // An application whose federated credential names the issuer without its trailing slash.
  const slashless = emulator.urls.issuer.replace(/\/$/, "");
  emulator.config.applications.push({
    clientId: SLASHLESS_CLIENT,
    displayName: "slashless",
    tenantId: emulator.env.AZURE_TENANT_ID,
    objectId: "00000000-0000-4000-8000-0000000000aa",
    graphRoles: [],
    federatedIdentityCredentials: [
      {
        name: "k8s",
        issuer: slashless,
        subject: "system:serviceaccount:default:workload-identity-sa",
        audiences: ["api://AzureADTokenExchange"],
      },
    ],
  });
  scratch = await mkdtemp(join(tmpdir(), "misconfiguration-"));
});
afterAll(async () => {
  await emulator.close();
  await rm(scratch, { recursive: true, force: true });
});

// No retries of any kind: these tests look at the first answer (the propagation wait has its own tests below).
const credential = (options: WorkloadIdentityCredentialOptions = {}) =>
  new WorkloadIdentityCredential({
    env: emulator.env,
    retryOptions: { maxRetries: 0 },
    federatedCredentialPropagationMs: 0,
    ...options,
  });

it.each([
  ["AZURE_CLIENT_ID", "clientId"],
  ["AZURE_TENANT_ID", "tenantId"],
  ["AZURE_FEDERATED_TOKEN_FILE", "tokenFilePath"],
])(
  "fails construction without %s with a CredentialUnavailableError naming it, the option and the pod label",
  (variable, option) => {
    const env: Record<string, string | undefined> = { ...emulator.env, [variable]: undefined };
    let thrown: unknown;
    try {
      new WorkloadIdentityCredential({ env });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({ name: "CredentialUnavailableError", code: "ERR_MISSING_CONFIGURATION" });
    expect((thrown as Error).message).toMatch(
      new RegExp(`${variable} is not set and no ${option} option.*azure\\.workload\\.identity/use`),
    );
  },
);

it("names the wrong tenant (AADSTS90002)", async () => {
  await expect(credential({ tenantId: "nonexistent.example" }).getToken(VAULT)).rejects.toMatchObject({
    name: "AuthenticationError",
    code: "ERR_UNKNOWN_TENANT",
    aadstsCode: 90002,
    message: expect.stringContaining("AZURE_TENANT_ID"),
  });
});

it("points at the client-id annotation for an unknown client (AADSTS700016)", async () => {
  await expect(
    credential({ clientId: "99999999-9999-4999-8999-999999999999" }).getToken(VAULT),
  ).rejects.toMatchObject({
    code: "ERR_UNKNOWN_CLIENT",
    message: expect.stringContaining("azure.workload.identity/client-id"),
  });
});

it("shows the presented subject when the service account matches no federated credential", async () => {
  const other = await startTrustedEmulator({
    serviceAccount: { namespace: "prod", name: "api" },
    applications: [
      { federatedIdentityCredentials: [{ name: "k8s", subject: "system:serviceaccount:default:api" }] },
    ],
  });
  try {
    const error = await new WorkloadIdentityCredential({
      env: other.env,
      federatedCredentialPropagationMs: 0,
    })
      .getToken(VAULT)
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: "ERR_FEDERATED_CREDENTIAL_MISMATCH",
      aadstsCode: 700213,
      statusCode: 401,
    });
    expect((error as Error).message).toContain("subject 'system:serviceaccount:prod:api'");
    expect((error as Error).message).not.toMatch(/[\r\n]/);
  } finally {
    await other.close();
  }
});

it("points out the trailing slash when the credential's issuer lacks it", async () => {
  const error = await credential({ clientId: SLASHLESS_CLIENT })
    .getToken(VAULT)
    .catch((e: unknown) => e);
  expect(error).toMatchObject({ code: "ERR_FEDERATED_CREDENTIAL_MISMATCH", aadstsCode: 700211 });
  expect((error as Error).message).toContain(`issuer '${emulator.urls.issuer}'`);
  expect((error as Error).message).toContain("trailing slash");
});

// 70021 came as invalid_request/400 in 2022 and as invalid_client/401 in 2023; descriptions end with "\r\n"-separated
// trailers up to 2023 and space-separated ones since: every combination means the same to the credential.
it.each([
  ["aadsts70021", 401, "crlf"],
  ["aadsts70021", 401, "space"],
  ["aadsts70021-2022", 400, "crlf"],
  ["per-claim-2024", 401, "space"],
] as const)(
  "understands the %s answer (HTTP %d, %s separators) the same way, on one line",
  async (federatedErrorStyle, statusCode, descriptionSeparator) => {
    emulator.updateSettings({ federatedErrorStyle, descriptionSeparator });
    try {
      const error = await credential({ clientId: SLASHLESS_CLIENT })
        .getToken(VAULT)
        .catch((e: unknown) => e);
      expect(error).toMatchObject({
        code: "ERR_FEDERATED_CREDENTIAL_MISMATCH",
        statusCode,
        aadstsCode: federatedErrorStyle.startsWith("aadsts70021") ? 70021 : 700211,
      });
      const { message } = error as Error;
      expect(message).not.toMatch(/[\r\n]|Trace ID|Timestamp/);
      expect(message).toContain(`issuer '${emulator.urls.issuer}'`);
    } finally {
      emulator.updateSettings({ federatedErrorStyle: "per-claim", descriptionSeparator: "space" });
    }
  },
);

it("says the issuer is not publicly reachable (AADSTS90061)", async () => {
  // The token must claim the private issuer for Entra to go and fetch its keys.
  const file = join(scratch, "private-issuer-token");
  const now = Math.floor(Date.now() / 1000);
  await writeFile(
    file,
    await emulator.issuer.sign({
      iss: "https://127.0.0.1:1/private/",
      sub: "system:serviceaccount:default:workload-identity-sa",
      aud: ["api://AzureADTokenExchange"],
      iat: now,
      exp: now + 600,
    }),
  );
  await expect(
    credential({ clientId: PRIVATE_ISSUER_CLIENT, tokenFilePath: file }).getToken(VAULT),
  ).rejects.toMatchObject({
    code: "ERR_ISSUER_UNREACHABLE",
    aadstsCode: 90061,
    message: expect.stringContaining("publicly reachable"),
  });
});

it("says no federated credential exists (AADSTS70025)", async () => {
  await expect(credential({ clientId: NO_FIC_CLIENT }).getToken(VAULT)).rejects.toMatchObject({
    code: "ERR_NO_FEDERATED_CREDENTIAL",
    aadstsCode: 70025,
  });
});

it("names a resource the tenant does not know (AADSTS500011)", async () => {
  await expect(credential().getToken("https://vault.azure.nett/.default")).rejects.toMatchObject({
    code: "ERR_UNKNOWN_RESOURCE",
    aadstsCode: 500011,
  });
});

it("re-reads a stale token file once on AADSTS700024, then says the file is stale", async () => {
  const file = join(scratch, "stale-token");
  const past = Math.floor(Date.now() / 1000) - 7200;
  await writeFile(
    file,
    await emulator.issuer.sign({
      iss: emulator.urls.issuer,
      sub: "system:serviceaccount:default:workload-identity-sa",
      aud: ["api://AzureADTokenExchange"],
      iat: past,
      exp: past + 3600,
    }),
  );
  emulator.stats.reset();
  await expect(credential({ tokenFilePath: file }).getToken(VAULT)).rejects.toMatchObject({
    code: "ERR_ASSERTION_EXPIRED",
    aadstsCode: 700024,
    message: expect.stringContaining("stale"),
  });
  expect(emulator.stats.count({ endpoint: "token", status: 401 })).toBe(2); // invalid_client: 401
});

it("refuses scopes it can tell are wrong before any request", async () => {
  emulator.stats.reset();
  const cred = credential();
  await expect(cred.getToken([])).rejects.toMatchObject({ code: "ERR_INVALID_SCOPE" });
  await expect(cred.getToken("https://vault.azure.net/secrets.read")).rejects.toMatchObject({
    code: "ERR_INVALID_SCOPE",
    message: expect.stringContaining("/.default"),
  });
  await expect(cred.getToken([VAULT, "https://management.azure.com/.default"])).rejects.toMatchObject({
    code: "ERR_INVALID_SCOPE",
  });
  expect(emulator.stats.count()).toBe(0);
});

it("never puts the projected token in an error message", async () => {
  const { readFile } = await import("node:fs/promises");
  const projected = (await readFile(emulator.env.AZURE_FEDERATED_TOKEN_FILE, "utf8")).trim();
  const error = (await credential({ clientId: SLASHLESS_CLIENT })
    .getToken(VAULT)
    .catch((e: unknown) => e)) as Error;
  expect(error.message).not.toContain(projected);
  expect(JSON.stringify(error)).not.toContain(projected);
});

describe("a federated credential that is still propagating", () => {
  const PROPAGATING_CLIENT = "44444444-5555-4666-8777-888888888888";
  const lines: string[] = [];
  const original = AzureLogger.log.bind(AzureLogger);

  beforeAll(() => {
    // Created with a subject Entra does not see yet: the test "propagates" it by fixing the subject.
    emulator.config.applications.push({
      clientId: PROPAGATING_CLIENT,
      displayName: "propagating",
      tenantId: emulator.env.AZURE_TENANT_ID,
      objectId: "00000000-0000-4000-8000-0000000000bb",
      graphRoles: [],
      federatedIdentityCredentials: [
        {
          name: "k8s",
          issuer: emulator.urls.issuer,
          subject: "system:serviceaccount:default:not-yet",
          audiences: ["api://AzureADTokenExchange"],
        },
      ],
    });
    AzureLogger.log = (...args: unknown[]) => lines.push(args.map(String).join(" "));
    setLogLevel("warning");
  });
  afterAll(() => {
    AzureLogger.log = original;
    setLogLevel();
  });

  it("keeps retrying the first exchange, saying why, and gets the token once Entra has the credential", async () => {
    const requests = emulator.stats.count({ endpoint: "token" });
    const pending = credential({
      clientId: PROPAGATING_CLIENT,
      federatedCredentialPropagationMs: 60_000,
    }).getToken(VAULT);
    await until(() => lines.some((line) => line.includes("may still be propagating")));
    const fic = emulator.config.applications.find((a) => a.clientId === PROPAGATING_CLIENT)
      ?.federatedIdentityCredentials[0];
    if (fic === undefined) throw new Error("the application is missing");
    fic.subject = "system:serviceaccount:default:workload-identity-sa";

    await expect(pending).resolves.toMatchObject({ tokenType: "Bearer" });
    expect(emulator.stats.count({ endpoint: "token" }) - requests).toBe(2);
    expect(lines.find((line) => line.includes("may still be propagating"))).toMatch(
      /AADSTS700213.*retried in 2 s \(for up to 60 s in all: federatedCredentialPropagationMs\)/,
    );
  });
});

/** Resolves once `condition` holds (checked every 20 ms; jest's timeout bounds it). */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 20));
}

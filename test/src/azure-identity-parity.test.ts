// The drop-in promise, checked against @azure/identity itself: its ChainedTokenCredential, its
// WorkloadIdentityCredential beside ours on the same emulator, and its options as written for it. The cases
// follow what the Azure SDKs' own tests pin (JS, Go, Python): chains moving on where the credential cannot be
// used, an explicit tenant allow-list, empty options, AZURE_IDENTITY_DISABLE_MULTITENANTAUTH, any client id,
// short token lifetimes.
import {
  ChainedTokenCredential,
  WorkloadIdentityCredential as IdentityWorkloadIdentityCredential,
  type AccessToken,
  type TokenCredential,
} from "@azure/identity";
import { AzureLogger, getLogLevel, setLogLevel, type AzureLogLevel } from "@azure/logger";
import {
  CredentialUnavailableError,
  TokenFileError,
  TokenFileUnavailableError,
  WorkloadIdentityCredential,
  type Clock,
  type WorkloadIdentityCredentialOptions,
} from "@workload-identity/credential";
import type { Emulator } from "@workload-identity/emulator";
import { decodeJwt } from "jose";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { format } from "node:util";
import { withProcessEnv } from "./support/process-env.js";
import { startTrustedEmulator } from "./support/trusted-emulator.js";

const VAULT = "https://vault.azure.net/.default";
const SECOND_TENANT = "7b5d8b2e-1f3c-4a6d-9e8f-0a1b2c3d4e5f";
const THIRD_TENANT = "3c2b1a09-8f7e-4d6c-8b5a-493827161504";
const UNKNOWN_CLIENT = "00000000-0000-4000-8000-000000000001";
let emulator: Emulator;
let scratch: string;

beforeAll(async () => {
  emulator = await startTrustedEmulator({
    tenants: [
      {},
      { id: SECOND_TENANT, displayName: "Fabrikam", domains: ["fabrikam.onmicrosoft.com"] },
      { id: THIRD_TENANT, displayName: "Tailspin" },
    ],
    // A multi-tenant application: the same client id registered in all three tenants.
    applications: [{}, { tenantId: SECOND_TENANT }, { tenantId: THIRD_TENANT }],
  });
  scratch = await mkdtemp(join(tmpdir(), "parity-"));
});
afterAll(async () => {
  await emulator.close();
  await rm(scratch, { recursive: true, force: true });
});
beforeEach(() => {
  emulator.stats.reset();
  emulator.faults.clear();
});

const HOME_TENANT = () => emulator.env.AZURE_TENANT_ID;
const tokenRequests = () => emulator.stats.count({ endpoint: "token" });
const ours = (
  options: WorkloadIdentityCredentialOptions = {},
  env: Record<string, string | undefined> = {},
) => new WorkloadIdentityCredential({ ...options, env: { ...emulator.env, ...env } });

/** Theirs, on the same emulator (its authority host is no public cloud, so no instance discovery). */
const theirs = (options: ConstructorParameters<typeof IdentityWorkloadIdentityCredential>[0] = {}) =>
  new IdentityWorkloadIdentityCredential({ disableInstanceDiscovery: true, ...options });

const FALLBACK: AccessToken = { token: "fallback-token", expiresOnTimestamp: Date.now() + 3_600_000 };
const fallback: TokenCredential = { getToken: () => Promise.resolve(FALLBACK) };

async function chainOutcome(first: TokenCredential): Promise<{ token?: string; error?: unknown }> {
  try {
    return { token: (await new ChainedTokenCredential(first, fallback).getToken(VAULT)).token };
  } catch (error) {
    return { error };
  }
}

/** Our log lines and @azure/identity's, through the one @azure/logger the app and both packages share. */
async function captureLogs<T>(
  level: AzureLogLevel,
  run: () => Promise<T>,
): Promise<{ result: T; lines: string[] }> {
  const lines: string[] = [];
  const originalLog = AzureLogger.log.bind(AzureLogger);
  const originalLevel = getLogLevel();
  AzureLogger.log = (...args: unknown[]) => {
    lines.push(format(...args));
  };
  setLogLevel(level);
  try {
    return { result: await run(), lines };
  } finally {
    AzureLogger.log = originalLog;
    setLogLevel(originalLevel);
  }
}

describe("in @azure/identity's ChainedTokenCredential", () => {
  it("moves on when the token file is missing (a laptop with a copied environment), as theirs does", async () => {
    const missing = join(scratch, "no-such-token");
    const outcome = await chainOutcome(ours({}, { AZURE_FEDERATED_TOKEN_FILE: missing }));
    expect(outcome).toEqual({ token: FALLBACK.token });

    const peer = await withProcessEnv({ ...emulator.env, AZURE_FEDERATED_TOKEN_FILE: missing }, () =>
      chainOutcome(theirs()),
    );
    expect(peer).toEqual({ token: FALLBACK.token });
  });

  it("moves on when the path is a directory, and the error it moved past keeps our code and path", async () => {
    const credential = ours({}, { AZURE_FEDERATED_TOKEN_FILE: scratch });
    const error = await credential.getToken(VAULT).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TokenFileUnavailableError);
    expect(error).toBeInstanceOf(CredentialUnavailableError);
    expect(error).toMatchObject({
      name: "CredentialUnavailableError",
      code: "ERR_TOKEN_FILE_NOT_A_FILE",
      category: "token-file",
      path: scratch,
    });
    expect(await chainOutcome(credential)).toEqual({ token: FALLBACK.token });
  });

  it.each([
    ["empty", "", "ERR_TOKEN_FILE_EMPTY"],
    ["not a JWT", "not-a-service-account-token", "ERR_TOKEN_FILE_NOT_A_JWT"],
  ])(
    "stops at a token file that is there but %s: a rotation glitch must not switch identities",
    async (_case, content, code) => {
      const path = join(scratch, `token-${code}`);
      await writeFile(path, content);
      const { error } = await chainOutcome(ours({}, { AZURE_FEDERATED_TOKEN_FILE: path }));
      // ChainedTokenCredential rethrows what stopped it as an AggregateAuthenticationError-free single error.
      expect(error).toBeDefined();
      const stoppedBy = (error as { errors?: unknown[] }).errors?.[0] ?? error;
      expect(stoppedBy).toBeInstanceOf(TokenFileError);
      expect(stoppedBy).toMatchObject({ name: "TokenFileError", code });
      expect(tokenRequests()).toBe(0);
    },
  );

  it("stops when Entra refuses the configured identity, where theirs moves on (a deliberate difference)", async () => {
    const { error } = await chainOutcome(ours({ clientId: UNKNOWN_CLIENT }));
    expect(error).toMatchObject({ name: "AuthenticationError", code: "ERR_UNKNOWN_CLIENT" });

    // Theirs reports Entra's refusal as AuthenticationRequiredError, which its chain skips: the next credential
    // (in a pod, often the node's managed identity) then answers instead of the identity that was configured.
    const peer = await withProcessEnv({ ...emulator.env, AZURE_CLIENT_ID: UNKNOWN_CLIENT }, async () => {
      const alone = await theirs()
        .getToken(VAULT)
        .catch((e: unknown) => e);
      return { alone, chained: await chainOutcome(theirs()) };
    });
    expect(peer.alone).toMatchObject({ name: "AuthenticationRequiredError" });
    expect(peer.chained).toEqual({ token: FALLBACK.token });
  });

  it("moves on for a tenant the credential is not allowed to use", async () => {
    const chain = new ChainedTokenCredential(ours(), fallback);
    await expect(chain.getToken(VAULT, { tenantId: SECOND_TENANT })).resolves.toMatchObject({
      token: FALLBACK.token,
    });
  });
});

describe("options, as @azure/identity reads them", () => {
  it("an explicit additionallyAllowedTenants replaces AZURE_ADDITIONALLY_ALLOWED_TENANTS: the environment cannot widen it", async () => {
    const credential = ours(
      { additionallyAllowedTenants: [SECOND_TENANT] },
      { AZURE_ADDITIONALLY_ALLOWED_TENANTS: `${THIRD_TENANT};*` },
    );
    const second = await credential.getToken(VAULT, { tenantId: SECOND_TENANT });
    expect(decodeJwt(second.token).tid).toBe(SECOND_TENANT);
    await expect(credential.getToken(VAULT, { tenantId: THIRD_TENANT })).rejects.toMatchObject({
      name: "CredentialUnavailableError",
      code: "ERR_TENANT_NOT_ALLOWED",
    });

    // Theirs reads only the option, so the variable cannot widen it either.
    await withProcessEnv({ ...emulator.env, AZURE_ADDITIONALLY_ALLOWED_TENANTS: "*" }, async () => {
      const peer = theirs({ additionallyAllowedTenants: [SECOND_TENANT] });
      await expect(peer.getToken(VAULT, { tenantId: THIRD_TENANT })).rejects.toMatchObject({
        name: "CredentialUnavailableError",
      });
    });
  });

  it("without the option, AZURE_ADDITIONALLY_ALLOWED_TENANTS applies (as DefaultAzureCredential reads it)", async () => {
    const credential = ours({}, { AZURE_ADDITIONALLY_ALLOWED_TENANTS: THIRD_TENANT });
    const third = await credential.getToken(VAULT, { tenantId: THIRD_TENANT });
    expect(decodeJwt(third.token).tid).toBe(THIRD_TENANT);
  });

  it("empty-string options fall back to the variables, as theirs do", async () => {
    const empty = { clientId: "", tenantId: "", tokenFilePath: "" };
    const token = await ours(empty).getToken(VAULT);
    expect(decodeJwt(token.token).tid).toBe(HOME_TENANT());

    const peer = await withProcessEnv(emulator.env, () => theirs(empty).getToken(VAULT));
    expect(decodeJwt(peer.token).tid).toBe(HOME_TENANT());
  });

  it("AZURE_IDENTITY_DISABLE_MULTITENANTAUTH makes getToken's tenantId ignored, as theirs does", async () => {
    const token = await ours(
      { additionallyAllowedTenants: ["*"] },
      { AZURE_IDENTITY_DISABLE_MULTITENANTAUTH: "true" },
    ).getToken(VAULT, { tenantId: SECOND_TENANT });
    expect(decodeJwt(token.token).tid).toBe(HOME_TENANT());

    const peer = await withProcessEnv(
      { ...emulator.env, AZURE_IDENTITY_DISABLE_MULTITENANTAUTH: "true" },
      () => theirs({ additionallyAllowedTenants: ["*"] }).getToken(VAULT, { tenantId: SECOND_TENANT }),
    );
    expect(decodeJwt(peer.token).tid).toBe(HOME_TENANT());
  });

  it("accepts a client id that is not a GUID, with a warning naming it; Entra then refuses it", async () => {
    const { result: credential, lines } = await captureLogs("warning", () =>
      Promise.resolve(ours({ clientId: "my-app" })),
    );
    expect(lines).toEqual([expect.stringContaining('the client id "my-app" is not a GUID')]);
    await expect(credential.getToken(VAULT)).rejects.toMatchObject({
      name: "AuthenticationError",
      code: "ERR_UNKNOWN_CLIENT",
    });
    // Theirs accepts it too.
    expect(() => theirs({ clientId: "my-app", tenantId: HOME_TENANT(), tokenFilePath: "/x" })).not.toThrow();
  });

  it("honours retryOptions.retryDelayInMs, which was silently ignored before", async () => {
    emulator.faults.add({ endpoint: "token", status: 503, first: 1 });
    const sleeps: number[] = [];
    const clock: Clock = {
      now: () => Date.now(),
      sleep: (ms) => {
        sleeps.push(ms);
        return Promise.resolve();
      },
    };
    await new WorkloadIdentityCredential({
      env: emulator.env,
      clock,
      retryOptions: { maxRetries: 1, retryDelayInMs: 40_000, maxRetryDelayInMs: 50_000 },
    }).getToken(VAULT);
    expect(tokenRequests()).toBe(2);
    // One backoff: 40 s with the credential's 0.8-1.2 jitter (its default would be about 300 ms).
    expect(sleeps).toHaveLength(1);
    expect(sleeps[0]).toBeGreaterThanOrEqual(32_000);
    expect(sleeps[0]).toBeLessThanOrEqual(48_000);
  });

  it("logs the account identifiers after a token when loggingOptions.allowLoggingAccountIdentifiers is set", async () => {
    const { result: token, lines } = await captureLogs("info", () =>
      ours({ loggingOptions: { allowLoggingAccountIdentifiers: true } }).getToken(VAULT),
    );
    const claims = decodeJwt(token.token);
    const line = lines.find((l) => l.includes("[Authenticated account]"));
    expect(line).toContain(`Client ID: ${String(claims.appid)}. Tenant ID: ${String(claims.tid)}.`);
    expect(line).toContain(`Object ID: ${String(claims.oid)}.`);
    expect(lines.join("\n")).not.toContain(token.token);

    const quiet = await captureLogs("info", () => ours().getToken(VAULT));
    expect(quiet.lines.join("\n")).not.toContain("[Authenticated account]");
  });

  it("with loggingOptions.enableUnsafeSupportLogging, MSAL's detail reaches the verbose log, never a token or the assertion", async () => {
    const { result: token, lines } = await captureLogs("verbose", () =>
      ours({ loggingOptions: { enableUnsafeSupportLogging: true } }).getToken(VAULT),
    );
    const assertion = (await readFile(emulator.env.AZURE_FEDERATED_TOKEN_FILE, "utf8")).trim();
    const all = lines.join("\n");
    expect(lines.filter((l) => l.includes("msal:")).length).toBeGreaterThan(0);
    expect(all).not.toContain(token.token);
    expect(all).not.toContain(assertion);
    expect(all).not.toContain(assertion.split(".")[2]);
  });
});

describe("short token lifetimes, from the answer's own expires_in", () => {
  const answer = (expiresIn: number) => ({
    status: 200,
    body: {
      token_type: "Bearer",
      expires_in: expiresIn,
      access_token: "eyJhbGciOiJub25lIn0.eyJhdWQiOiJ4In0.c2ln",
    },
  });

  it("returns an expires_in 1 token every time (it used to be refused about half the time), and does not cache it", async () => {
    emulator.faults.add({ endpoint: "token", ...answer(1) });
    for (let i = 0; i < 20; i += 1) {
      const before = Date.now();
      const token = await ours().getToken(VAULT);
      expect(token.expiresOnTimestamp).toBeGreaterThanOrEqual(before + 1000);
      expect(token.expiresOnTimestamp).toBeLessThanOrEqual(Date.now() + 1000);
    }
    const credential = ours();
    await credential.getToken(VAULT);
    await credential.getToken(VAULT);
    // 20 credentials, then two calls on one: a 1 s token has no life beyond the 5 s margin, so each call asks.
    expect(tokenRequests()).toBe(22);
  });

  it("caches a 10-second token while it has life left beyond the margin", async () => {
    emulator.faults.add({ endpoint: "token", ...answer(10) });
    const credential = ours();
    const first = await credential.getToken(VAULT);
    const second = await credential.getToken(VAULT);
    expect(second).toBe(first);
    expect(tokenRequests()).toBe(1);
  });

  it.each([0, -60])("refuses expires_in %d, saying what came back", async (expiresIn) => {
    emulator.faults.add({ endpoint: "token", ...answer(expiresIn) });
    await expect(ours({ retryOptions: { maxRetries: 0 } }).getToken(VAULT)).rejects.toMatchObject({
      code: "ERR_INVALID_RESPONSE",
      message: expect.stringContaining(`expires_in ${expiresIn}`),
    });
  });
});

describe("an options object written for @azure/identity", () => {
  it("compiles as a literal and works unchanged (the same literal compiles for theirs)", async () => {
    // Checked by `npm run typecheck`: every property below is in @azure/identity's WorkloadIdentityCredentialOptions.
    const credential = new WorkloadIdentityCredential({
      clientId: emulator.env.AZURE_CLIENT_ID,
      tenantId: HOME_TENANT(),
      tokenFilePath: emulator.env.AZURE_FEDERATED_TOKEN_FILE,
      authorityHost: emulator.env.AZURE_AUTHORITY_HOST,
      additionallyAllowedTenants: [SECOND_TENANT],
      disableInstanceDiscovery: true,
      retryOptions: { maxRetries: 2, retryDelayInMs: 100, maxRetryDelayInMs: 1_000 },
      loggingOptions: { allowLoggingAccountIdentifiers: false, enableUnsafeSupportLogging: false },
    });
    expect(decodeJwt((await credential.getToken(VAULT)).token).tid).toBe(HOME_TENANT());

    const peer = new IdentityWorkloadIdentityCredential({
      clientId: emulator.env.AZURE_CLIENT_ID,
      tenantId: HOME_TENANT(),
      tokenFilePath: emulator.env.AZURE_FEDERATED_TOKEN_FILE,
      authorityHost: emulator.env.AZURE_AUTHORITY_HOST,
      additionallyAllowedTenants: [SECOND_TENANT],
      disableInstanceDiscovery: true,
      retryOptions: { maxRetries: 2, retryDelayInMs: 100, maxRetryDelayInMs: 1_000 },
      loggingOptions: { allowLoggingAccountIdentifiers: false, enableUnsafeSupportLogging: false },
    });
    expect(decodeJwt((await peer.getToken(VAULT)).token).tid).toBe(HOME_TENANT());
  });

  it("accepts its pipeline options too, warning that each is not used", async () => {
    const { result: credential, lines } = await captureLogs("warning", () =>
      Promise.resolve(
        new WorkloadIdentityCredential({
          env: emulator.env,
          userAgentOptions: { userAgentPrefix: "my-app" },
          proxyOptions: { host: "http://proxy.example", port: 8080 },
          loggingOptions: { additionalAllowedHeaderNames: ["x-ms-request-id"] },
        }),
      ),
    );
    expect(lines).toEqual([
      expect.stringContaining("the proxyOptions option (from @azure/identity) is not used"),
      expect.stringContaining("the userAgentOptions option (from @azure/identity) is not used"),
    ]);
    await expect(credential.getToken(VAULT)).resolves.toMatchObject({ tokenType: "Bearer" });
  });
});

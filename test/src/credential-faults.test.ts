// The credential through Entra's bad days: throttling, 5xx, resets, an outage in the refresh window, hangs.
// Tests wait on what the client observes (a promise settling, an error's name, the token served, the credential's
// log), never on the emulator's counters or on elapsed time; counts are read once the client has seen the outcome.
import { AzureLogger, getLogLevel, setLogLevel } from "@azure/logger";
import {
  WorkloadIdentityCredential,
  type WorkloadIdentityCredentialOptions,
} from "@workload-identity/credential";
import type { Emulator } from "@workload-identity/emulator";
import { join } from "node:path";
import { runNode } from "./support/child-process.js";
import { shiftedClock } from "./support/shifted-clock.js";
import { startTrustedEmulator } from "./support/trusted-emulator.js";

const VAULT = "https://vault.azure.net/.default";
const ARM = "https://management.azure.com/.default";
let emulator: Emulator;

beforeAll(async () => {
  emulator = await startTrustedEmulator();
});
afterAll(() => emulator.close());
beforeEach(() => {
  emulator.stats.reset();
  emulator.faults.clear();
});

const credential = (options: WorkloadIdentityCredentialOptions = {}) =>
  new WorkloadIdentityCredential({ env: emulator.env, ...options });
const tokenRequests = (status?: number) =>
  emulator.stats.count({ endpoint: "token", ...(status === undefined ? {} : { status }) });

describe("retries below MSAL", () => {
  it("waits out two 429s as Retry-After asks, then succeeds", async () => {
    emulator.faults.add({ endpoint: "token", status: 429, retryAfterSeconds: 1, first: 2 });
    const clock = shiftedClock();
    await credential({ clock }).getToken(VAULT);
    expect(tokenRequests(429)).toBe(2);
    expect(tokenRequests(200)).toBe(1);
    expect(clock.sleeps).toEqual([1000, 1000]);
  });

  it("retries three 503s with growing backoff, then succeeds", async () => {
    emulator.faults.add({ endpoint: "token", status: 503, first: 3 });
    const clock = shiftedClock();
    await credential({ clock }).getToken(VAULT);
    expect(tokenRequests()).toBe(4);
    expect(clock.sleeps).toHaveLength(3);
    expect(clock.sleeps[2] ?? 0).toBeGreaterThan(clock.sleeps[0] ?? 0);
  });

  it("retries a connection reset", async () => {
    emulator.faults.add({ endpoint: "token", reset: true, first: 1 });
    await credential({ clock: shiftedClock() }).getToken(VAULT);
    expect(tokenRequests(0)).toBe(1);
    expect(tokenRequests(200)).toBe(1);
  });

  it("does not retry an answer that cannot change (AADSTS700016)", async () => {
    const cred = credential({ clientId: "99999999-9999-4999-8999-999999999999" });
    await expect(cred.getToken(VAULT)).rejects.toMatchObject({
      code: "ERR_UNKNOWN_CLIENT",
      aadstsCode: 700016,
    });
    expect(tokenRequests()).toBe(1);
  });

  it("is not throttled once Entra recovers: a final 503 leaves nothing armed in MSAL", async () => {
    emulator.faults.add({ endpoint: "token", status: 503, retryAfterSeconds: 30 });
    const cred = credential({ clock: shiftedClock(), retryOptions: { maxRetries: 1 } });
    await expect(cred.getToken(VAULT)).rejects.toMatchObject({
      name: "AuthenticationError",
      code: "ERR_ENTRA_UNAVAILABLE",
      statusCode: 503,
    });
    emulator.faults.clear();
    // MSAL's throttle cache would fail this identical request for 30 s without sending it.
    await expect(cred.getToken(VAULT)).resolves.toMatchObject({ tokenType: "Bearer" });
    expect(tokenRequests(200)).toBe(1);
  });
});

describe("an Entra outage while the token is in its refresh window", () => {
  let log: CredentialLog;
  beforeEach(() => {
    log = watchCredentialLog();
  });
  afterEach(() => {
    log.restore();
  });

  it("keeps serving the cached token, retries in the background, and picks up a fresh token after recovery", async () => {
    const clock = shiftedClock();
    const cred = credential({ clock, retryOptions: { maxRetries: 2 } });
    const first = await cred.getToken(VAULT);

    emulator.faults.add({ endpoint: "token", status: 503 });
    clock.advance(31 * 60_000); // past the refresh point (30 min), well before expiry (60 min)
    for (let minute = 1; minute <= 25; minute += 1) {
      const token = await cred.getToken(VAULT); // never waits, never fails; starts a background refresh
      expect(token.token).toBe(first.token);
      // That refresh has failed once the credential says so; its backoff (30 s at most) ends within the minute.
      await log.until(BACKGROUND_FAILURE, minute);
      clock.advance(60_000);
    }
    expect(log.matching(BACKGROUND_FAILURE)).toHaveLength(25);
    expect(log.matching(BACKGROUND_FAILURE)[0]).toContain("ERR_ENTRA_UNAVAILABLE");
    // The background refreshes really went to Entra: three attempts each (maxRetries 2), all answered 503.
    expect(tokenRequests(503)).toBe(25 * 3);

    emulator.faults.clear();
    // No refresh is under way (the last one's failure was logged), so this call starts one, which succeeds.
    expect((await cred.getToken(VAULT)).token).toBe(first.token);
    await log.until(TOKEN_ACQUIRED, 2);
    // The credential logs the token just before it stores it: callers get it within a few microtasks.
    let fresh = await cred.getToken(VAULT);
    while (fresh.token === first.token) {
      await new Promise((resolve) => setImmediate(resolve));
      fresh = await cred.getToken(VAULT);
    }
    expect(fresh.expiresOnTimestamp).toBeGreaterThan(first.expiresOnTimestamp);
    expect(tokenRequests(200)).toBe(2); // one exchange after recovery, not one per caller
  });

  it("makes a caller wait only once the token has expired, and then cuts the backoff short", async () => {
    const clock = shiftedClock();
    const cred = credential({ clock, retryOptions: { maxRetries: 0 } });
    await cred.getToken(VAULT);
    emulator.faults.add({ endpoint: "token", status: 503 });
    clock.advance(31 * 60_000);
    await cred.getToken(VAULT); // starts a background refresh, which fails and arms the backoff
    await log.until(BACKGROUND_FAILURE, 1);
    clock.advance(30 * 60_000); // expired
    await expect(cred.getToken(VAULT)).rejects.toMatchObject({ code: "ERR_ENTRA_UNAVAILABLE" });
    emulator.faults.clear();
    await expect(cred.getToken(VAULT)).resolves.toMatchObject({ tokenType: "Bearer" });
  });
});

describe("abort and timeout", () => {
  it("retries an attempt that hangs instead of letting it use up the whole call", async () => {
    emulator.faults.add({ endpoint: "token", hang: true, first: 1 });
    const clock = shiftedClock(); // no real backoff: the second attempt has the other half of the deadline
    // Had the hung attempt used up the 4 s deadline, this would reject with ERR_TIMEOUT.
    await expect(credential({ clock, timeoutMs: 4_000 }).getToken(ARM)).resolves.toMatchObject({
      tokenType: "Bearer",
    });
    expect(clock.sleeps).toHaveLength(1); // the first attempt gave up (at half the deadline) and was retried
    expect(tokenRequests(200)).toBe(1);
  });

  it("reports the 429 itself, not a bare timeout, when Retry-After runs past the deadline", async () => {
    emulator.faults.add({ endpoint: "token", status: 429, retryAfterSeconds: 30 });
    // The deadline must end the Retry-After wait, not the first attempt: that attempt has half of it (2 s).
    await expect(credential({ timeoutMs: 4_000 }).getToken(ARM)).rejects.toMatchObject({
      name: "AuthenticationError",
      code: "ERR_ENTRA_UNAVAILABLE",
      statusCode: 429,
    });
  });

  it("rejects with AbortError as soon as the caller aborts, while the token endpoint hangs", async () => {
    emulator.faults.add({ endpoint: "token", hang: true });
    const controller = new AbortController();
    const pending = credential({ timeoutMs: 10_000 }).getToken(ARM, { abortSignal: controller.signal });
    setTimeout(() => {
      controller.abort();
    }, 100);
    // Had the abort been ignored, the call would end at its 10 s deadline with ERR_TIMEOUT, not AbortError.
    await expect(pending).rejects.toMatchObject({ name: "AbortError" });
  });

  it("stops the exchange when its only caller aborts: the program exits by itself, not after timeoutMs", async () => {
    emulator.faults.add({ endpoint: "token", hang: true });
    // The default timeoutMs (60 s) would keep the hung request, and the process, alive well past this limit.
    const result = await runNode(
      [join(__dirname, "fixtures", "credential-abort.cjs")],
      { ...emulator.env, ABORT_AFTER_MS: "1000" },
      20_000,
    );
    expect(result).toMatchObject({ code: 0, stdout: "AbortError\n" });
  });

  it("gives up after timeoutMs with ERR_TIMEOUT", async () => {
    emulator.faults.add({ endpoint: "token", hang: true });
    await expect(credential({ timeoutMs: 300 }).getToken(ARM)).rejects.toMatchObject({
      name: "WorkloadIdentityError",
      code: "ERR_TIMEOUT",
    });
  });
});

const BACKGROUND_FAILURE = /Background token refresh failed/;
const TOKEN_ACQUIRED = /Token acquired for/;

interface CredentialLog {
  /** The lines logged so far that match `pattern`. */
  matching(pattern: RegExp): string[];
  /** Resolves once `count` lines in all have matched `pattern`. */
  until(pattern: RegExp, count: number): Promise<void>;
  restore(): void;
}

/** Collects the credential's log lines (through @azure/logger, at info level) until `restore()`. */
function watchCredentialLog(): CredentialLog {
  const lines: string[] = [];
  const waiting = new Set<{ pattern: RegExp; count: number; resolve: () => void }>();
  const matching = (pattern: RegExp) => lines.filter((line) => pattern.test(line));
  const originalLog = AzureLogger.log.bind(AzureLogger);
  const originalLevel = getLogLevel();
  AzureLogger.log = (...args: unknown[]) => {
    lines.push(args.map(String).join(" "));
    for (const waiter of waiting) {
      if (matching(waiter.pattern).length >= waiter.count) {
        waiting.delete(waiter);
        waiter.resolve();
      }
    }
  };
  setLogLevel("info");
  return {
    matching,
    until: (pattern, count) =>
      matching(pattern).length >= count
        ? Promise.resolve()
        : new Promise((resolve) => waiting.add({ pattern, count, resolve })),
    restore: () => {
      AzureLogger.log = originalLog;
      setLogLevel(originalLevel);
    },
  };
}

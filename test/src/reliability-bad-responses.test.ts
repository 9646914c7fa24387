// Reliability: Entra (or something pretending to be Entra) answering nonsense. Each case ends in a typed
// error that says what was wrong, never a crash, never a token or assertion in the message.
import { WorkloadIdentityCredential, WorkloadIdentityError } from "@workload-identity/credential";
import type { Emulator, FaultRule } from "@workload-identity/emulator";
import { readFile } from "node:fs/promises";
import { startTrustedEmulator } from "./support/trusted-emulator.js";

const VAULT = "https://vault.azure.net/.default";
let emulator: Emulator;

beforeAll(async () => {
  emulator = await startTrustedEmulator();
});
afterAll(() => emulator.close());
beforeEach(() => {
  emulator.faults.clear();
});

const fakeToken = "eyJhbGciOiJub25lIn0.eyJhdWQiOiJ4In0.c2ln";
const cases: [string, Omit<FaultRule, "endpoint">, string, RegExp][] = [
  [
    "invalid JSON",
    { status: 200, body: "{not json", contentType: "application/json" },
    "ERR_INVALID_RESPONSE",
    /not JSON/,
  ],
  [
    "an HTML page with 200",
    { status: 200, body: "<html><body>Sign in</body></html>", contentType: "text/html" },
    "ERR_INVALID_RESPONSE",
    /not JSON/,
  ],
  ["an empty 200", { status: 200, body: "" }, "ERR_INVALID_RESPONSE", /not JSON/],
  [
    "a 200 without access_token",
    { status: 200, body: { token_type: "Bearer", expires_in: 3599 } },
    "ERR_INVALID_RESPONSE",
    /without an access_token/,
  ],
  [
    "a token with expires_in 0",
    { status: 200, body: { token_type: "Bearer", expires_in: 0, access_token: fakeToken } },
    "ERR_INVALID_RESPONSE",
    /expires_in/,
  ],
  [
    "a token with a negative expires_in",
    { status: 200, body: { token_type: "Bearer", expires_in: -60, access_token: fakeToken } },
    "ERR_INVALID_RESPONSE",
    /expires_in/,
  ],
  [
    "an HTML error page with 502",
    { status: 502, body: "<html>Bad gateway</html>", contentType: "text/html" },
    "ERR_ENTRA_UNAVAILABLE",
    /HTML page/,
  ],
  [
    "an HTML page with 403 (a proxy's block page)",
    { status: 403, body: "<html>Blocked</html>", contentType: "text/html" },
    "ERR_ENTRA_REJECTED",
    /HTML page/,
  ],
];

it.each(cases)("answers %s with a typed error", async (_name, fault, code, message) => {
  emulator.faults.add({ endpoint: "token", ...fault });
  const credential = new WorkloadIdentityCredential({
    env: emulator.env,
    retryOptions: { maxRetries: 1, initialDelayMs: 1 },
  });
  const error = (await credential.getToken(VAULT).catch((e: unknown) => e)) as WorkloadIdentityError;
  expect(error).toBeInstanceOf(WorkloadIdentityError);
  expect(error.code).toBe(code);
  expect(error.message).toMatch(message);
  expect(error.message).not.toMatch(/[\r\n]/);
  const assertion = (await readFile(emulator.env.AZURE_FEDERATED_TOKEN_FILE, "utf8")).trim();
  expect(error.message).not.toContain(assertion);
  expect(error.message).not.toContain(fakeToken);
  // The credential still works once the answers are sane again.
  emulator.faults.clear();
  await expect(credential.getToken(VAULT)).resolves.toMatchObject({ tokenType: "Bearer" });
});

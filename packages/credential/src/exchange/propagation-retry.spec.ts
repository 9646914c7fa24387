import type { Clock } from "../clock.js";
import { AuthenticationError, WorkloadIdentityError } from "../errors/errors.js";
import type { Log } from "../log.js";
import { PropagationRetry } from "./propagation-retry.js";

/** A clock whose sleeps pass at once, moving its time forward by what was asked. */
function steppingClock() {
  let time = 0;
  const sleeps: number[] = [];
  const clock: Clock = {
    now: () => 1_800_000_000_000 + time,
    monotonicNow: () => time,
    sleep: (ms, signal) => {
      if (signal?.aborted) return Promise.reject(signal.reason as Error);
      sleeps.push(ms);
      time += ms;
      return Promise.resolve();
    },
  };
  return { clock, sleeps };
}

function capturingLog() {
  const warnings: string[] = [];
  const log: Log = {
    error: () => undefined,
    warning: (message) => warnings.push(message),
    info: () => undefined,
    verbose: () => undefined,
  };
  return { log, warnings };
}

type EntraCode = ConstructorParameters<typeof AuthenticationError>[0];

const refusal = (code: EntraCode = "ERR_FEDERATED_CREDENTIAL_MISMATCH", aadsts = 700213) =>
  new AuthenticationError(code, "No federated identity credential matches.", {
    statusCode: 401,
    errorResponse: {
      error: "invalid_client",
      errorDescription: `AADSTS${aadsts}: ...`,
      errorCodes: [aadsts],
    },
  });

/** An exchange that fails with `failures` in turn, then answers "token". */
function exchanges(...failures: Error[]) {
  let calls = 0;
  const run = () => {
    const failure = failures[calls];
    calls += 1;
    return failure === undefined ? Promise.resolve("token") : Promise.reject(failure);
  };
  return { run, calls: () => calls };
}

const signal = () => new AbortController().signal;

it("retries a mismatch with backoff while the credential propagates, saying why, then answers", async () => {
  const { clock, sleeps } = steppingClock();
  const { log, warnings } = capturingLog();
  const exchange = exchanges(refusal(), refusal("ERR_NO_FEDERATED_CREDENTIAL", 70025));

  await expect(new PropagationRetry(60_000, clock, log).run(exchange.run, signal())).resolves.toBe("token");

  expect(sleeps).toEqual([2_000, 4_000]);
  expect(warnings).toEqual([
    expect.stringContaining(
      "(AADSTS700213); one created in the last minutes may still be propagating, so the request is retried in 2 s (for up to 60 s in all: federatedCredentialPropagationMs)",
    ),
    expect.stringContaining("(AADSTS70025)"),
  ]);
});

it("gives up with Entra's refusal when the next retry would start after the window", async () => {
  const { clock, sleeps } = steppingClock();
  const refusals = Array.from({ length: 20 }, () => refusal());
  const exchange = exchanges(...refusals);

  await expect(
    new PropagationRetry(60_000, clock, capturingLog().log).run(exchange.run, signal()),
  ).rejects.toBe(refusals[6]);
  expect(sleeps).toEqual([2_000, 4_000, 8_000, 15_000, 15_000, 15_000]);
  expect(exchange.calls()).toBe(7);
});

it("does not retry with a window of 0", async () => {
  const { clock, sleeps } = steppingClock();
  const exchange = exchanges(refusal());
  await expect(
    new PropagationRetry(0, clock, capturingLog().log).run(exchange.run, signal()),
  ).rejects.toMatchObject({
    code: "ERR_FEDERATED_CREDENTIAL_MISMATCH",
  });
  expect(sleeps).toEqual([]);
});

it("takes a mismatch after a first token as final: the setup changed, it is not propagating", async () => {
  const { clock, sleeps } = steppingClock();
  const retry = new PropagationRetry(60_000, clock, capturingLog().log);
  await retry.run(exchanges().run, signal());

  await expect(retry.run(exchanges(refusal()).run, signal())).rejects.toMatchObject({
    code: "ERR_FEDERATED_CREDENTIAL_MISMATCH",
  });
  expect(sleeps).toEqual([]);
});

it.each<[string, Error]>([
  ["another Entra refusal", refusal("ERR_UNKNOWN_CLIENT", 700016)],
  ["a network failure", new WorkloadIdentityError("ERR_NETWORK", "ECONNRESET")],
])("does not retry %s", async (_case, error) => {
  const { clock, sleeps } = steppingClock();
  await expect(
    new PropagationRetry(60_000, clock, capturingLog().log).run(exchanges(error).run, signal()),
  ).rejects.toBe(error);
  expect(sleeps).toEqual([]);
});

it("answers Entra's refusal, not the abort, when the deadline ends a wait", async () => {
  const { clock } = steppingClock();
  const deadline = new AbortController();
  const first = refusal();
  const exchange = () => {
    deadline.abort(new Error("no token within 60000 ms"));
    return Promise.reject(first);
  };
  await expect(
    new PropagationRetry(60_000, clock, capturingLog().log).run(exchange, deadline.signal),
  ).rejects.toBe(first);
});

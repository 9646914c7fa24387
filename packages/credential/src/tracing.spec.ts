// getToken's span, as an instrumenter registered with core-tracing's useInstrumenter sees it.
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  useInstrumenter,
  type Instrumenter,
  type InstrumenterSpanOptions,
  type SpanStatus,
  type TracingContext,
  type TracingSpan,
} from "@azure/core-tracing";
import type { ExchangeResult } from "./exchange/msal-exchange.js";
import { packageVersion } from "./version.js";
import { WorkloadIdentityCredential } from "./workload-identity-credential.js";

const SCOPE = "https://vault.azure.net/.default";
const ACCESS_TOKEN = `access-token-${randomUUID()}`;
const ASSERTION = [
  Buffer.from('{"alg":"RS256"}').toString("base64url"),
  Buffer.from(`{"sub":"system:serviceaccount:default:app","jti":"${randomUUID()}"}`).toString("base64url"),
  "c2ln",
].join(".");

/** An immutable bag of values, as core-tracing's contexts are. */
class RecordingContext implements TracingContext {
  constructor(private readonly values = new Map<symbol, unknown>()) {}

  setValue(key: symbol, value: unknown): TracingContext {
    return new RecordingContext(new Map(this.values).set(key, value));
  }

  getValue(key: symbol): unknown {
    return this.values.get(key);
  }

  deleteValue(key: symbol): TracingContext {
    const values = new Map(this.values);
    values.delete(key);
    return new RecordingContext(values);
  }
}

/** Where a span's context holds the span. */
const SPAN = Symbol("recorded span");

class RecordedSpan implements TracingSpan {
  readonly attributes = new Map<string, unknown>();
  readonly exceptions: (Error | string)[] = [];
  status: SpanStatus | undefined;
  ended = false;

  constructor(
    readonly name: string,
    readonly options: InstrumenterSpanOptions,
  ) {}

  setStatus(status: SpanStatus): void {
    this.status = status;
  }

  setAttribute(name: string, value: unknown): void {
    this.attributes.set(name, value);
  }

  end(): void {
    this.ended = true;
  }

  recordException(exception: Error | string): void {
    this.exceptions.push(exception);
  }

  isRecording(): boolean {
    return true;
  }
}

/** Records every span; `current` is the context withContext made current, while its callback runs. */
class RecordingInstrumenter implements Instrumenter {
  readonly spans: RecordedSpan[] = [];
  current: TracingContext | undefined;

  startSpan(name: string, spanOptions: InstrumenterSpanOptions) {
    const span = new RecordedSpan(name, spanOptions);
    this.spans.push(span);
    const parent = spanOptions.tracingContext ?? new RecordingContext();
    return { span, tracingContext: parent.setValue(SPAN, span) };
  }

  withContext<
    CallbackArgs extends unknown[],
    Callback extends (...args: CallbackArgs) => ReturnType<Callback>,
  >(context: TracingContext, callback: Callback, ...callbackArgs: CallbackArgs): ReturnType<Callback> {
    const outer = this.current;
    this.current = context;
    try {
      return callback(...callbackArgs);
    } finally {
      this.current = outer;
    }
  }

  parseTraceparentHeader(): TracingContext | undefined {
    return new RecordingContext();
  }

  createRequestHeaders(): Record<string, string> {
    return {};
  }
}

let dir: string;
let tokenFile: string;
let instrumenter: RecordingInstrumenter;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "tracing-spec-"));
  tokenFile = join(dir, "token");
  writeFileSync(tokenFile, ASSERTION);
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => {
  instrumenter = new RecordingInstrumenter();
  useInstrumenter(instrumenter);
});
afterEach(() => {
  // core-tracing has no getter for the instrumenter; before this file sets one there is none (jest gives each spec
  // file its own modules), and with none set core-tracing goes back to its default, which does nothing.
  useInstrumenter(undefined as unknown as Instrumenter);
});

/** A credential whose token endpoint refuses connections (port 1 on loopback), retrying nothing. */
function credential(): WorkloadIdentityCredential {
  return new WorkloadIdentityCredential({
    clientId: "0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0",
    tenantId: "72f988bf-86f1-41af-91ab-2d7cd011db47",
    tokenFilePath: tokenFile,
    authorityHost: "https://127.0.0.1:1/",
    retryOptions: { maxRetries: 0 },
    loggingEnabled: false,
    env: {},
  });
}

/**
 * A credential whose exchange is `exchange` (in place of msal-node and the network: a unit test has no Entra over
 * HTTPS; test/ runs the credential against the emulator). Counts the exchanges.
 */
function credentialExchanging(exchange: () => Promise<ExchangeResult>) {
  const cred = credential();
  const exchanges = { count: 0 };
  (cred as unknown as { exchanger: { exchange(): Promise<ExchangeResult> } }).exchanger = {
    exchange: () => {
      exchanges.count += 1;
      return exchange();
    },
  };
  return { cred, exchanges };
}

const anHour = async (): Promise<ExchangeResult> => {
  await Promise.resolve();
  const now = Date.now();
  return { token: ACCESS_TOKEN, expiresOnTimestamp: now + 3_600_000, receivedAt: now };
};

/** A recorded value as text; an error with its message, stack and cause. */
function describe(value: unknown): string {
  if (value instanceof Error) return [String(value), value.stack, describe(value.cause)].join("\n");
  if (typeof value === "string") return value;
  return value === undefined ? "" : JSON.stringify(value);
}

/** Every text the instrumenter was handed: span names, attributes, statuses with their errors, exceptions. */
function everythingRecorded(spans: RecordedSpan[]): string[] {
  return spans.flatMap((span) => [
    span.name,
    describe(span.options.spanAttributes),
    ...[...span.attributes].flatMap(([name, value]) => [name, describe(value)]),
    describe(span.status?.status),
    describe(span.status?.status === "error" ? span.status.error : undefined),
    ...span.exceptions.map(describe),
  ]);
}

it('records one "WorkloadIdentityCredential.getToken" span per call, in the Microsoft.AAD namespace, ended with status success', async () => {
  const { cred } = credentialExchanging(anHour);
  await cred.getToken(SCOPE);
  await cred.getToken(SCOPE);

  expect(instrumenter.spans).toHaveLength(2);
  for (const span of instrumenter.spans) {
    expect(span.name).toBe("WorkloadIdentityCredential.getToken");
    expect(span.options).toMatchObject({ packageName: "@workload-identity/credential", packageVersion });
    expect(span.attributes.get("az.namespace")).toBe("Microsoft.AAD");
    expect(span.attributes.has("error.type")).toBe(false);
    expect(span.status).toEqual({ status: "success" });
    expect(span.ended).toBe(true);
  }
});

it("records a span for each call served from the cache, which makes no exchange", async () => {
  const { cred, exchanges } = credentialExchanging(anHour);
  for (let i = 0; i < 5; i += 1) await cred.getToken(SCOPE);

  expect(exchanges.count).toBe(1);
  expect(instrumenter.spans.map((span) => [span.name, span.status?.status, span.ended])).toEqual(
    Array.from({ length: 5 }, () => ["WorkloadIdentityCredential.getToken", "success", true]),
  );
});

it.each([
  ["refused before any request", "https://vault.azure.net", "ERR_INVALID_SCOPE"],
  ["the token endpoint unreachable", SCOPE, "ERR_NETWORK"],
])(
  "marks the span of a call that failed (%s) as an error, with its code as error.type",
  async (_, scope, code) => {
    const failure = credential().getToken(scope);
    await expect(failure).rejects.toMatchObject({ code });
    const error: unknown = await failure.catch((e: unknown) => e);

    expect(instrumenter.spans).toHaveLength(1);
    const [span] = instrumenter.spans;
    expect(span?.status).toEqual({ status: "error", error });
    expect(span?.attributes.get("error.type")).toBe(code);
    expect(span?.attributes.get("az.namespace")).toBe("Microsoft.AAD");
    expect(span?.ended).toBe(true);
  },
);

it("names an error that is not ours by its name in error.type, and passes its message on nowhere", async () => {
  const aborted = AbortSignal.abort(new Error("the caller went away"));
  await expect(credential().getToken(SCOPE, { abortSignal: aborted })).rejects.toMatchObject({
    name: "AbortError",
  });

  const [span] = instrumenter.spans;
  expect(span?.status).toEqual({ status: "error" });
  expect(span?.attributes.get("error.type")).toBe("AbortError");
  expect(span?.exceptions).toEqual([]);
  expect(span?.ended).toBe(true);
});

it("passes the caller's tracingOptions.tracingContext to the instrumenter as the span's parent", async () => {
  const { cred } = credentialExchanging(anHour);
  const parent = new RecordingContext();
  await cred.getToken(SCOPE, { tracingOptions: { tracingContext: parent } });
  await cred.getToken(SCOPE, { tracingOptions: { tracingContext: parent } }); // from the cache
  await cred.getToken(SCOPE);

  expect(instrumenter.spans.map((span) => span.options.tracingContext)).toEqual([parent, parent, undefined]);
  expect(instrumenter.spans[0]?.options.tracingContext).toBe(parent);
  expect(instrumenter.spans[1]?.options.tracingContext).toBe(parent);
});

it("makes the span's context current while the exchange runs, so the token request's spans nest under it", async () => {
  let currentAtExchange: TracingContext | undefined;
  const { cred } = credentialExchanging(() => {
    currentAtExchange = instrumenter.current;
    return anHour();
  });
  await cred.getToken(SCOPE);

  expect(instrumenter.spans).toHaveLength(1);
  expect(currentAtExchange?.getValue(SPAN)).toBe(instrumenter.spans[0]);
});

it("records neither the access token nor the assertion, on success or failure", async () => {
  const { cred } = credentialExchanging(anHour);
  await cred.getToken(SCOPE); // the token, from the exchange
  await cred.getToken(SCOPE); // the token, from the cache
  // The real exchange: reads the assertion from the file and sends it to a port that refuses it.
  await expect(credential().getToken(SCOPE)).rejects.toMatchObject({ code: "ERR_NETWORK" });
  // A lower layer's error that echoes the request it failed to send: not ours, so its message goes nowhere.
  const { cred: echoing } = credentialExchanging(() =>
    Promise.reject(new TypeError(`could not send client_assertion=${ASSERTION}`)),
  );
  await expect(echoing.getToken(SCOPE)).rejects.toThrow(TypeError);

  expect(instrumenter.spans).toHaveLength(4);
  const recorded = everythingRecorded(instrumenter.spans);
  expect(recorded.filter((text) => text.includes(ACCESS_TOKEN))).toEqual([]);
  expect(recorded.filter((text) => text.includes(ASSERTION))).toEqual([]);
  expect(recorded.filter((text) => text.includes(ASSERTION.split(".")[1] ?? "?"))).toEqual([]);
});

it("starts no span when the instrumenter parses no traceparent, as core-tracing's default one", async () => {
  class NotPropagating extends RecordingInstrumenter {
    override parseTraceparentHeader(): TracingContext | undefined {
      return undefined;
    }
  }
  const quiet = new NotPropagating();
  useInstrumenter(quiet);
  const { cred } = credentialExchanging(anHour);

  await expect(cred.getToken(SCOPE)).resolves.toMatchObject({ token: ACCESS_TOKEN });
  await expect(cred.getToken("https://vault.azure.net")).rejects.toMatchObject({ code: "ERR_INVALID_SCOPE" });
  expect(quiet.spans).toEqual([]);
});

// getToken's span, through @azure/core-tracing as in every Azure SDK credential; no work when nothing traces.
import type { GetTokenOptions } from "@azure/core-auth";
import { createTracingClient, type TracingSpan } from "@azure/core-tracing";
import { WorkloadIdentityError } from "./errors/errors.js";
import { packageVersion } from "./version.js";

const GET_TOKEN_SPAN = "WorkloadIdentityCredential.getToken";

// The namespace of @azure/identity's credentials (Entra ID's resource provider): ours group with theirs.
const tracingClient = createTracingClient({
  namespace: "Microsoft.AAD",
  packageName: "@workload-identity/credential",
  packageVersion,
});

/** A well-formed W3C traceparent (version, trace id, parent id, sampled), only ever shown to the instrumenter. */
const PROBE_TRACEPARENT = "00-7d1c2e3f4a5b6c7d8e9f0a1b2c3d4e5f-1a2b3c4d5e6f7a8b-01";

/**
 * Runs `acquire` (all of getToken, a cache hit included) in a `WorkloadIdentityCredential.getToken` span,
 * child of the caller's `tracingOptions.tracingContext` (else of the instrumenter's active context) and the
 * current context while it runs, so the token request's own spans nest under it.
 *
 * Only when something traces. A span on core-tracing's default instrumenter (in place until `useInstrumenter`)
 * records nothing, yet copies two contexts and builds a span object: more than a cached getToken costs. Which
 * instrumenter is in place core-tracing does not say, but the default one's parseTraceparentHeader is a constant
 * `undefined`, where OpenTelemetry's (@azure/opentelemetry-instrumentation-azure-sdk) always answers a context.
 * So a span is started when the instrumenter parses a traceparent; asked at every call, since an instrumenter may
 * be registered after the credential is made.
 */
export function traceGetToken<T>(options: GetTokenOptions, acquire: () => T | Promise<T>): T | Promise<T> {
  if (tracingClient.parseTraceparentHeader(PROBE_TRACEPARENT) === undefined) return acquire();
  return inSpan(options, acquire);
}

async function inSpan<T>(options: GetTokenOptions, acquire: () => T | Promise<T>): Promise<T> {
  const { span, updatedOptions } = tracingClient.startSpan(GET_TOKEN_SPAN, options);
  try {
    const result = await tracingClient.withContext(updatedOptions.tracingOptions.tracingContext, acquire);
    span.setStatus({ status: "success" });
    return result;
  } catch (error) {
    recordFailure(span, error);
    throw error;
  } finally {
    span.end();
  }
}

/**
 * Status error, and `error.type`: OpenTelemetry's semantic conventions name it for the class of error an
 * operation ended with, predictable and of low cardinality, which is what our `code` is (the value callers switch
 * on, listed in the README); for another error its name (AbortError), and for a non-Error the conventions'
 * fallback "_OTHER". Our errors go to setStatus, which OpenTelemetry keeps as the status message and an exception
 * event: their messages never hold a token, an assertion or a secret (errors/errors.ts). Another error's message
 * is not ours to vouch for, so it is not passed on.
 */
function recordFailure(span: TracingSpan, error: unknown): void {
  if (error instanceof WorkloadIdentityError) {
    span.setAttribute("error.type", error.code);
    span.setStatus({ status: "error", error });
  } else {
    span.setAttribute("error.type", error instanceof Error ? error.name : "_OTHER");
    span.setStatus({ status: "error" });
  }
}

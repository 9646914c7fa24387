import { EntraErrors, entraErrorReply, statusOf, type EntraErrorName } from "./entra-error.js";

const ORIGIN = "https://127.0.0.1:8443";
const GUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
const STAMP = "\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\dZ";

interface Body {
  error: string;
  error_description: string;
  error_codes: number[];
  timestamp: string;
  trace_id: string;
  correlation_id: string;
  error_uri: string;
}

function reply(separator: "space" | "crlf", correlationId?: string) {
  const answer = entraErrorReply(EntraErrors.missingClientCredential(), {
    authorityOrigin: ORIGIN,
    separator,
    correlationId,
  });
  return { ...answer, body: answer.body as Body, headers: answer.headers ?? {} };
}

describe("statusOf", () => {
  it("answers 401 for invalid_client and 400 for every other error", () => {
    const others: EntraErrorName[] = [
      "invalid_request",
      "unauthorized_client",
      "unsupported_grant_type",
      "invalid_scope",
      "invalid_resource",
      "invalid_instance",
      "invalid_tenant",
    ];
    expect(statusOf("invalid_client")).toBe(401);
    for (const error of others) expect(statusOf(error)).toBe(400);
  });
});

describe("entraErrorReply", () => {
  it("takes its status from the error, so an invalid_client answer is a 401", () => {
    expect(reply("space").status).toBe(401);
    const malformed = entraErrorReply(EntraErrors.malformedAssertion(), {
      authorityOrigin: ORIGIN,
      separator: "space",
    });
    expect(malformed.status).toBe(400);
  });

  it("writes Entra's fields in Entra's order", () => {
    expect(Object.keys(reply("space").body)).toEqual([
      "error",
      "error_description",
      "error_codes",
      "timestamp",
      "trace_id",
      "correlation_id",
      "error_uri",
    ]);
  });

  it("separates the trace, correlation and timestamp parts with single spaces by default", () => {
    const { body } = reply("space", "my-correlation");
    expect(body.error_description).toMatch(
      new RegExp(
        "^AADSTS7000216: 'client_assertion', 'client_secret' or 'request' is required for the 'client_credentials' grant type\\. " +
          `Trace ID: ${GUID} Correlation ID: my-correlation Timestamp: ${STAMP}$`,
      ),
    );
  });

  it("separates them with CRLF in the older form", () => {
    const { body } = reply("crlf", "my-correlation");
    expect(body.error_description).toMatch(
      new RegExp(
        `grant type\\.\\r\\nTrace ID: ${GUID}\\r\\nCorrelation ID: my-correlation\\r\\nTimestamp: ${STAMP}$`,
      ),
    );
  });

  it("uses one timestamp and one trace id in the description, the fields and x-ms-request-id", () => {
    const { body, headers } = reply("space");
    expect(body.timestamp).toMatch(new RegExp(`^${STAMP}$`));
    expect(body.error_description.endsWith(`Timestamp: ${body.timestamp}`)).toBe(true);
    expect(body.error_description).toContain(`Trace ID: ${body.trace_id} `);
    expect(headers["x-ms-request-id"]).toBe(body.trace_id);
  });

  it("echoes the client-request-id as the correlation id and header, or makes a fresh correlation id", () => {
    const echoed = reply("space", "abc-123");
    expect(echoed.body.correlation_id).toBe("abc-123");
    expect(echoed.headers["client-request-id"]).toBe("abc-123");

    const fresh = reply("space");
    expect(fresh.body.correlation_id).toMatch(new RegExp(`^${GUID}$`));
    expect(fresh.headers).not.toHaveProperty("client-request-id");
  });

  it("is never cached, as Entra's token answers are not", () => {
    expect(reply("space").headers).toMatchObject({
      "cache-control": "no-store, no-cache",
      pragma: "no-cache",
      expires: "-1",
    });
  });

  it("points error_uri at the authority host's error page for the code", () => {
    expect(reply("space").body.error_uri).toBe(`${ORIGIN}/error?code=7000216`);
  });
});

describe("EntraErrors texts", () => {
  it("names all three claims and links the federation docs in the 70021 form, as either error", () => {
    const modern = EntraErrors.noMatchingFederatedRecord(
      "https://iss/",
      "system:serviceaccount:a:b",
      "api://X",
      "invalid_client",
    );
    const older = EntraErrors.noMatchingFederatedRecord(
      "https://iss/",
      "system:serviceaccount:a:b",
      "api://X",
      "invalid_request",
    );
    expect(modern.message).toBe(
      "No matching federated identity record found for presented assertion. Assertion Issuer: 'https://iss/'. " +
        "Assertion Subject: 'system:serviceaccount:a:b'. Assertion Audience: 'api://X'. " +
        "https://docs.microsoft.com/en-us/azure/active-directory/develop/workload-identity-federation",
    );
    expect({ modern: modern.error, older: older.error, same: older.message === modern.message }).toEqual({
      modern: "invalid_client",
      older: "invalid_request",
      same: true,
    });
  });

  it("words a per-claim mismatch as in 2025, or as in 2024 when asked", () => {
    expect(EntraErrors.noMatchingFederatedClaim(700213, "subject", "s", "2025").message).toBe(
      "No matching federated identity record found for presented assertion subject 's'. Check your federated " +
        "identity credential Subject, Audience and Issuer against the presented assertion. " +
        "https://learn.microsoft.com/entra/workload-id/workload-identity-federation",
    );
    expect(EntraErrors.noMatchingFederatedClaim(700211, "issuer", "i", "2024").message).toBe(
      "No matching federated identity record found for presented assertion issuer 'i'. Please check your federated " +
        "identity credential Subject, Audience and Issuer against the presented assertion. " +
        "https://docs.microsoft.com/en-us/azure/active-directory/develop/workload-identity-federation",
    );
  });

  it("says a case-only subject mismatch is one, with both links", () => {
    const spec = EntraErrors.subjectMatchesOnlyIgnoringCase("repo:Org/App:environment:Production");
    expect(spec).toEqual({
      error: "invalid_client",
      code: 7002138,
      message:
        "No matching federated identity record found for presented assertion subject 'repo:Org/App:environment:Production'. " +
        "The subject matches with case-insensitive comparison, but not with case-sensitive comparison. " +
        "Check your federated identity credential Subject, Audience and Issuer against the presented assertion. " +
        "See documentation at: https://learn.microsoft.com/entra/workload-id/workload-identity-federation. " +
        "See breaking change notification and remediation at: https://learn.microsoft.com/en-us/entra/identity-platform/reference-breaking-changes#august-2024.",
    });
  });

  it("prints 700024's times with seven fraction digits and a missing nbf as the epoch", () => {
    const now = Date.parse("2025-08-29T05:47:32.150Z");
    const exp = Date.parse("2025-08-29T00:30:05Z") / 1000;
    expect(EntraErrors.assertionOutsideValidity(now, undefined, exp).message).toBe(
      "Client assertion is not within its valid time range. Current time: 2025-08-29T05:47:32.1500000Z, " +
        "assertion valid from 1970-01-01T00:00:00.0000000Z, expiry time of assertion 2025-08-29T00:30:05.0000000Z. " +
        "Review the documentation at https://learn.microsoft.com/entra/identity-platform/certificate-credentials .",
    );
  });

  it("prints a claim no date can hold as .NET's extreme dates instead of failing", () => {
    const message = EntraErrors.assertionOutsideValidity(0, 1e20, -1e20).message;
    expect(message).toContain("assertion valid from 9999-12-31T23:59:59.9999999Z");
    expect(message).toContain("expiry time of assertion 0001-01-01T00:00:00.0000000Z");
  });

  it("names the method in AADSTS900561", () => {
    expect(EntraErrors.methodNotAllowed("GET")).toEqual({
      error: "invalid_request",
      code: 900561,
      message: "The endpoint only accepts POST, OPTIONS requests. Received a GET request.",
    });
  });
});

import type { TokenRequestFailure } from "../network/exchange-context.js";
import { AuthenticationError, WorkloadIdentityError, type WorkloadIdentityErrorCode } from "./errors.js";
import { mapTokenFailure } from "./map-token-failure.js";
import { presentedClaims, type PresentedClaims } from "./presented-claims.js";

const CLIENT_ID = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
const TENANT_ID = "72f988bf-86f1-41af-91ab-2d7cd011db47";
const TRACE_ID = "2f4b7c1e-8f5a-4e21-9c3b-7d2a1f0e6b00";
const CORRELATION_ID = "c0ffee00-1234-4abc-9def-0123456789ab";
const TIMESTAMP = "2026-03-01 12:00:00Z";
const AKS_ISSUER =
  "https://eastus.oic.prod-aks.azure.com/00000000-0000-0000-0000-000000000000/11111111-1111-1111-1111-111111111111/";
const SUBJECT = "system:serviceaccount:default:workload-identity-sa";
const AUDIENCE = "api://AzureADTokenExchange";

/** An unsigned JWT (header.payload.signature, base64url JSON): enough for claims to be decoded. */
function unsignedJwt(payload: Record<string, unknown>): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  return `${encode({ alg: "RS256", kid: "k1", typ: "JWT" })}.${encode(payload)}.U0VDUkVULXNpZ25hdHVyZQ`;
}

/**
 * Entra's JSON error body, as the token endpoint sends it: the trace, correlation and timestamp parts follow the
 * message after "\r\n" in answers up to 2023 (external-secrets #2783) and after single spaces since
 * (azure-workload-identity #1200, Azure/terraform's 2026 test record).
 */
function entraBody(aadsts: number, error: string, text: string, separator = " "): string {
  return JSON.stringify({
    error,
    error_description: `AADSTS${aadsts}: ${text}${separator}Trace ID: ${TRACE_ID}${separator}Correlation ID: ${CORRELATION_ID}${separator}Timestamp: ${TIMESTAMP}`,
    error_codes: [aadsts],
    timestamp: TIMESTAMP,
    trace_id: TRACE_ID,
    correlation_id: CORRELATION_ID,
    error_uri: `https://login.microsoftonline.com/error?code=${aadsts}`,
  });
}

function http(status: number, body: string, attempts = 1): TokenRequestFailure {
  return {
    kind: "http",
    status,
    headers: { "content-type": "application/json; charset=utf-8" },
    body,
    attempts,
  };
}

const assertion = unsignedJwt({ iss: AKS_ISSUER, sub: SUBJECT, aud: [AUDIENCE], exp: 1_772_366_400 });
const assertionNoSlash = unsignedJwt({ iss: AKS_ISSUER.slice(0, -1), sub: SUBJECT, aud: [AUDIENCE] });
let claims: PresentedClaims | undefined;
let claimsNoSlash: PresentedClaims | undefined;

beforeAll(async () => {
  claims = await presentedClaims(assertion);
  claimsNoSlash = await presentedClaims(assertionNoSlash);
});

// Entra's texts, as quoted in public issues: 70021 (external-secrets #2783, 2023), the per-claim form
// (Azure/terraform test record, 2026), 7002138 (Azure/login #515, 2025), 700024 (MSAL Java #984, 2025).
const MISMATCH_70021 = `No matching federated identity record found for presented assertion. Assertion Issuer: '${AKS_ISSUER}'. Assertion Subject: '${SUBJECT}'. Assertion Audience: '${AUDIENCE}'. https://docs.microsoft.com/en-us/azure/active-directory/develop/workload-identity-federation`;
const perClaim = (claim: string, value: string) =>
  `No matching federated identity record found for presented assertion ${claim} '${value}'. Check your federated identity credential Subject, Audience and Issuer against the presented assertion. https://learn.microsoft.com/entra/workload-id/workload-identity-federation`;
const CASE_ONLY_7002138 = `No matching federated identity record found for presented assertion subject '${SUBJECT}'. The subject matches with case-insensitive comparison, but not with case-sensitive comparison. Check your federated identity credential Subject, Audience and Issuer against the presented assertion. See documentation at: https://learn.microsoft.com/entra/workload-id/workload-identity-federation. See breaking change notification and remediation at: https://learn.microsoft.com/en-us/entra/identity-platform/reference-breaking-changes#august-2024.`;

/** Entra answers `invalid_client` with 401 and its other errors with 400. */
const statusFor = (error: string) => (error === "invalid_client" ? 401 : 400);
const SEPARATORS: [string, string][] = [
  ["single spaces (since late 2023)", " "],
  ["\\r\\n (up to 2023)", "\r\n"],
];

// [AADSTS, Entra's `error`, Entra's text, expected code, a fragment of the fix the message must name]
const TABLE: [number, string, string, WorkloadIdentityErrorCode, string][] = [
  [
    90002,
    "invalid_request",
    `Tenant '${TENANT_ID}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`,
    "ERR_UNKNOWN_TENANT",
    "check AZURE_TENANT_ID",
  ],
  [
    700016,
    "unauthorized_client",
    `Application with identifier '${CLIENT_ID}' was not found in the directory '${TENANT_ID}'.`,
    "ERR_UNKNOWN_CLIENT",
    "azure.workload.identity/client-id annotation",
  ],
  [
    1002012,
    "invalid_scope",
    "The provided value for scope https://vault.azure.net is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).",
    "ERR_INVALID_SCOPE",
    'must end in "/.default"',
  ],
  [
    70011,
    "invalid_scope",
    "The provided request must include a 'scope' input parameter. The provided value for the input parameter 'scope' is not valid.",
    "ERR_INVALID_SCOPE",
    "RESOURCE/.default",
  ],
  [
    500011,
    "invalid_resource",
    `The resource principal named https://vault.azure.nett was not found in the tenant named ${TENANT_ID}.`,
    "ERR_UNKNOWN_RESOURCE",
    "check the scope for a typo",
  ],
  [
    50027,
    "invalid_client",
    "JWT token is invalid or malformed.",
    "ERR_ASSERTION_MALFORMED",
    "check AZURE_FEDERATED_TOKEN_FILE",
  ],
  [
    700024,
    "invalid_client",
    "Client assertion is not within its valid time range. Current time: 2026-03-01T12:00:00.3135329Z, assertion valid from 1970-01-01T00:00:00.0000000Z, expiry time of assertion 2026-02-28T11:00:00.0000000Z. Review the documentation at https://learn.microsoft.com/entra/identity-platform/certificate-credentials .",
    "ERR_ASSERTION_EXPIRED",
    "is kubelet still rotating it",
  ],
  [
    70025,
    "invalid_client",
    `The client '${CLIENT_ID}'(my-app) has no configured federated identity credentials.`,
    "ERR_NO_FEDERATED_CREDENTIAL",
    "create one for the cluster's issuer",
  ],
  [
    70021,
    "invalid_request",
    MISMATCH_70021,
    "ERR_FEDERATED_CREDENTIAL_MISMATCH",
    "must match exactly, case included",
  ],
  [
    700211,
    "invalid_client",
    perClaim("issuer", AKS_ISSUER),
    "ERR_FEDERATED_CREDENTIAL_MISMATCH",
    "must match exactly, case included",
  ],
  [
    700212,
    "invalid_client",
    perClaim("audience", AUDIENCE),
    "ERR_FEDERATED_CREDENTIAL_MISMATCH",
    "must match exactly, case included",
  ],
  [
    700213,
    "invalid_client",
    perClaim("subject", SUBJECT),
    "ERR_FEDERATED_CREDENTIAL_MISMATCH",
    "must match exactly, case included",
  ],
  [
    7002138,
    "invalid_client",
    CASE_ONLY_7002138,
    "ERR_FEDERATED_CREDENTIAL_MISMATCH",
    "must match exactly, case included",
  ],
  [
    90061,
    "invalid_request",
    "Request to External OIDC endpoint failed.",
    "ERR_ISSUER_UNREACHABLE",
    "must be publicly reachable over HTTPS",
  ],
  [
    50166,
    "invalid_request",
    "Request to External OIDC endpoint failed.",
    "ERR_ISSUER_UNREACHABLE",
    "must be publicly reachable",
  ],
  [
    700027,
    "invalid_client",
    "Client assertion failed signature validation.",
    "ERR_ASSERTION_SIGNATURE",
    "publish the new keys in the JWKS",
  ],
];
const MISMATCH_CODES = [70021, 700211, 700212, 700213, 7002138];

describe("mapTokenFailure", () => {
  describe.each(TABLE)("AADSTS%d (%s)", (aadsts, error, text, code, fix) => {
    const status = statusFor(error);
    const map = (separator = " ") =>
      mapTokenFailure(http(status, entraBody(aadsts, error, text, separator)), claims);

    it(`gives an AuthenticationError ${code} with the status, AADSTS code and correlation id`, () => {
      const mapped = map();

      expect(mapped).toBeInstanceOf(AuthenticationError);
      expect(mapped).toMatchObject({
        name: "AuthenticationError",
        code,
        statusCode: status,
        aadstsCode: aadsts,
        correlationId: CORRELATION_ID,
        errorResponse: {
          error,
          errorCodes: [aadsts],
          correlationId: CORRELATION_ID,
          traceId: TRACE_ID,
          timestamp: TIMESTAMP,
        },
      });
    });

    it.each(SEPARATORS)(
      "says on one line what to fix, then Entra's message and the correlation id once, its trailer after %s cut off",
      (_form, separator) => {
        const { message } = map(separator);

        expect(message).not.toMatch(/[\r\n]/);
        expect(message).toContain(fix);
        expect(message).toMatch(
          new RegExp(`Entra said: AADSTS${aadsts}: .* \\(correlation id ${CORRELATION_ID}\\)$`),
        );
        expect(message).toContain(`Entra said: AADSTS${aadsts}: ${text} (correlation id ${CORRELATION_ID})`);
        expect(message).not.toMatch(/Trace ID|Timestamp|Correlation ID/);
        expect(message.split(CORRELATION_ID)).toHaveLength(2);
      },
    );

    it("never shows the assertion itself", () => {
      const { message } = map();

      expect(message).not.toContain(assertion);
      expect(message).not.toContain(assertion.split(".")[1]);
      expect(message).not.toContain("U0VDUkVULXNpZ25hdHVyZQ");
    });
  });

  describe("a federated credential mismatch", () => {
    // 70021 came as invalid_request/400 (azure-workload-identity #616, 2022) and as invalid_client/401
    // (external-secrets #2783, 2023); the per-claim codes as invalid_client/401.
    it.each([
      [70021, "invalid_request", 400, MISMATCH_70021],
      [70021, "invalid_client", 401, MISMATCH_70021],
      [700211, "invalid_client", 401, perClaim("issuer", AKS_ISSUER)],
      [700213, "invalid_client", 401, perClaim("subject", SUBJECT)],
      [7002138, "invalid_client", 401, CASE_ONLY_7002138],
    ])(
      "AADSTS%d as %s with HTTP %d is the same mismatch, naming propagation",
      (aadsts, error, status, text) => {
        for (const [, separator] of SEPARATORS) {
          const mapped = mapTokenFailure(http(status, entraBody(aadsts, error, text, separator)), claims);
          expect(mapped).toMatchObject({ code: "ERR_FEDERATED_CREDENTIAL_MISMATCH", statusCode: status });
          expect(mapped.message).toContain("may still be propagating");
        }
      },
    );

    it.each(MISMATCH_CODES)(
      "AADSTS%d shows the presented issuer, subject and audience, and that it ends with a trailing slash",
      (aadsts) => {
        const { message } = mapTokenFailure(
          http(400, entraBody(aadsts, "invalid_client", perClaim("subject", SUBJECT))),
          claims,
        );

        expect(message).toContain(`issuer '${AKS_ISSUER}', subject '${SUBJECT}', audience '${AUDIENCE}'`);
        expect(message).toContain("the presented issuer ends with a trailing slash");
        expect(message).toContain("system:serviceaccount:NAMESPACE:SERVICE_ACCOUNT");
      },
    );

    it("does not claim a trailing slash was presented when the issuer has none", () => {
      const { message } = mapTokenFailure(
        http(400, entraBody(700211, "invalid_client", perClaim("issuer", AKS_ISSUER.slice(0, -1)))),
        claimsNoSlash,
      );

      expect(message).toContain(`issuer '${AKS_ISSUER.slice(0, -1)}'`);
      expect(message).not.toContain("ends with a trailing slash");
    });

    it("still maps and says the claims are unreadable when the assertion could not be decoded", () => {
      const mapped = mapTokenFailure(
        http(400, entraBody(70021, "invalid_request", MISMATCH_70021)),
        undefined,
      );

      expect(mapped).toMatchObject({
        code: "ERR_FEDERATED_CREDENTIAL_MISMATCH",
        message: expect.stringContaining("claims unreadable"),
      });
    });

    it("understands a body with AADSTS only in the description and no error_codes", () => {
      const body = JSON.stringify({
        error: "invalid_client",
        error_description: `AADSTS700213: ${perClaim("subject", SUBJECT)}`,
      });

      const mapped = mapTokenFailure(http(400, body), claims);

      expect(mapped).toBeInstanceOf(AuthenticationError);
      expect(mapped).toMatchObject({
        code: "ERR_FEDERATED_CREDENTIAL_MISMATCH",
        aadstsCode: 700213,
        correlationId: undefined,
        statusCode: 400,
        message: expect.stringContaining(`subject '${SUBJECT}'`),
      });
      expect(mapped.message).not.toContain("correlation id");
    });
  });

  it("names the issuer Entra could not reach", () => {
    const { message } = mapTokenFailure(
      http(400, entraBody(90061, "invalid_request", "Request to External OIDC endpoint failed.")),
      claims,
    );

    expect(message).toContain(`from ${AKS_ISSUER}`);
  });

  it("shows the presented expiry for an expired assertion", () => {
    const { message } = mapTokenFailure(
      http(400, entraBody(700024, "invalid_client", "Client assertion is not within its valid time range.")),
      claims,
    );

    expect(message).toContain("exp '2026-03-01T12:00:00.000Z'");
  });

  it("passes an unknown AADSTS code on as ERR_ENTRA_REJECTED with Entra's first line", () => {
    const mapped = mapTokenFailure(
      http(401, entraBody(7000215, "invalid_client", "Invalid client secret provided.")),
      claims,
    );

    expect(mapped).toBeInstanceOf(AuthenticationError);
    expect(mapped).toMatchObject({
      code: "ERR_ENTRA_REJECTED",
      statusCode: 401,
      aadstsCode: 7000215,
      message: `Entra answered HTTP 401: AADSTS7000215: Invalid client secret provided. (correlation id ${CORRELATION_ID})`,
    });
  });

  it("reports a final 503 with Entra's body as ERR_ENTRA_UNAVAILABLE, with the number of attempts", () => {
    const body = entraBody(
      90033,
      "temporarily_unavailable",
      "A transient error has occurred. Please try again.",
    );

    const mapped = mapTokenFailure(http(503, body, 5), claims);

    expect(mapped).toBeInstanceOf(AuthenticationError);
    expect(mapped).toMatchObject({
      code: "ERR_ENTRA_UNAVAILABLE",
      statusCode: 503,
      aadstsCode: 90033,
      correlationId: CORRELATION_ID,
    });
    expect(mapped.message).toContain("HTTP 503 after 5 attempt(s)");
    expect(mapped.message).not.toMatch(/[\r\n]/);
  });

  it("reports a final 429 as ERR_ENTRA_UNAVAILABLE", () => {
    const body = entraBody(
      50196,
      "invalid_request",
      "The server terminated an operation because it encountered a client request loop.",
    );

    expect(mapTokenFailure(http(429, body, 3), claims)).toMatchObject({
      code: "ERR_ENTRA_UNAVAILABLE",
      statusCode: 429,
    });
  });

  it("reports an HTML 502 from a gateway as ERR_ENTRA_UNAVAILABLE without repeating the page", () => {
    const page =
      "<html><head><title>502 Bad Gateway</title></head><body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n</body></html>";

    const mapped = mapTokenFailure(http(502, page, 5), claims);

    expect(mapped).toBeInstanceOf(AuthenticationError);
    expect(mapped).toMatchObject({ code: "ERR_ENTRA_UNAVAILABLE", statusCode: 502, aadstsCode: undefined });
    expect(mapped.message).toContain("HTTP 502 with an HTML page");
    expect(mapped.message).not.toContain("Bad Gateway");
    expect(mapped.message).not.toMatch(/[\r\n]/);
  });

  it("reports a proxy's HTML 403 as ERR_ENTRA_REJECTED", () => {
    expect(mapTokenFailure(http(403, "<!DOCTYPE html><p>Access denied by proxy</p>"), claims)).toMatchObject({
      code: "ERR_ENTRA_REJECTED",
      statusCode: 403,
    });
  });

  it.each([
    ["JSON that is not an object", "null"],
    ["an object without error", JSON.stringify({ message: "nope" })],
    ["plain text", "Service Unavailable"],
  ])("reports a 400 with %s as not Entra's JSON error", (_case, body) => {
    expect(mapTokenFailure(http(400, body), claims)).toMatchObject({
      code: "ERR_ENTRA_REJECTED",
      message: expect.stringContaining("a body that is not Entra's JSON error"),
    });
  });

  it("reports a 2xx answer that is not JSON as ERR_INVALID_RESPONSE", () => {
    const mapped = mapTokenFailure(http(200, "<html>Welcome to nginx!</html>"), claims);

    expect(mapped).toBeInstanceOf(WorkloadIdentityError);
    expect(mapped).not.toBeInstanceOf(AuthenticationError);
    expect(mapped).toMatchObject({
      code: "ERR_INVALID_RESPONSE",
      message: expect.stringContaining("answered 200"),
    });
    expect(mapped.message).toContain("AZURE_AUTHORITY_HOST");
  });

  it("maps a network failure to ERR_NETWORK with the errno code and the attempts, keeping the cause", () => {
    const cause = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:443"), { code: "ECONNREFUSED" });

    const mapped = mapTokenFailure({ kind: "network", error: cause, attempts: 5 }, claims);

    expect(mapped).toBeInstanceOf(WorkloadIdentityError);
    expect(mapped).not.toBeInstanceOf(AuthenticationError);
    expect(mapped).toMatchObject({ code: "ERR_NETWORK", cause });
    expect(mapped.message).toContain("after 5 attempt(s): ECONNREFUSED");
    expect(mapped.message).toContain("HTTPS_PROXY");
  });

  it("uses the error's message for a network failure without an errno code", () => {
    const cause = new Error("socket hang up");

    expect(mapTokenFailure({ kind: "network", error: cause, attempts: 1 }, claims)).toMatchObject({
      code: "ERR_NETWORK",
      message: expect.stringContaining("after 1 attempt(s): socket hang up"),
    });
  });

  it("maps an aborted request to ERR_TIMEOUT, keeping the reason", () => {
    const reason = new DOMException("The operation was aborted due to timeout", "TimeoutError");

    const mapped = mapTokenFailure({ kind: "aborted", reason, attempts: 2 }, claims);

    expect(mapped).toBeInstanceOf(WorkloadIdentityError);
    expect(mapped).toMatchObject({
      code: "ERR_TIMEOUT",
      cause: reason,
      message: expect.stringContaining("after 2 attempt(s)"),
    });
  });
});

describe("mapTokenFailure edge cases", () => {
  it("keeps a presented claim with a newline on one line", async () => {
    const evil = unsignedJwt({ iss: "https://issuer/\r\nInjected: yes", sub: SUBJECT, aud: [AUDIENCE] });
    const error = mapTokenFailure(
      http(400, entraBody(700211, "invalid_client", perClaim("issuer", "x"))),
      await presentedClaims(evil),
    );
    expect(error.message).not.toMatch(/[\r\n]/);
    expect(error.message).toContain("\\u000d\\u000aInjected");
  });

  it("does not take an unrelated 7002xx code for a federation mismatch", () => {
    const error = mapTokenFailure(
      http(400, entraBody(700222, "invalid_request", "Something else.")),
      undefined,
    );
    expect(error.code).toBe("ERR_ENTRA_REJECTED");
  });
});

describe("a proxy's refusal", () => {
  it("names the proxy's 407 and the variable to put its credentials in", () => {
    const error = mapTokenFailure(
      { kind: "proxy", status: 407, variable: "HTTPS_PROXY", attempts: 1 },
      undefined,
    );
    expect(error).toMatchObject({
      code: "ERR_PROXY_REFUSED",
      message:
        "The proxy in HTTPS_PROXY refused the token request with HTTP 407 (Proxy Authentication Required): put the proxy's user name and password in HTTPS_PROXY (http://user:password@host:port).",
    });
  });

  it("names another status and the way around the proxy", () => {
    const error = mapTokenFailure(
      { kind: "proxy", status: 403, variable: "ALL_PROXY", attempts: 1 },
      undefined,
    );
    expect(error.message).toBe(
      "The proxy in ALL_PROXY refused the token request with HTTP 403: check that the proxy in ALL_PROXY allows the authority host, or list the host in NO_PROXY.",
    );
  });
});

it("keeps Entra's message and correlation id on one line whatever characters they hold", () => {
  const body = JSON.stringify({
    error: "invalid_request",
    error_description: "AADSTS90002: Tenant 'x'\rnot found.\u2028Really. Trace ID: t",
    error_codes: [90002],
    correlation_id: "c\u2028d",
  });
  const { message } = mapTokenFailure(http(400, body), undefined);
  expect(message).not.toMatch(/[\r\n\u2028\u2029]/);
  expect(message).toContain("\\u000d");
  expect(message).toContain("correlation id c\\u2028d");
});

describe("mapTokenFailure for an identity binding's token proxy", () => {
  const FILE_ROUTE = {
    base: "https://10.0.0.1:443",
    sniName: "proxy.identity-binding.test",
    caVariable: "AZURE_KUBERNETES_CA_FILE" as const,
    caPath: "/var/run/secrets/azure/tokens/ca.crt",
  };
  const tlsFailure = (code: string): TokenRequestFailure => ({
    kind: "tls",
    error: Object.assign(new Error(code), { code }),
    attempts: 1,
  });

  it("names the CA file, read again, when the proxy's certificate does not chain to it", () => {
    const error = mapTokenFailure(tlsFailure("UNABLE_TO_VERIFY_LEAF_SIGNATURE"), undefined, FILE_ROUTE);

    expect(error).toMatchObject({ code: "ERR_TOKEN_PROXY_TLS", category: "configuration" });
    expect(error.message).toBe(
      "TLS to the token proxy https://10.0.0.1:443 failed (UNABLE_TO_VERIFY_LEAF_SIGNATURE): its certificate does not chain to the CA in AZURE_KUBERNETES_CA_FILE (/var/run/secrets/azure/tokens/ca.crt), read again after the failure; check that the projected CA is current.",
    );
  });

  it("says an inline CA cannot follow a rotation", () => {
    const error = mapTokenFailure(tlsFailure("SELF_SIGNED_CERT_IN_CHAIN"), undefined, {
      ...FILE_ROUTE,
      caVariable: "AZURE_KUBERNETES_CA_DATA",
      caPath: undefined,
    });

    expect(error.message).toContain(
      "AZURE_KUBERNETES_CA_DATA, which cannot follow a rotation: recreate the pod",
    );
  });

  it("names the SNI name when the certificate is not for it", () => {
    expect(
      mapTokenFailure(tlsFailure("ERR_TLS_CERT_ALTNAME_INVALID"), undefined, FILE_ROUTE).message,
    ).toContain(
      "its certificate is not valid for the server name proxy.identity-binding.test (AZURE_KUBERNETES_SNI_NAME)",
    );
  });

  it("takes a 403 from the proxy as the service account not being allowed to use the client id", () => {
    const error = mapTokenFailure(
      { kind: "http", status: 403, headers: {}, body: '{"error":"forbidden"}', attempts: 1 },
      undefined,
      FILE_ROUTE,
    );

    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error).toMatchObject({ code: "ERR_TOKEN_PROXY_FORBIDDEN", category: "rejected", statusCode: 403 });
    expect(error.message).toContain(
      "a ClusterRole granting the verb use-managed-identity on apiGroup cid.wi.aks.azure.com, resource <the client id>, and a ClusterRoleBinding",
    );
  });

  it("keeps Entra's own mapping for other answers that came through the proxy", () => {
    const error = mapTokenFailure(
      {
        kind: "http",
        status: 400,
        headers: {},
        body: entraBody(700016, "unauthorized_client", "AADSTS700016: x"),
        attempts: 1,
      },
      undefined,
      FILE_ROUTE,
    );

    expect(error).toMatchObject({ code: "ERR_UNKNOWN_CLIENT" });
  });

  it("points a network failure at the token proxy and its variable", () => {
    const error = mapTokenFailure(
      {
        kind: "network",
        error: Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }),
        attempts: 5,
      },
      undefined,
      FILE_ROUTE,
    );

    expect(error).toMatchObject({ code: "ERR_NETWORK" });
    expect(error.message).toContain("the token proxy https://10.0.0.1:443 (AZURE_KUBERNETES_TOKEN_PROXY");
  });

  it("names the proxy, not Entra, for a refusal of its own (no AADSTS number), with the audience hint on a 401", () => {
    const error = mapTokenFailure(
      {
        kind: "http",
        status: 401,
        headers: {},
        body: JSON.stringify({
          error: "invalid_client",
          error_description: "the token's audience is not accepted",
        }),
        attempts: 1,
      },
      undefined,
      FILE_ROUTE,
    );

    expect(error).toMatchObject({ code: "ERR_ENTRA_REJECTED", statusCode: 401 });
    expect(error.message).toBe(
      'The token proxy https://10.0.0.1:443 answered HTTP 401: the token\'s audience is not accepted (the projected token must be for api://AKSIdentityBinding: is the pod annotated azure.workload.identity/use-identity-binding: "true"?)',
    );
  });

  it("still takes a 403 without a proxy as Entra's", () => {
    expect(
      mapTokenFailure(
        { kind: "http", status: 403, headers: {}, body: "<html>no</html>", attempts: 1 },
        undefined,
      ),
    ).toMatchObject({ code: "ERR_ENTRA_REJECTED" });
  });
});

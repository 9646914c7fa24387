// Entra's error answer: `{error, error_description, error_codes, timestamp, trace_id, correlation_id, error_uri}`
// in that order, the description starting "AADSTS<code>: " and ending with the trace, correlation and timestamp
// parts. Sources for every text and status below: docs/design-decisions.md, "The emulated Entra token endpoint".
import { randomUUID } from "node:crypto";
import type { DescriptionSeparator } from "../config/emulator-config.js";
import type { Reply } from "../http/reply.js";

export type EntraErrorName =
  | "invalid_request"
  | "invalid_client"
  | "unauthorized_client"
  | "unsupported_grant_type"
  | "invalid_scope"
  | "invalid_resource"
  | "invalid_instance"
  | "invalid_tenant";

export interface EntraErrorSpec {
  error: EntraErrorName;
  code: number;
  message: string;
}

export interface EntraErrorContext {
  /** Origin of the authority host, for `error_uri`. */
  authorityOrigin: string;
  separator: DescriptionSeparator;
  /** The request's `client-request-id`, echoed as the correlation id (a fresh one otherwise). */
  correlationId?: string | undefined;
}

/**
 * Every `invalid_client` answer with a visible status came back 401 (70021 in 2023, 700211, 700213, 7002137,
 * 7000215, 7000216, 70025, 700025); `invalid_request`, `invalid_instance` and the rest came back 400.
 * Derived here so that no spec can carry a status that disagrees with its error.
 */
export function statusOf(error: EntraErrorName): 400 | 401 {
  return error === "invalid_client" ? 401 : 400;
}

const SEPARATORS: Record<DescriptionSeparator, string> = { space: " ", crlf: "\r\n" };

export function entraErrorReply(spec: EntraErrorSpec, context: EntraErrorContext): Reply {
  return entraShapedReply(
    {
      status: statusOf(spec.error),
      error: spec.error,
      message: `AADSTS${spec.code}: ${spec.message}`,
      codes: [spec.code],
      errorUri: `${context.authorityOrigin}/error?code=${spec.code}`,
    },
    context,
  );
}

/** An answer in Entra's error envelope from something that is not Entra (the AKS token proxy's own refusals). */
export interface EntraShapedError {
  status: number;
  error: string;
  /** The description before its trace, correlation and timestamp parts. */
  message: string;
  codes: number[];
  errorUri: string;
}

export function entraShapedReply(
  shape: EntraShapedError,
  context: Omit<EntraErrorContext, "authorityOrigin">,
): Reply {
  const traceId = randomUUID();
  const correlation = context.correlationId ?? randomUUID();
  // "2025-09-17 08:13:01Z": the same text in the description and in `timestamp`, no "T", no fraction.
  const timestamp = new Date()
    .toISOString()
    .replace("T", " ")
    .replace(/\.\d+Z$/, "Z");
  const sep = SEPARATORS[context.separator];
  const description =
    `${shape.message}${sep}Trace ID: ${traceId}${sep}` +
    `Correlation ID: ${correlation}${sep}Timestamp: ${timestamp}`;
  return {
    status: shape.status,
    headers: entraResponseHeaders(traceId, context.correlationId),
    body: {
      error: shape.error,
      error_description: description,
      error_codes: shape.codes,
      timestamp,
      trace_id: traceId,
      correlation_id: correlation,
      error_uri: shape.errorUri,
    },
  };
}

/**
 * The headers of the token endpoint's answers, success or error, as recorded from Entra (azure-sdk-for-js
 * recordings, 2021-01-15 and 2023-01-09; microsoft-graph-docs #20272, 2023-03-15): never cached, and
 * `x-ms-request-id` is the trace id. `client-request-id` is echoed when the client sent one.
 */
export function entraResponseHeaders(requestId: string, clientRequestId?: string): Record<string, string> {
  return {
    "cache-control": "no-store, no-cache",
    pragma: "no-cache",
    expires: "-1",
    "x-content-type-options": "nosniff",
    "x-ms-request-id": requestId,
    ...(clientRequestId === undefined ? {} : { "client-request-id": clientRequestId }),
  };
}

/** The workload identity federation docs as the 70021 family links them: the old and the 2025 address. */
const FEDERATION_DOCS_OLD =
  "https://docs.microsoft.com/en-us/azure/active-directory/develop/workload-identity-federation";
const FEDERATION_DOCS = "https://learn.microsoft.com/entra/workload-id/workload-identity-federation";

export type FederatedClaim = "issuer" | "subject" | "audience";

/** The errors users meet, in Entra's words (newest wording; see DESIGN.md's table). */
export const EntraErrors = {
  tenantNotFound: (tenant: string, error: "invalid_request" | "invalid_tenant" = "invalid_request") =>
    spec(
      error,
      90002,
      `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`,
    ),
  missingParameter: (name: string) =>
    // terraform-provider-microsoft365 #777 (2025-09-17), HTTP 400.
    spec("invalid_request", 900144, `The request body must contain the following parameter: '${name}'.`),
  unsupportedGrantType: (grant: string) =>
    spec("unsupported_grant_type", 70003, `The app requested an unsupported grant type '${grant}'.`),
  /** Only the text is attested; the status (400) and error are inferred (docs/design-decisions.md says why). */
  methodNotAllowed: (method: string) =>
    spec(
      "invalid_request",
      900561,
      `The endpoint only accepts POST, OPTIONS requests. Received a ${method} request.`,
    ),
  applicationNotFound: (clientId: string, tenantName: string) =>
    spec(
      "unauthorized_client",
      700016,
      `Application with identifier '${clientId}' was not found in the directory '${tenantName}'. ` +
        "This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. " +
        "You may have sent your authentication request to the wrong tenant.",
    ),
  scopeWithoutDefault: (scope: string) =>
    spec(
      "invalid_scope",
      1002012,
      `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value ` +
        "with /.default suffixed to the resource identifier (application ID URI).",
    ),
  scopesOfSeveralResources: (scope: string) =>
    spec(
      "invalid_scope",
      70011,
      `The provided request must include a 'scope' input parameter. The provided value for the input parameter 'scope' is not valid. The scope ${scope} is not valid.`,
    ),
  resourceNotFound: (resource: string, tenantName: string) =>
    spec(
      "invalid_resource",
      500011,
      `The resource principal named ${resource} was not found in the tenant named ${tenantName}. ` +
        "This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. " +
        "You might have sent your authentication request to the wrong tenant.",
    ),
  unknownInstance: () =>
    // MSAL Go #438 (2023-06-29, 400) and ms-identity-ciam-javascript-tutorial #68 (2023-11-27).
    spec("invalid_instance", 50049, "Unknown or invalid instance."),
  unexpectedAssertionType: () =>
    // ADAL Ruby PR #49 (2016-07-29) and #53 (2016-12-15): the only answer to a wrong type found.
    spec("invalid_request", 90011, "Unexpected client assertion type."),
  missingClientCredential: () =>
    // azure-sdk-for-js recording (2021-01-15, 401) and azure-apim-extension #138 (2025-02-18).
    spec(
      "invalid_client",
      7000216,
      "'client_assertion', 'client_secret' or 'request' is required for the 'client_credentials' grant type.",
    ),
  invalidClientSecret: (clientId: string) =>
    // Azure/sap-automation #418 (2023-02-20, 401): the emulated applications have no secrets, so none is right.
    spec(
      "invalid_client",
      7000215,
      "Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, " +
        `not the client secret ID, for a secret added to app '${clientId}'.`,
    ),
  malformedAssertion: () =>
    // invalid_request with 400: MSAL.NET test data (2023-12-11) and GitLab's docs ("RESPONSE 400 Bad Request").
    spec("invalid_request", 50027, "JWT token is invalid or malformed."),
  noFederatedCredentials: (clientId: string, displayName: string) =>
    spec(
      "invalid_client",
      70025,
      `The client '${clientId}'(${displayName}) has no configured federated identity credentials.`,
    ),
  /** The one-code form naming all three claims: `invalid_client` from 2023, `invalid_request` in 2022. */
  noMatchingFederatedRecord: (
    iss: string,
    sub: string,
    aud: string,
    error: "invalid_client" | "invalid_request",
  ) =>
    // external-secrets #2783 (2023-10-13, 401 invalid_client); azure-workload-identity #616 (2022-10-27, 400).
    spec(
      error,
      70021,
      `No matching federated identity record found for presented assertion. Assertion Issuer: '${iss}'. ` +
        `Assertion Subject: '${sub}'. Assertion Audience: '${aud}'. ${FEDERATION_DOCS_OLD}`,
    ),
  /** The per-claim form: 2025 wording (Azure/terraform test record, 2026-01-18), or 2023-12..2024 wording. */
  noMatchingFederatedClaim: (code: number, claim: FederatedClaim, value: string, wording: "2025" | "2024") =>
    spec(
      "invalid_client",
      code,
      `No matching federated identity record found for presented assertion ${claim} '${value}'. ` +
        (wording === "2025"
          ? `Check your federated identity credential Subject, Audience and Issuer against the presented assertion. ${FEDERATION_DOCS}`
          : `Please check your federated identity credential Subject, Audience and Issuer against the presented assertion. ${FEDERATION_DOCS_OLD}`),
    ),
  /** A subject that matches a credential's only when case is ignored (matching is case-sensitive since August 2024). */
  subjectMatchesOnlyIgnoringCase: (sub: string) =>
    // Azure/login #515 (2025-02-22) and #497 (2024-12-02); the error (invalid_client) is inferred from its siblings.
    spec(
      "invalid_client",
      7002138,
      `No matching federated identity record found for presented assertion subject '${sub}'. ` +
        "The subject matches with case-insensitive comparison, but not with case-sensitive comparison. " +
        "Check your federated identity credential Subject, Audience and Issuer against the presented assertion. " +
        `See documentation at: ${FEDERATION_DOCS}. ` +
        "See breaking change notification and remediation at: https://learn.microsoft.com/en-us/entra/identity-platform/reference-breaking-changes#august-2024.",
    ),
  issuerUnreachable: (issuer: string, reason: string) =>
    spec(
      "invalid_request",
      90061,
      `Request to External OIDC endpoint failed. Issuer: '${issuer}'. Reason: ${reason}`,
    ),
  keyNotFound: (kid: string) =>
    spec(
      "invalid_client",
      700027,
      `Client assertion failed signature validation. Reason: the key '${kid}' was not found in the issuer's JWKS.`,
    ),
  badSignature: () => spec("invalid_client", 700027, "Client assertion contains an invalid signature."),
  assertionOutsideValidity: (nowMs: number, nbf: number | undefined, exp: number | undefined) =>
    // microsoft-authentication-library-for-java #984 (2025-08-29): 7-digit fractions, a missing nbf shown as the
    // epoch, and " ." after the link. A missing exp as the epoch too is inferred from the nbf case.
    spec(
      "invalid_client",
      700024,
      `Client assertion is not within its valid time range. Current time: ${ticks(nowMs)}, ` +
        `assertion valid from ${ticks((nbf ?? 0) * 1000)}, expiry time of assertion ${ticks((exp ?? 0) * 1000)}. ` +
        "Review the documentation at https://learn.microsoft.com/entra/identity-platform/certificate-credentials .",
    ),
};

function spec(error: EntraErrorName, code: number, message: string): EntraErrorSpec {
  return { error, code, message };
}

/**
 * .NET's round-trip format, "2025-08-29T05:47:32.1501147Z": seven fraction digits (ours end in 0000). A claim
 * beyond what a date can hold prints as .NET's DateTime.MaxValue or MinValue instead of failing the request.
 */
function ticks(ms: number): string {
  const date = new Date(Math.floor(ms));
  const year = date.getUTCFullYear();
  if (Number.isNaN(year) || year > 9999 || year < 1) {
    return ms > 0 ? "9999-12-31T23:59:59.9999999Z" : "0001-01-01T00:00:00.0000000Z";
  }
  return date.toISOString().replace(/\.(\d{3})Z$/, ".$10000Z");
}

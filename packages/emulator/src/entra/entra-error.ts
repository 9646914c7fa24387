// Entra's error answer: `{error, error_description, error_codes, timestamp, trace_id, correlation_id, error_uri}`,
// the description starting "AADSTS<code>: " and ending with the trace, correlation and timestamp lines.
import { randomUUID } from "node:crypto";
import type { Reply } from "../http/reply.js";

export interface EntraErrorSpec {
  status?: number;
  error: string;
  code: number;
  message: string;
}

export function entraErrorReply(
  spec: EntraErrorSpec,
  authorityOrigin: string,
  correlationId?: string,
): Reply {
  const traceId = randomUUID();
  const correlation = correlationId ?? randomUUID();
  const timestamp = new Date()
    .toISOString()
    .replace("T", " ")
    .replace(/\.\d+Z$/, "Z");
  const description =
    `AADSTS${spec.code}: ${spec.message}\r\nTrace ID: ${traceId}\r\n` +
    `Correlation ID: ${correlation}\r\nTimestamp: ${timestamp}`;
  return {
    status: spec.status ?? 400,
    body: {
      error: spec.error,
      error_description: description,
      error_codes: [spec.code],
      timestamp,
      trace_id: traceId,
      correlation_id: correlation,
      error_uri: `${authorityOrigin}/error?code=${spec.code}`,
    },
  };
}

/** The errors users meet, in Entra's words (see DESIGN.md's table). */
export const EntraErrors = {
  tenantNotFound: (tenant: string): EntraErrorSpec => ({
    error: "invalid_request",
    code: 90002,
    message: `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`,
  }),
  missingParameter: (name: string): EntraErrorSpec => ({
    error: "invalid_request",
    code: 900144,
    message: `The request body must contain the following parameter: '${name}'.`,
  }),
  unsupportedGrantType: (grant: string): EntraErrorSpec => ({
    error: "unsupported_grant_type",
    code: 70003,
    message: `The app requested an unsupported grant type '${grant}'.`,
  }),
  applicationNotFound: (clientId: string, tenantName: string): EntraErrorSpec => ({
    error: "unauthorized_client",
    code: 700016,
    message:
      `Application with identifier '${clientId}' was not found in the directory '${tenantName}'. ` +
      "This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. " +
      "You may have sent your authentication request to the wrong tenant.",
  }),
  scopeWithoutDefault: (scope: string): EntraErrorSpec => ({
    error: "invalid_scope",
    code: 1002012,
    message:
      `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value ` +
      "with /.default suffixed to the resource identifier (application ID URI).",
  }),
  scopesOfSeveralResources: (scope: string): EntraErrorSpec => ({
    error: "invalid_scope",
    code: 70011,
    message: `The provided request must include a 'scope' input parameter. The provided value for the input parameter 'scope' is not valid. The scope ${scope} is not valid.`,
  }),
  resourceNotFound: (resource: string, tenantName: string): EntraErrorSpec => ({
    error: "invalid_resource",
    code: 500011,
    message:
      `The resource principal named ${resource} was not found in the tenant named ${tenantName}. ` +
      "This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. " +
      "You might have sent your authentication request to the wrong tenant.",
  }),
  unsupportedAssertionType: (): EntraErrorSpec => ({
    error: "invalid_request",
    code: 50012,
    message:
      "Client assertion type is not supported; use urn:ietf:params:oauth:client-assertion-type:jwt-bearer.",
  }),
  missingCredential: (): EntraErrorSpec => ({
    error: "invalid_client",
    code: 7000218,
    message: "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
  }),
  malformedAssertion: (): EntraErrorSpec => ({
    error: "invalid_client",
    code: 50027,
    message: "JWT token is invalid or malformed.",
  }),
  noFederatedCredentials: (clientId: string, displayName: string): EntraErrorSpec => ({
    error: "invalid_client",
    code: 70025,
    message: `The client '${clientId}'(${displayName}) has no configured federated identity credentials.`,
  }),
  noMatchingFederatedRecord: (iss: string, sub: string, aud: string): EntraErrorSpec => ({
    error: "invalid_request",
    code: 70021,
    message:
      `No matching federated identity record found for presented assertion. Assertion Issuer: '${iss}'. ` +
      `Assertion Subject: '${sub}'. Assertion Audience: '${aud}'.`,
  }),
  noMatchingFederatedClaim: (
    code: number,
    claim: "issuer" | "subject" | "audience",
    value: string,
  ): EntraErrorSpec => ({
    error: "invalid_client",
    code,
    message:
      `No matching federated identity record found for presented assertion ${claim} '${value}'. ` +
      "Please note that the matching is done using a case-sensitive comparison. " +
      "Check your federated identity credential Subject, Audience and Issuer against the presented assertion.",
  }),
  issuerUnreachable: (issuer: string, reason: string): EntraErrorSpec => ({
    error: "invalid_request",
    code: 90061,
    message: `Request to External OIDC endpoint failed. Issuer: '${issuer}'. Reason: ${reason}`,
  }),
  keyNotFound: (kid: string): EntraErrorSpec => ({
    error: "invalid_client",
    code: 700027,
    message: `Client assertion failed signature validation. Reason: the key '${kid}' was not found in the issuer's JWKS.`,
  }),
  badSignature: (): EntraErrorSpec => ({
    error: "invalid_client",
    code: 700027,
    message: "Client assertion contains an invalid signature.",
  }),
  assertionOutsideValidity: (
    now: number,
    nbf: number | undefined,
    exp: number | undefined,
  ): EntraErrorSpec => ({
    error: "invalid_client",
    code: 700024,
    message:
      `Client assertion is not within its valid time range. Current time: ${iso(now)}, ` +
      `assertion valid from ${nbf === undefined ? "unset" : iso(nbf)}, expiry time of assertion ${exp === undefined ? "unset" : iso(exp)}.`,
  }),
};

function iso(seconds: number): string {
  return new Date(seconds * 1000).toISOString();
}

// Reads an IMDS token request as IMDS does: the Metadata header first, then the query variables.
import type { IncomingHttpHeaders } from "node:http";
import { badRequest, type ErrorAnswer } from "./imds-error.js";

export interface TokenRequest {
  /** As requested: the response echoes it. */
  resource: string;
  /** The identity asked for; undefined means the proxy's default (`AZURE_CLIENT_ID`). */
  clientId: string | undefined;
  apiVersion: string | undefined;
}

export type TokenRequestResult = { ok: true; request: TokenRequest } | ({ ok: false } & ErrorAnswer);

/** IMDS's other ways of naming a user-assigned identity; Workload Identity knows client ids only. */
export const UNSUPPORTED_IDENTITY_VARIABLES = ["msi_res_id", "mi_res_id", "object_id"] as const;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Client ids are GUIDs in Entra; any other value is accepted (as every Azure SDK does), with a warning. */
export function isGuid(value: string): boolean {
  return GUID.test(value);
}

export function parseTokenRequest(query: URLSearchParams, headers: IncomingHttpHeaders): TokenRequestResult {
  // IMDS refuses forwarded requests (SSRF protection), and so does this proxy.
  if (headers["x-forwarded-for"] !== undefined) {
    return fail("Requests with an X-Forwarded-For header are not accepted");
  }
  if (!isMetadataTrue(headers.metadata)) {
    // IMDS's exact text: @azure/identity's availability ping relies on this answer coming back fast.
    return fail("Required metadata header not specified");
  }
  const resource = (query.get("resource") ?? "").trim();
  if (resource === "") return fail("Required query variable 'resource' is missing");
  if (/\s/.test(resource)) {
    return fail(`The resource ${JSON.stringify(resource)} must be one resource URI, without spaces`);
  }
  for (const name of UNSUPPORTED_IDENTITY_VARIABLES) {
    if (query.has(name)) {
      return fail(
        `The query variable '${name}' is not supported: Workload Identity selects the identity by client_id only; ` +
          "pass client_id=<the identity's client id>, or leave it out to use AZURE_CLIENT_ID",
      );
    }
  }
  const clientId = (query.get("client_id") ?? "").trim();
  // Any id is passed on (Entra answers AADSTS700016 for one it does not know), but not one that cannot be an id.
  if (/[\s\p{Cc}]/u.test(clientId)) {
    return fail(`The client_id ${JSON.stringify(clientId)} contains spaces or control characters`);
  }
  return {
    ok: true,
    request: {
      resource,
      clientId: clientId === "" ? undefined : clientId,
      apiVersion: query.get("api-version") ?? undefined,
    },
  };
}

function isMetadataTrue(value: string | string[] | undefined): boolean {
  return typeof value === "string" && value.trim().toLowerCase() === "true";
}

function fail(description: string): TokenRequestResult {
  return { ok: false, ...badRequest(description) };
}

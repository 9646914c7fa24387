// Microsoft Graph: GET /v1.0/organization for a token whose audience is Graph's and that carries an app role.
import { randomUUID } from "node:crypto";
import type { TenantConfig } from "../config/emulator-config.js";
import type { AccessTokenIssuer, VerifyFailure } from "../entra/access-token-issuer.js";
import { bearerToken } from "../http/bearer.js";
import { json, type Reply } from "../http/reply.js";
import type { RequestContext, Route } from "../http/route.js";

export const ORGANIZATION_ROLES = [
  "Organization.Read.All",
  "User.Read.All",
  "Organization.ReadWrite.All",
  "Directory.Read.All",
];

export interface GraphDeps {
  tenants: TenantConfig[];
  tokens: AccessTokenIssuer;
  /** The `aud` Graph takes: `https://graph.microsoft.com` or a national cloud's Graph, never the loopback URL. */
  audience: string;
  graphUrl: () => string;
}

export function graphRoutes(deps: GraphDeps): Route[] {
  return [
    {
      method: "GET",
      path: /^\/v1\.0\/organization\/?$/,
      endpoint: "graph",
      handle: (ctx) => getOrganization(deps, ctx),
    },
  ];
}

/**
 * Graph's error body, as Azure sends it (MicrosoftDocs/azure-docs#79918, 2021-08-19; a raw answer of
 * 2023-04-20): `innerError` holds the date (UTC, seconds, no zone), the request id and the client's request id,
 * which is the request id when the client sent none; both ids are also headers
 * (microsoftgraph/microsoft-graph-docs#4752, 2019-06-05).
 */
export function graphError(status: number, code: string, message: string, ctx?: RequestContext): Reply {
  const requestId = randomUUID();
  const sent = ctx?.req.headers["client-request-id"];
  const clientRequestId = typeof sent === "string" ? sent : requestId;
  return json(
    status,
    {
      error: {
        code,
        message,
        innerError: {
          date: new Date().toISOString().replace(/\.\d+Z$/, ""),
          "request-id": requestId,
          "client-request-id": clientRequestId,
        },
      },
    },
    { "request-id": requestId, "client-request-id": clientRequestId },
  );
}

const INVALID_TOKEN_MESSAGES: Record<VerifyFailure, string> = {
  malformed: "IDX14100: JWT is not well formed.",
  signature: "Access token validation failure. Invalid signature.",
  expired: "Lifetime validation failed, the token is expired.",
  // A token for another resource: MicrosoftDocs/azure-docs#79918 (2021-08-19) to a raw answer of 2023-04-20.
  audience: "Access token validation failure. Invalid audience.",
  issuer: "Access token validation failure. Invalid issuer.",
};

async function getOrganization(deps: GraphDeps, ctx: RequestContext): Promise<Reply> {
  const token = bearerToken(ctx.req);
  if (token === undefined)
    return graphError(401, "InvalidAuthenticationToken", "Access token is empty.", ctx);
  const verified = await deps.tokens.verify(token, { audiences: [deps.audience] });
  if (!verified.ok)
    return graphError(401, "InvalidAuthenticationToken", INVALID_TOKEN_MESSAGES[verified.reason], ctx);

  const roles = Array.isArray(verified.claims.roles) ? (verified.claims.roles as string[]) : [];
  if (!roles.some((r) => ORGANIZATION_ROLES.includes(r))) {
    return graphError(
      403,
      "Authorization_RequestDenied",
      "Insufficient privileges to complete the operation.",
      ctx,
    );
  }
  const tenant = deps.tenants.find((t) => t.id === verified.claims.tid);
  if (!tenant) return graphError(401, "InvalidAuthenticationToken", INVALID_TOKEN_MESSAGES.issuer, ctx);
  return json(200, {
    "@odata.context": `${deps.graphUrl()}/v1.0/$metadata#organization`,
    value: [
      {
        id: tenant.id,
        displayName: tenant.displayName,
        tenantType: "AAD",
        countryLetterCode: "US",
        verifiedDomains: tenant.domains.map((name, i) => ({
          capabilities: "Email, OfficeCommunicationsOnlineService",
          isDefault: i === 0,
          isInitial: i === 0,
          name,
          type: "Managed",
        })),
      },
    ],
  });
}

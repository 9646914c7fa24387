// The Entra ID host: token endpoint, the tenant metadata MSAL reads, instance discovery and signing keys.
import { randomUUID } from "node:crypto";
import type { Route } from "../http/route.js";
import { json } from "../http/reply.js";
import type { Reply } from "../http/reply.js";
import { EntraErrors, entraErrorReply } from "./entra-error.js";
import { handleTokenRequest, refuseTokenMethod, type TokenEndpointDeps } from "./token-endpoint.js";

const TENANT = "(?<tenant>[^/]+)";
const TOKEN_PATH = new RegExp(`^/${TENANT}/oauth2/v2\\.0/token$`);

export function entraRoutes(deps: TokenEndpointDeps): Route[] {
  return [
    {
      method: "POST",
      path: TOKEN_PATH,
      endpoint: "token",
      handle: (ctx) => handleTokenRequest(deps, ctx),
    },
    {
      method: "GET",
      path: TOKEN_PATH,
      endpoint: "token",
      handle: (ctx) => refuseTokenMethod(deps, ctx),
    },
    {
      method: "GET",
      path: new RegExp(`^/${TENANT}/v2\\.0/\\.well-known/openid-configuration$`),
      endpoint: "openid-configuration",
      handle: ({ params }) => openIdConfiguration(deps, params.tenant ?? ""),
    },
    {
      method: "GET",
      path: /^\/common\/discovery\/instance$/,
      endpoint: "instance-discovery",
      handle: ({ url }) => instanceDiscovery(deps, url),
    },
    {
      method: "GET",
      path: new RegExp(`^/${TENANT}/discovery/v2\\.0/keys$`),
      endpoint: "entra-keys",
      handle: async () => json(200, await deps.tokens.jwks()),
    },
  ];
}

export function entraFaultReply(status: number): Reply {
  return json(status, {
    error: "temporarily_unavailable",
    error_description: `The service is temporarily unavailable (fault injected by the emulator: HTTP ${status}).`,
  });
}

/**
 * Metadata answers are cached for a day and readable from any origin (azure-sdk-for-js recordings of
 * openid-configuration and instance discovery, 2021-06-09 and 2023-01-09).
 */
function metadataReply(body: unknown): Reply {
  return json(200, body, {
    "cache-control": "max-age=86400, private",
    "access-control-allow-origin": "*",
    "access-control-allow-methods": "GET, OPTIONS",
    "x-content-type-options": "nosniff",
    "x-ms-request-id": randomUUID(),
  });
}

/**
 * Entra's fields in Entra's order, values as Entra sends them for the public cloud, endpoints on the emulator
 * (azure-sdk-for-js recording of a tenant's document, 2023-01-09; panva/wellknown's snapshots of the common and
 * organizations documents for `{tenantid}` and `tenant_region_scope: null`). `msgraph_host` is Graph's public
 * host, the audience of the emulated Graph's tokens; `userinfo_endpoint` is Entra's as well (user flows are
 * not emulated).
 */
function openIdConfiguration(deps: TokenEndpointDeps, tenantParam: string): Reply {
  const multiTenant = ["common", "organizations"].includes(tenantParam.toLowerCase());
  const tenant = multiTenant ? { id: tenantParam } : deps.directory.findTenant(tenantParam);
  if (!tenant) {
    return entraErrorReply(EntraErrors.tenantNotFound(tenantParam, "invalid_tenant"), {
      authorityOrigin: deps.authorityOrigin(),
      separator: deps.settings().descriptionSeparator,
    });
  }
  const origin = deps.authorityOrigin();
  const base = `${origin}/${tenant.id}`;
  return metadataReply({
    token_endpoint: `${base}/oauth2/v2.0/token`,
    token_endpoint_auth_methods_supported: ["client_secret_post", "private_key_jwt", "client_secret_basic"],
    jwks_uri: `${base}/discovery/v2.0/keys`,
    response_modes_supported: ["query", "fragment", "form_post"],
    subject_types_supported: ["pairwise"],
    id_token_signing_alg_values_supported: ["RS256"],
    response_types_supported: ["code", "id_token", "code id_token", "id_token token"],
    scopes_supported: ["openid", "profile", "email", "offline_access"],
    issuer: multiTenant ? `${origin}/{tenantid}/v2.0` : `${base}/v2.0`,
    request_uri_parameter_supported: false,
    userinfo_endpoint: "https://graph.microsoft.com/oidc/userinfo",
    authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
    device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${base}/oauth2/v2.0/logout`,
    claims_supported: [
      "sub",
      "iss",
      "cloud_instance_name",
      "cloud_instance_host_name",
      "cloud_graph_host_name",
      "msgraph_host",
      "aud",
      "exp",
      "iat",
      "auth_time",
      "acr",
      "nonce",
      "preferred_username",
      "name",
      "tid",
      "ver",
      "at_hash",
      "c_hash",
      "email",
    ],
    kerberos_endpoint: `${base}/kerberos`,
    tenant_region_scope: multiTenant ? null : "WW",
    cloud_instance_name: "microsoftonline.com",
    cloud_graph_host_name: "graph.windows.net",
    msgraph_host: deps.directory.graphHost(),
    rbac_url: "https://pas.windows.net",
  });
}

/**
 * Success for an authorize URL on a host the emulator serves (its own, or the one this request reached it by);
 * `invalid_instance` AADSTS50049 for any other host, as Entra answers an instance it does not know (MSAL Go
 * #438, 2023-06-29). A request without `authorization_endpoint` gets the common tenant's document, as before:
 * Entra's answer to that was not found.
 */
function instanceDiscovery(deps: TokenEndpointDeps, url: URL): Reply {
  const origin = deps.authorityOrigin();
  const host = new URL(origin).host;
  const authorize = url.searchParams.get("authorization_endpoint");
  let tenant = "common";
  if (authorize !== null) {
    const target = URL.canParse(authorize) ? new URL(authorize) : undefined;
    if (target?.protocol !== "https:" || (target.host !== host && target.host !== url.host)) {
      return entraErrorReply(EntraErrors.unknownInstance(), {
        authorityOrigin: origin,
        separator: deps.settings().descriptionSeparator,
      });
    }
    tenant = /^\/([^/]+)\//.exec(target.pathname)?.[1] ?? "common";
  }
  return metadataReply({
    tenant_discovery_endpoint: `${origin}/${tenant}/v2.0/.well-known/openid-configuration`,
    "api-version": "1.1",
    metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
  });
}

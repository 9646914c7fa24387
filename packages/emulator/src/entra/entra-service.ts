// The Entra ID host: token endpoint, the tenant metadata MSAL reads, instance discovery and signing keys.
import type { Route } from "../http/route.js";
import { json } from "../http/reply.js";
import type { Reply } from "../http/reply.js";
import { EntraErrors, entraErrorReply } from "./entra-error.js";
import { handleTokenRequest, type TokenEndpointDeps } from "./token-endpoint.js";

const TENANT = "(?<tenant>[^/]+)";

export function entraRoutes(deps: TokenEndpointDeps): Route[] {
  return [
    {
      method: "POST",
      path: new RegExp(`^/${TENANT}/oauth2/v2\\.0/token$`),
      endpoint: "token",
      handle: (ctx) => handleTokenRequest(deps, ctx),
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

function openIdConfiguration(deps: TokenEndpointDeps, tenantParam: string): Reply {
  const tenant = ["common", "organizations"].includes(tenantParam.toLowerCase())
    ? { id: tenantParam }
    : deps.directory.findTenant(tenantParam);
  if (!tenant) {
    const reply = entraErrorReply(EntraErrors.tenantNotFound(tenantParam), deps.authorityOrigin());
    (reply.body as Record<string, unknown>).error = "invalid_tenant";
    return reply;
  }
  const base = `${deps.authorityOrigin()}/${tenant.id}`;
  return json(200, {
    token_endpoint: `${base}/oauth2/v2.0/token`,
    token_endpoint_auth_methods_supported: ["client_secret_post", "private_key_jwt", "client_secret_basic"],
    jwks_uri: `${base}/discovery/v2.0/keys`,
    response_modes_supported: ["query", "fragment", "form_post"],
    subject_types_supported: ["pairwise"],
    id_token_signing_alg_values_supported: ["RS256"],
    response_types_supported: ["code", "id_token", "code id_token", "id_token token"],
    scopes_supported: ["openid", "profile", "email", "offline_access"],
    issuer: `${base}/v2.0`,
    request_uri_parameter_supported: false,
    authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
    device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
    end_session_endpoint: `${base}/oauth2/v2.0/logout`,
    tenant_region_scope: "NA",
    cloud_instance_name: "emulator.local",
    cloud_graph_host_name: "graph.windows.net",
    msgraph_host: "graph.microsoft.com",
  });
}

function instanceDiscovery(deps: TokenEndpointDeps, url: URL): Reply {
  const origin = deps.authorityOrigin();
  const host = new URL(origin).host;
  const authorize = url.searchParams.get("authorization_endpoint") ?? "";
  const tenant = /^https:\/\/[^/]+\/([^/]+)\//.exec(authorize)?.[1] ?? "common";
  return json(200, {
    tenant_discovery_endpoint: `${origin}/${tenant}/v2.0/.well-known/openid-configuration`,
    "api-version": "1.1",
    metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
  });
}

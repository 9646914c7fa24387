// POST /{tenant}/oauth2/v2.0/token: the client-credentials grant with a federated JWT client assertion.
import { randomUUID } from "node:crypto";
import type { ApplicationConfig, EntraSettings } from "../config/emulator-config.js";
import { json, readBody, type Reply } from "../http/reply.js";
import type { RequestContext } from "../http/route.js";
import type { AccessTokenIssuer } from "./access-token-issuer.js";
import { validateAssertion } from "./assertion-validator.js";
import type { Directory } from "./directory.js";
import { EntraErrors, entraErrorReply, entraResponseHeaders, type EntraErrorSpec } from "./entra-error.js";
import type { IssuerKeyFetcher } from "./issuer-keys.js";

export const JWT_BEARER_ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
export const OIDC_SCOPES = new Set(["openid", "profile", "offline_access", "email"]);

export interface TokenEndpointDeps {
  directory: Directory;
  tokens: AccessTokenIssuer;
  keys: IssuerKeyFetcher;
  settings: () => EntraSettings;
  issuerUrl: () => string;
  /** A bound application's identity-binding issuer (identity-binding mode only). */
  bindingIssuerUrl?: (application: ApplicationConfig) => string | undefined;
  authorityOrigin: () => string;
}

/** Entra's answer to anything but POST here: AADSTS900561 (its status and error are inferred). */
export function refuseTokenMethod(deps: TokenEndpointDeps, ctx: RequestContext): Reply {
  return rejecter(deps, ctx)(EntraErrors.methodNotAllowed(ctx.req.method ?? "GET"));
}

export async function handleTokenRequest(deps: TokenEndpointDeps, ctx: RequestContext): Promise<Reply> {
  const correlationId = headerValue(ctx.req.headers["client-request-id"]);
  const settings = deps.settings();
  const reject = rejecter(deps, ctx);

  const form = new URLSearchParams(await readBody(ctx.req));
  const grantType = form.get("grant_type");
  if (!grantType) return reject(EntraErrors.missingParameter("grant_type"));
  if (grantType !== "client_credentials") return reject(EntraErrors.unsupportedGrantType(grantType));
  // Entra asks for a client credential before it looks at the tenant or the client id: a recorded request that
  // named neither (tenant "undefined", no client_id) got AADSTS7000216 (azure-sdk-for-js recording, 2021-01-15).
  const assertion = form.get("client_assertion");
  if (!assertion && !form.get("client_secret")) return reject(EntraErrors.missingClientCredential());

  const tenantParam = ctx.params.tenant ?? "";
  const tenant = deps.directory.findTenant(tenantParam);
  if (!tenant) return reject(EntraErrors.tenantNotFound(tenantParam));

  const clientId = form.get("client_id");
  if (!clientId) return reject(EntraErrors.missingParameter("client_id"));
  const application = deps.directory.findApplication(tenant.id, clientId);
  if (!application) return reject(EntraErrors.applicationNotFound(clientId, tenant.displayName));

  const scopeParam = form.get("scope");
  if (!scopeParam) return reject(EntraErrors.missingParameter("scope"));
  const scopes = scopeParam.split(" ").filter((s) => s !== "" && !OIDC_SCOPES.has(s));
  const withoutDefault = scopes.find((s) => !s.endsWith("/.default"));
  if (withoutDefault !== undefined || scopes.length === 0) {
    return reject(EntraErrors.scopeWithoutDefault(withoutDefault ?? scopeParam));
  }
  if (scopes.length > 1) return reject(EntraErrors.scopesOfSeveralResources(scopeParam));
  // The resource is the scope without "/.default" and nothing else: "https://database.windows.net//.default"
  // names "https://database.windows.net/" (Microsoft's "Trailing slash and /.default" rule; Azure CLI #15698).
  const requested = (scopes[0] ?? "").slice(0, -"/.default".length);
  const resource = deps.directory.findResource(requested);
  if (!resource) return reject(EntraErrors.resourceNotFound(requested, tenant.displayName));

  // Only federated assertions are emulated, so an application has no secret and every secret is wrong.
  if (!assertion) return reject(EntraErrors.invalidClientSecret(application.clientId));
  if (form.get("client_assertion_type") !== JWT_BEARER_ASSERTION_TYPE)
    return reject(EntraErrors.unexpectedAssertionType());

  const checked = await validateAssertion({
    assertion,
    application,
    defaultIssuer: deps.issuerUrl(),
    ...(deps.bindingIssuerUrl === undefined ? {} : { bindingIssuerUrl: deps.bindingIssuerUrl }),
    settings,
    keys: deps.keys,
    nowMs: Date.now(),
  });
  if (!checked.ok) return reject(checked.error);

  const accessToken = await deps.tokens.mint({
    tenantId: tenant.id,
    clientId: application.clientId,
    objectId: application.objectId,
    // `aud` is the resource as requested, trailing slash and all (MSAL.NET #894: "https://database.windows.net/.default"
    // gives aud "https://database.windows.net"; only "//.default" gives the slash Azure SQL requires).
    resource: requested,
    roles: deps.directory.isGraph(resource) ? application.graphRoles : [],
    lifetimeSeconds: settings.accessTokenLifetimeSeconds,
    clientCapabilities: requestedCapabilities(form.get("claims")),
    ...(deps.directory.isGraph(resource) ? { appDisplayName: application.displayName } : {}),
  });
  const body: Record<string, unknown> = {
    token_type: "Bearer",
    expires_in: settings.accessTokenLifetimeSeconds,
    ext_expires_in: settings.accessTokenLifetimeSeconds,
    access_token: accessToken,
  };
  if (settings.refreshInSeconds !== null) body.refresh_in = settings.refreshInSeconds;
  return json(200, body, entraResponseHeaders(randomUUID(), correlationId));
}

function rejecter(deps: TokenEndpointDeps, ctx: RequestContext): (spec: EntraErrorSpec) => Reply {
  const correlationId = headerValue(ctx.req.headers["client-request-id"]);
  return (spec) =>
    entraErrorReply(spec, {
      authorityOrigin: deps.authorityOrigin(),
      separator: deps.settings().descriptionSeparator,
      correlationId,
    });
}

/** `claims={"access_token":{"xms_cc":{"values":["cp1"]}}}` is how MSAL announces CAE support. */
function requestedCapabilities(claims: string | null): string[] {
  if (!claims) return [];
  try {
    const parsed = JSON.parse(claims) as { access_token?: { xms_cc?: { values?: unknown } } };
    const values = parsed.access_token?.xms_cc?.values;
    return Array.isArray(values) ? values.filter((v): v is string => typeof v === "string") : [];
  } catch {
    return [];
  }
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

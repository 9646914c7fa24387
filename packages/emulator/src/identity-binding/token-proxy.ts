// The AKS identity-binding token proxy: takes the pod's client-credentials request, checks the projected service
// account token and that the account may use the client id, then asks Entra for the token with the binding's own
// assertion and answers with Entra's answer. MSAL's metadata GETs are passed through to Entra.
// The paths: the SDKs send the request they would send to Entra to the proxy's origin with the proxy URL's path
// joined to theirs (`{base}/{tenant}/oauth2/v2.0/token`: azure-sdk-for-go customtokenproxy/transport.go,
// azure-sdk-for-js workloadIdentityCredential.ts); AKS's own clients POST to the proxy's root (`https://<SNI name>`:
// kubernetes-sigs/cloud-provider-azure identity_bindings_credentials.go; the curl in AKS's setup guide).
import type { ApplicationConfig, EntraSettings } from "../config/emulator-config.js";
import {
  grants,
  type BoundIdentityConfig,
  type IdentityUseGrant,
} from "../config/identity-binding-config.js";
import { EntraErrors, entraErrorReply, type EntraErrorSpec } from "../entra/entra-error.js";
import { JWT_BEARER_ASSERTION_TYPE, OIDC_SCOPES } from "../entra/token-endpoint.js";
import { readBody, type Reply } from "../http/reply.js";
import { escapeRegExp, type RequestContext, type Route } from "../http/route.js";
import type { OidcIssuer } from "../issuer/oidc-issuer.js";
import type { BindingIssuers } from "./binding-issuer.js";
import { EntraUnreachableError, type EntraClient } from "./entra-client.js";
import { ProxyRefusals, proxyRefusalReply, type ProxyRefusal } from "./proxy-errors.js";
import { checkServiceAccountToken } from "./service-account-token.js";

export interface TokenProxyDeps {
  /** "/" or "/a/b", as configured (percent-encoding kept). */
  basePath: string;
  audience: string;
  identities: BoundIdentityConfig[];
  allow: IdentityUseGrant[];
  applications: ApplicationConfig[];
  clusterIssuer: () => OidcIssuer;
  bindingIssuers: BindingIssuers;
  entra: EntraClient;
  settings: () => EntraSettings;
  authorityOrigin: () => string;
}

/** Request headers passed on to Entra: MSAL's correlation and telemetry headers. */
const FORWARDED_HEADER =
  /^(client-request-id|return-client-request-id|x-client-[a-z0-9-]+|x-app-[a-z0-9-]+|x-ms-[a-z0-9-]+)$/;

export function tokenProxyRoutes(deps: TokenProxyDeps): Route[] {
  // Routes match the decoded path; the base is configured as it appears in the URL.
  const base = escapeRegExp(deps.basePath === "/" ? "" : decodeURIComponent(deps.basePath));
  return [
    {
      method: "POST",
      path: new RegExp(`^${base}/(?<tenant>[^/]+)/oauth2/v2\\.0/token$`),
      endpoint: "token-proxy",
      handle: (ctx) => proxyTokenRequest(deps, ctx, ctx.params.tenant),
    },
    {
      method: "POST",
      path: new RegExp(`^${base}/?$`),
      endpoint: "token-proxy",
      handle: (ctx) => proxyTokenRequest(deps, ctx, undefined),
    },
    {
      method: "GET",
      path: new RegExp(`^${base}/(?<rest>.+)$`),
      endpoint: "token-proxy-metadata",
      handle: (ctx) => passThrough(deps, ctx, ctx.params.rest ?? ""),
    },
  ];
}

async function proxyTokenRequest(
  deps: TokenProxyDeps,
  ctx: RequestContext,
  tenantParam: string | undefined,
): Promise<Reply> {
  const correlationId = headerValue(ctx.req.headers["client-request-id"]);
  const context = {
    authorityOrigin: deps.authorityOrigin(),
    separator: deps.settings().descriptionSeparator,
    correlationId,
  };
  // A malformed request gets the answer Entra would give it (a client cannot tell who refused); the proxy's own
  // checks get its own refusals.
  const asEntra = (spec: EntraErrorSpec) => entraErrorReply(spec, context);
  const refuse = (refusal: ProxyRefusal) => proxyRefusalReply(refusal, context);

  const form = new URLSearchParams(await readBody(ctx.req));
  // Fields in the query count too (after the body's), as Go's ParseForm reads them: AKS's msal-go example for
  // identity bindings sends its fields in the query (Azure/azure-workload-identity, feature/custom-token-endpoint).
  for (const [name, value] of ctx.url.searchParams) if (!form.has(name)) form.append(name, value);

  const grantType = form.get("grant_type");
  if (!grantType) return asEntra(EntraErrors.missingParameter("grant_type"));
  if (grantType !== "client_credentials") return asEntra(EntraErrors.unsupportedGrantType(grantType));
  const token = form.get("client_assertion");
  if (!token) return asEntra(EntraErrors.missingClientCredential());
  if (form.get("client_assertion_type") !== JWT_BEARER_ASSERTION_TYPE)
    return asEntra(EntraErrors.unexpectedAssertionType());
  const clientId = form.get("client_id");
  if (!clientId) return asEntra(EntraErrors.missingParameter("client_id"));
  const scope = form.get("scope");
  if (!scope) return asEntra(EntraErrors.missingParameter("scope"));
  const scopes = scope.split(" ").filter((s) => s !== "" && !OIDC_SCOPES.has(s));
  const withoutDefault = scopes.find((s) => !s.endsWith("/.default"));
  if (withoutDefault !== undefined || scopes.length === 0)
    return asEntra(EntraErrors.scopeWithoutDefault(withoutDefault ?? scope));
  if (scopes.length > 1) return asEntra(EntraErrors.scopesOfSeveralResources(scope));

  const account = await checkServiceAccountToken({
    token,
    issuer: deps.clusterIssuer(),
    audience: deps.audience,
    nowMs: Date.now(),
    skewSeconds: deps.settings().clockSkewSeconds,
  });
  if (!account.ok) return "entra" in account ? asEntra(account.entra) : refuse(account.refusal);

  // The ClusterRole/ClusterRoleBinding check (a SubjectAccessReview for verb use-managed-identity on
  // cid.wi.aks.azure.com/<client id>), then the binding itself.
  const wanted = clientId.toLowerCase();
  const allowed = deps.allow.some(
    (grant) =>
      grant.clientId.toLowerCase() === wanted && grants(grant.subjects, account.namespace, account.name),
  );
  if (!allowed) return refuse(ProxyRefusals.notAllowed(account.namespace, account.name, clientId));
  const identity = deps.identities.find((i) => i.clientId.toLowerCase() === wanted);
  const application =
    identity &&
    deps.applications.find(
      (a) =>
        a.clientId.toLowerCase() === wanted && a.tenantId.toLowerCase() === identity.tenantId.toLowerCase(),
    );
  const assertion = application && (await deps.bindingIssuers.assertionFor(application));
  if (!identity || !assertion) return refuse(ProxyRefusals.notBound(clientId));

  form.set("client_assertion", assertion);
  const tenant = tenantParam ?? identity.tenantId;
  try {
    const answer = await deps.entra.send({
      method: "POST",
      path: `/${encodeURIComponent(tenant)}/oauth2/v2.0/token`,
      headers: { ...forwardedHeaders(ctx), "content-type": "application/x-www-form-urlencoded" },
      body: form.toString(),
    });
    return { status: answer.status, headers: answer.headers, body: answer.body };
  } catch (error) {
    return unreachable(error, refuse);
  }
}

async function passThrough(deps: TokenProxyDeps, ctx: RequestContext, rest: string): Promise<Reply> {
  const context = {
    separator: deps.settings().descriptionSeparator,
    correlationId: headerValue(ctx.req.headers["client-request-id"]),
  };
  const path = `/${rest.split("/").map(encodeURIComponent).join("/")}${ctx.url.search}`;
  try {
    const answer = await deps.entra.send({ method: "GET", path, headers: forwardedHeaders(ctx) });
    return { status: answer.status, headers: answer.headers, body: answer.body };
  } catch (error) {
    return unreachable(error, (refusal) => proxyRefusalReply(refusal, context));
  }
}

function unreachable(error: unknown, refuse: (refusal: ProxyRefusal) => Reply): Reply {
  if (!(error instanceof EntraUnreachableError)) throw error;
  return refuse(ProxyRefusals.entraUnreachable(error.timedOut ? 504 : 502, error.message));
}

function forwardedHeaders(ctx: RequestContext): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(ctx.req.headers)) {
    if (typeof value === "string" && FORWARDED_HEADER.test(name)) headers[name] = value;
  }
  return headers;
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

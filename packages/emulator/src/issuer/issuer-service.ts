// The cluster issuer's HTTPS endpoints: the OIDC discovery document and the JWKS (Kubernetes' paths).
import { json } from "../http/reply.js";
import { escapeRegExp, type Route } from "../http/route.js";
import type { OidcIssuer } from "./oidc-issuer.js";

export function issuerRoutes(issuerPath: string, issuer: () => OidcIssuer): Route[] {
  const prefix = escapeRegExp(issuerPath);
  return [
    {
      method: "GET",
      path: new RegExp(`^${prefix}\\.well-known/openid-configuration$`),
      endpoint: "issuer-discovery",
      handle: () => json(200, issuer().discoveryDocument()),
    },
    {
      method: "GET",
      path: new RegExp(`^${prefix}openid/v1/jwks$`),
      endpoint: "jwks",
      handle: async () => json(200, await issuer().jwks(), { "content-type": "application/jwk-set+json" }),
    },
  ];
}

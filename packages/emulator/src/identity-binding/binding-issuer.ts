// The identity-binding OIDC issuer: one issuer per bound identity, `{origin}/{tenant id}/{client id}` (AKS shows
// `https://ib.oic.prod-aks.azure.com/<MI-tenant-id>/<MI-client-id>`, no trailing slash), serving a discovery document
// and keys Entra fetches, and signing the assertion the token proxy presents to Entra for that identity.
import { randomUUID, type KeyObject } from "node:crypto";
import type { ApplicationConfig } from "../config/emulator-config.js";
import type { BoundIdentityConfig } from "../config/identity-binding-config.js";
import { json } from "../http/reply.js";
import type { Route } from "../http/route.js";
import { OidcIssuer } from "../issuer/oidc-issuer.js";

/**
 * How long the proxy's assertion lives. AKS's is not public; it is presented at once, so a few minutes is plenty
 * (our choice).
 */
const ASSERTION_LIFETIME_SECONDS = 600;

export class BindingIssuers {
  private readonly issuers = new Map<string, OidcIssuer>();

  /** @param origin the listener's origin, known once it listens */
  constructor(
    private readonly identities: BoundIdentityConfig[],
    private readonly signingKey: KeyObject,
    private readonly origin: () => string,
  ) {}

  /** The issuer URL of a bound identity, or undefined for an identity no binding names. */
  issuerUrl(tenantId: string, clientId: string): string | undefined {
    return this.issuerFor(tenantId, clientId)?.url;
  }

  /**
   * The assertion for a bound application: issued by its binding issuer, for the subject and audience of the
   * `aks-identity-binding` credential the emulator put on it, so the two cannot drift apart.
   */
  async assertionFor(application: ApplicationConfig, nowMs = Date.now()): Promise<string | undefined> {
    const issuer = this.issuerFor(application.tenantId, application.clientId);
    const credential = application.federatedIdentityCredentials.find((f) => f.identityBinding === true);
    if (!issuer || !credential) return undefined;
    const iat = Math.floor(nowMs / 1000);
    return issuer.sign({
      aud: credential.audiences,
      exp: iat + ASSERTION_LIFETIME_SECONDS,
      iat,
      iss: issuer.url,
      jti: randomUUID(),
      nbf: iat,
      sub: credential.subject,
    });
  }

  routes(): Route[] {
    const identity = "^/(?<tenant>[^/]+)/(?<client>[^/]+)";
    const unknown = () => json(404, { error: "no identity binding issuer at this path" });
    return [
      {
        method: "GET",
        path: new RegExp(`${identity}/\\.well-known/openid-configuration$`),
        endpoint: "binding-issuer-discovery",
        handle: ({ params }) => {
          const issuer = this.issuerFor(params.tenant ?? "", params.client ?? "");
          return issuer ? json(200, issuer.discoveryDocument()) : unknown();
        },
      },
      {
        method: "GET",
        path: new RegExp(`${identity}/openid/v1/jwks$`),
        endpoint: "binding-jwks",
        handle: async ({ params }) => {
          const issuer = this.issuerFor(params.tenant ?? "", params.client ?? "");
          return issuer
            ? json(200, await issuer.jwks(), { "content-type": "application/jwk-set+json" })
            : unknown();
        },
      },
    ];
  }

  private issuerFor(tenantId: string, clientId: string): OidcIssuer | undefined {
    const identity = this.identities.find(
      (i) =>
        i.tenantId.toLowerCase() === tenantId.toLowerCase() &&
        i.clientId.toLowerCase() === clientId.toLowerCase(),
    );
    // Before the listener is up there is no URL yet, and nothing to cache.
    if (!identity || this.origin() === "") return undefined;
    const key = `${identity.tenantId}/${identity.clientId}`;
    let issuer = this.issuers.get(key);
    if (!issuer) {
      issuer = new OidcIssuer(`${this.origin()}/${key}`, this.signingKey);
      this.issuers.set(key, issuer);
    }
    return issuer;
  }
}

// The cluster's OIDC issuer: discovery document, JWKS, and service-account tokens minted like kube-apiserver's.
import { createPublicKey, randomUUID, type KeyObject } from "node:crypto";
import { SignJWT, exportJWK, type JSONWebKeySet, type JWTPayload } from "jose";
import { keyIdOf } from "./key-id.js";

export interface ServiceAccountTokenRequest {
  namespace: string;
  serviceAccount: string;
  audience: string;
  lifetimeSeconds: number;
}

export interface SignOptions {
  /** Sign with another key (a key the JWKS does not hold). */
  privateKey?: KeyObject;
  /** Put this `kid` in the header instead of the key's own. */
  kid?: string;
}

export class OidcIssuer {
  readonly kid: string;

  /**
   * @param url the issuer URL: ending with "/" as AKS cluster issuers do, or without, as AKS identity-binding
   *   issuers are shown
   */
  constructor(
    readonly url: string,
    private readonly signingKey: KeyObject,
  ) {
    this.kid = keyIdOf(signingKey);
  }

  get discoveryUrl(): string {
    return `${this.base}.well-known/openid-configuration`;
  }

  get jwksUrl(): string {
    return `${this.base}openid/v1/jwks`;
  }

  private get base(): string {
    return this.url.endsWith("/") ? this.url : `${this.url}/`;
  }

  discoveryDocument(): Record<string, unknown> {
    return {
      issuer: this.url,
      jwks_uri: this.jwksUrl,
      response_types_supported: ["id_token"],
      subject_types_supported: ["public"],
      id_token_signing_alg_values_supported: ["RS256"],
    };
  }

  async jwks(): Promise<JSONWebKeySet> {
    const jwk = await exportJWK(createPublicKey(this.signingKey));
    return { keys: [{ use: "sig", kty: jwk.kty, kid: this.kid, alg: "RS256", n: jwk.n, e: jwk.e }] };
  }

  /** A projected service-account token, claim for claim what kube-apiserver issues. */
  async mintServiceAccountToken(request: ServiceAccountTokenRequest, nowMs = Date.now()): Promise<string> {
    const iat = Math.floor(nowMs / 1000);
    return this.sign({
      aud: [request.audience],
      exp: iat + request.lifetimeSeconds,
      iat,
      iss: this.url,
      jti: randomUUID(),
      "kubernetes.io": {
        namespace: request.namespace,
        pod: { name: `${request.serviceAccount}-pod`, uid: randomUUID() },
        serviceaccount: { name: request.serviceAccount, uid: randomUUID() },
      },
      nbf: iat,
      sub: `system:serviceaccount:${request.namespace}:${request.serviceAccount}`,
    });
  }

  /** Signs any payload as RS256: for tests that need a token Kubernetes would never issue. */
  async sign(payload: JWTPayload, options: SignOptions = {}): Promise<string> {
    return new SignJWT(payload)
      .setProtectedHeader({ alg: "RS256", kid: options.kid ?? this.kid })
      .sign(options.privateKey ?? this.signingKey);
  }
}

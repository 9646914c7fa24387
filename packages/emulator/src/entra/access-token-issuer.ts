// Entra's access tokens: signed v1.0 JWTs whose `aud` is the resource; and their verification as a resource server does it.
import { createPublicKey, randomUUID, type KeyObject } from "node:crypto";
import { SignJWT, exportJWK, jwtVerify, errors, type JWTPayload } from "jose";
import { keyIdOf } from "../issuer/key-id.js";

export interface AccessTokenRequest {
  tenantId: string;
  clientId: string;
  objectId: string;
  resource: string;
  roles: string[];
  lifetimeSeconds: number;
  clientCapabilities: string[];
  /** Sent as `app_displayname`, which Microsoft Graph's tokens carry and Key Vault's do not. */
  appDisplayName?: string;
}

export type VerifyFailure = "malformed" | "signature" | "expired" | "audience" | "issuer";
/** `claims` is set once the signature and lifetime were good, so a refusal can name what it found. */
export type VerifyResult =
  { ok: true; claims: JWTPayload } | { ok: false; reason: VerifyFailure; claims?: JWTPayload };

/** The issuer of every v1.0 token (`iss` and `idp`), whichever authority host issued it. */
export function v1IssuerFor(tenantId: string): string {
  return `https://sts.windows.net/${tenantId}/`;
}

export class AccessTokenIssuer {
  readonly kid: string;

  constructor(
    private readonly key: KeyObject,
    private readonly authorityOrigin: () => string,
  ) {
    this.kid = keyIdOf(key);
  }

  /** The v2.0 issuer, as the tenant's v2.0 metadata publishes it: the emulator's own authority. */
  v2IssuerFor(tenantId: string): string {
    return `${this.authorityOrigin()}/${tenantId}/v2.0`;
  }

  /**
   * A v1.0 access token. A resource's manifest (`accessTokenAcceptedVersion`) decides the version, not the
   * endpoint: Key Vault, ARM, Storage, SQL and Graph take v1.0 even from the v2.0 endpoint, as does any API
   * that leaves the setting null (hpsin in AzureAD/microsoft-authentication-library-for-js#560, 2020-04-27).
   * The claims and their order follow decoded Azure tokens: Key Vault with a federated assertion (2022-02-14,
   * appidacr "2"), ARM (2025-12-05, with idtyp), Graph (2025, with app_displayname); `appidacr` is "2" because
   * the only client credential here is a JWT assertion ("When you use a client certificate ... the value is
   * 2", https://learn.microsoft.com/entra/identity-platform/access-token-claims-reference). The opaque `aio`,
   * `rh` and `xms_*` claims are left out. Header as in Key Vault's docs: `x5t` equal to `kid`
   * (https://learn.microsoft.com/azure/key-vault/general/rest-error-codes, 2024-02-20).
   */
  async mint(request: AccessTokenRequest, nowMs = Date.now()): Promise<string> {
    const iat = Math.floor(nowMs / 1000);
    const issuer = v1IssuerFor(request.tenantId);
    const payload: JWTPayload = {
      aud: request.resource,
      iss: issuer,
      iat,
      nbf: iat,
      exp: iat + request.lifetimeSeconds,
      ...(request.appDisplayName === undefined ? {} : { app_displayname: request.appDisplayName }),
      appid: request.clientId,
      appidacr: "2",
      idp: issuer,
      idtyp: "app",
      oid: request.objectId,
      ...(request.roles.length > 0 ? { roles: request.roles } : {}),
      sub: request.objectId,
      tid: request.tenantId,
      uti: randomUUID(),
      ver: "1.0",
      ...(request.clientCapabilities.length > 0 ? { xms_cc: request.clientCapabilities } : {}),
    };
    return new SignJWT(payload)
      .setProtectedHeader({ typ: "JWT", alg: "RS256", x5t: this.kid, kid: this.kid })
      .sign(this.key);
  }

  async jwks(): Promise<{ keys: Record<string, unknown>[] }> {
    const jwk = await exportJWK(createPublicKey(this.key));
    return { keys: [{ kty: jwk.kty, use: "sig", kid: this.kid, n: jwk.n, e: jwk.e }] };
  }

  /**
   * Checks a bearer token as Key Vault or Graph would: signature, lifetime, audience, issuer. The audience
   * must equal one of the expected ones exactly: Key Vault refuses `https://vault.azure.net/` ("AKV10022:
   * Invalid audience. Expected https://vault.azure.net, found: https://vault.azure.net/.", Azure/go-autorest#525),
   * and Azure SQL refuses `https://database.windows.net` without its slash (MSAL.NET #747, #894). The issuer
   * is the tenant's, in its v1.0 or v2.0 form; without `tenantId`, the tenant is the token's own `tid`.
   */
  async verify(
    token: string,
    expected: { audiences: readonly string[]; tenantId?: string },
  ): Promise<VerifyResult> {
    let claims: JWTPayload;
    try {
      ({ payload: claims } = await jwtVerify(token, createPublicKey(this.key), { algorithms: ["RS256"] }));
    } catch (error) {
      if (error instanceof errors.JWTExpired) return { ok: false, reason: "expired" };
      if (error instanceof errors.JWSSignatureVerificationFailed) return { ok: false, reason: "signature" };
      return { ok: false, reason: "malformed" };
    }
    if (typeof claims.aud !== "string" || !expected.audiences.includes(claims.aud)) {
      return { ok: false, reason: "audience", claims };
    }
    const tenantId = expected.tenantId ?? (typeof claims.tid === "string" ? claims.tid : undefined);
    if (
      tenantId === undefined ||
      (claims.iss !== v1IssuerFor(tenantId) && claims.iss !== this.v2IssuerFor(tenantId))
    ) {
      return { ok: false, reason: "issuer", claims };
    }
    return { ok: true, claims };
  }
}

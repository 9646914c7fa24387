// Entra's access tokens: signed JWTs whose `aud` is the resource; and their verification as a resource server does it.
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
}

export type VerifyFailure = "malformed" | "signature" | "expired" | "audience" | "issuer";
/** `claims` is set once the signature and lifetime were good, so a refusal can name the audience it found. */
export type VerifyResult =
  { ok: true; claims: JWTPayload } | { ok: false; reason: VerifyFailure; claims?: JWTPayload };

export class AccessTokenIssuer {
  readonly kid: string;

  constructor(
    private readonly key: KeyObject,
    private readonly authorityOrigin: () => string,
  ) {
    this.kid = keyIdOf(key);
  }

  issuerFor(tenantId: string): string {
    return `${this.authorityOrigin()}/${tenantId}/v2.0`;
  }

  async mint(request: AccessTokenRequest, nowMs = Date.now()): Promise<string> {
    const iat = Math.floor(nowMs / 1000);
    const payload: JWTPayload = {
      aud: request.resource,
      iss: this.issuerFor(request.tenantId),
      iat,
      nbf: iat,
      exp: iat + request.lifetimeSeconds,
      azp: request.clientId,
      appid: request.clientId,
      idtyp: "app",
      oid: request.objectId,
      sub: request.objectId,
      tid: request.tenantId,
      uti: randomUUID(),
      ver: "2.0",
    };
    if (request.roles.length > 0) payload.roles = request.roles;
    if (request.clientCapabilities.length > 0) payload.xms_cc = request.clientCapabilities;
    return new SignJWT(payload)
      .setProtectedHeader({ alg: "RS256", typ: "JWT", kid: this.kid })
      .sign(this.key);
  }

  async jwks(): Promise<{ keys: Record<string, unknown>[] }> {
    const jwk = await exportJWK(createPublicKey(this.key));
    return { keys: [{ kty: jwk.kty, use: "sig", kid: this.kid, n: jwk.n, e: jwk.e }] };
  }

  /**
   * Checks a bearer token as Key Vault or Graph would: signature, lifetime, audience, issuer. The audience
   * must equal the expected one exactly: Key Vault refuses `https://vault.azure.net/` ("AKV10022: Invalid
   * audience. Expected https://vault.azure.net, found: https://vault.azure.net/.", Azure/go-autorest#525), and
   * Azure SQL refuses `https://database.windows.net` without its slash (MSAL.NET #747, #894).
   */
  async verify(token: string, expected: { audience: string; tenantId?: string }): Promise<VerifyResult> {
    let claims: JWTPayload;
    try {
      ({ payload: claims } = await jwtVerify(token, createPublicKey(this.key), { algorithms: ["RS256"] }));
    } catch (error) {
      if (error instanceof errors.JWTExpired) return { ok: false, reason: "expired" };
      if (error instanceof errors.JWSSignatureVerificationFailed) return { ok: false, reason: "signature" };
      return { ok: false, reason: "malformed" };
    }
    if (claims.aud !== expected.audience) return { ok: false, reason: "audience", claims };
    if (expected.tenantId !== undefined && claims.iss !== this.issuerFor(expected.tenantId)) {
      return { ok: false, reason: "issuer", claims };
    }
    return { ok: true, claims };
  }
}

// One Key Vault: GET /secrets/{name}[/{version}] behind the real challenge flow, token checks and RBAC.
import { createHash } from "node:crypto";
import type { KeyVaultSettings, VaultConfig } from "../config/emulator-config.js";
import { v1IssuerFor, type AccessTokenIssuer } from "../entra/access-token-issuer.js";
import { bearerToken } from "../http/bearer.js";
import { json, type Reply } from "../http/reply.js";
import type { RequestContext, Route } from "../http/route.js";
import { forbiddenByRbacMessage, secretNotFoundMessage, unauthorizedMessage } from "./vault-messages.js";
import { acceptedAudiences, KEY_VAULT_RESOURCE, keyVaultHeaders } from "./vault-resource.js";

export { KEY_VAULT_RESOURCE } from "./vault-resource.js";
const SECRET_NAME = /^[0-9a-zA-Z-]{1,127}$/;

export interface VaultDeps {
  vault: VaultConfig;
  settings: KeyVaultSettings;
  tokens: AccessTokenIssuer;
  authorityOrigin: () => string;
  vaultUrl: () => string;
  startedAt: number;
  /** Key Vault's resource in the vault's cloud; default `https://vault.azure.net`. */
  resource?: string;
}

export function vaultRoutes(deps: VaultDeps): Route[] {
  return [
    {
      method: "GET",
      path: /^\/secrets\/(?<name>[^/]+)(?:\/(?<version>[^/]*))?\/?$/,
      endpoint: "keyvault",
      handle: (ctx) => getSecret(deps, ctx),
    },
  ];
}

/** Key Vault's error body `{error: {code, message[, innererror: {code}]}}`, with its headers. */
export function vaultError(
  status: number,
  code: string,
  message: string,
  options: { ctx?: RequestContext; headers?: Record<string, string>; inner?: string } = {},
): Reply {
  const error: Record<string, unknown> = { code, message };
  if (options.inner) error.innererror = { code: options.inner };
  return json(status, { error }, { ...keyVaultHeaders(options.ctx), ...options.headers });
}

async function getSecret(deps: VaultDeps, ctx: RequestContext): Promise<Reply> {
  const { vault } = deps;
  if (!ctx.url.searchParams.get("api-version")) {
    return vaultError(400, "BadParameter", "The 'api-version' query parameter is missing.", { ctx });
  }
  const resource = deps.resource ?? KEY_VAULT_RESOURCE;
  const challenge = {
    "www-authenticate": `Bearer authorization="${deps.authorityOrigin()}/${vault.tenantId}", resource="${resource}"`,
  };
  const unauthorized = (message: string) =>
    vaultError(401, "Unauthorized", message, { ctx, headers: challenge });
  const token = bearerToken(ctx.req);
  const expectedIssuers = [v1IssuerFor(vault.tenantId), deps.tokens.v2IssuerFor(vault.tenantId)];
  const style = deps.settings.invalidAudienceStyle;
  if (token === undefined) return unauthorized(unauthorizedMessage({ reason: "missing", style }));
  const verified = await deps.tokens.verify(token, {
    audiences: acceptedAudiences(style, resource),
    tenantId: vault.tenantId,
  });
  if (!verified.ok) {
    return unauthorized(
      unauthorizedMessage({
        reason: verified.reason,
        style,
        resource,
        claims: verified.claims,
        expectedIssuers,
      }),
    );
  }

  // Key Vault knows a caller by its service principal (`oid`) and application (`appid`); a reader may be
  // configured by either. `azp`, which only v2.0 tokens carry, plays no part.
  const claims = verified.claims;
  const caller = {
    appid: stringClaim(claims.appid),
    oid: stringClaim(claims.oid),
    iss: stringClaim(claims.iss),
  };
  const name = ctx.params.name ?? "";
  const isReader = vault.readers.some((r) =>
    [caller.appid, caller.oid].some((id) => id !== "" && id.toLowerCase() === r.toLowerCase()),
  );
  if (!isReader) {
    const message = forbiddenByRbacMessage({ caller, vaultName: vault.name, secretName: name });
    return vaultError(403, "Forbidden", message, { ctx, inner: "ForbiddenByRbac" });
  }

  if (!SECRET_NAME.test(name))
    return vaultError(400, "BadParameter", `The secret name '${name}' is invalid.`, { ctx });
  const value = Object.entries(vault.secrets).find(([n]) => n.toLowerCase() === name.toLowerCase());
  const version = value ? versionOf(vault.name, value[0], value[1]) : undefined;
  const askedVersion = ctx.params.version;
  if (!value || (askedVersion && askedVersion !== version)) {
    const id = askedVersion ? `${name}/${askedVersion}` : name;
    return vaultError(404, "SecretNotFound", secretNotFoundMessage(id), { ctx });
  }
  const created = Math.floor(deps.startedAt / 1000);
  return json(
    200,
    {
      value: value[1],
      id: `${deps.vaultUrl()}/secrets/${value[0]}/${version ?? ""}`,
      attributes: {
        enabled: true,
        created,
        updated: created,
        recoveryLevel: "Recoverable+Purgeable",
        recoverableDays: 90,
      },
      tags: {},
    },
    keyVaultHeaders(ctx),
  );
}

function stringClaim(value: unknown): string {
  return typeof value === "string" ? value : "";
}

function versionOf(vault: string, name: string, value: string): string {
  return createHash("sha256").update(`${vault}/${name}/${value}`).digest("hex").slice(0, 32);
}

// One Key Vault: GET /secrets/{name}[/{version}] behind the real challenge flow, token checks and RBAC.
import { createHash, randomUUID } from "node:crypto";
import type { VaultConfig } from "../config/emulator-config.js";
import type { AccessTokenIssuer, VerifyFailure } from "../entra/access-token-issuer.js";
import { bearerToken } from "../http/bearer.js";
import { json, type Reply } from "../http/reply.js";
import type { RequestContext, Route } from "../http/route.js";

export const KEY_VAULT_RESOURCE = "https://vault.azure.net";
const SECRET_NAME = /^[0-9a-zA-Z-]{1,127}$/;

export interface VaultDeps {
  vault: VaultConfig;
  tokens: AccessTokenIssuer;
  authorityOrigin: () => string;
  vaultUrl: () => string;
  startedAt: number;
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

export function vaultError(
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
  inner?: string,
): Reply {
  const error: Record<string, unknown> = { code, message };
  if (inner) error.innererror = { code: inner };
  return json(status, { error }, { "x-ms-request-id": randomUUID(), ...headers });
}

const UNAUTHORIZED_MESSAGES: Record<VerifyFailure, string> = {
  malformed: "AKV10000: Request is missing a Bearer or PoP token.",
  signature: "AKV10025: Token signature validation failed.",
  expired: "AKV10021: The access token is expired.",
  // Key Vault names what it found: "AKV10022: Invalid audience. Expected https://vault.azure.net, found:
  // https://vault.azure.net/." (Azure/go-autorest#525, 2020; MicrosoftDocs/azure-docs#109562, 2023).
  audience: `AKV10022: Invalid audience. Expected ${KEY_VAULT_RESOURCE}.`,
  issuer: "AKV10032: Invalid issuer. The token was issued by another tenant than the vault's.",
};

async function getSecret(deps: VaultDeps, ctx: RequestContext): Promise<Reply> {
  const { vault } = deps;
  if (!ctx.url.searchParams.get("api-version")) {
    return vaultError(400, "BadParameter", "The 'api-version' query parameter is missing.");
  }
  const challenge = {
    "www-authenticate": `Bearer authorization="${deps.authorityOrigin()}/${vault.tenantId}", resource="${KEY_VAULT_RESOURCE}"`,
  };
  const token = bearerToken(ctx.req);
  if (token === undefined) return vaultError(401, "Unauthorized", UNAUTHORIZED_MESSAGES.malformed, challenge);
  const verified = await deps.tokens.verify(token, {
    audience: KEY_VAULT_RESOURCE,
    tenantId: vault.tenantId,
  });
  if (!verified.ok) {
    const found = verified.reason === "audience" ? `, found: ${String(verified.claims?.aud)}` : "";
    const message = UNAUTHORIZED_MESSAGES[verified.reason].replace(/\.$/, `${found}.`);
    return vaultError(401, "Unauthorized", message, challenge);
  }

  const name = ctx.params.name ?? "";
  const caller = typeof verified.claims.azp === "string" ? verified.claims.azp : "";
  if (!vault.readers.some((r) => r.toLowerCase() === caller.toLowerCase())) {
    return vaultError(
      403,
      "Forbidden",
      "Caller is not authorized to perform action on resource.\r\n" +
        `Caller: appid=${caller};oid=${String(verified.claims.oid)};iss=${String(verified.claims.iss)}\r\n` +
        "Action: 'Microsoft.KeyVault/vaults/secrets/getSecret/action'\r\n" +
        `Resource: '/vaults/${vault.name}/secrets/${name}'\r\n` +
        "Assignment: (not found)\r\nDecisionReason: 'DeniedWithNoValidRBAC'\r\n" +
        `Vault: ${vault.name};location=emulator\r\n`,
      {},
      "ForbiddenByRbac",
    );
  }

  if (!SECRET_NAME.test(name))
    return vaultError(400, "BadParameter", `The secret name '${name}' is invalid.`);
  const value = Object.entries(vault.secrets).find(([n]) => n.toLowerCase() === name.toLowerCase());
  const version = value ? versionOf(vault.name, value[0], value[1]) : undefined;
  const askedVersion = ctx.params.version;
  if (!value || (askedVersion && askedVersion !== version)) {
    const id = askedVersion ? `${name}/${askedVersion}` : name;
    return vaultError(
      404,
      "SecretNotFound",
      `A secret with (name/id) ${id} was not found in this key vault. If you recently deleted this secret ` +
        "you may be able to recover it using the correct recovery command.",
    );
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
    { "x-ms-request-id": randomUUID(), "x-ms-keyvault-service-version": "1.9.0.0" },
  );
}

function versionOf(vault: string, name: string, value: string): string {
  return createHash("sha256").update(`${vault}/${name}/${value}`).digest("hex").slice(0, 32);
}

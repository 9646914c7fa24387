// The metadata MSAL would otherwise download before the first token (OpenID configuration and instance
// discovery). Every Entra cloud lays its endpoints out the same way, so it is built here for any host:
// the public, US Government and China clouds, and custom hosts such as the emulator, with no network call.

const KNOWN_CLOUD_ALIASES: Record<string, string[]> = {
  "login.microsoftonline.com": [
    "login.microsoftonline.com",
    "login.windows.net",
    "login.microsoft.com",
    "sts.windows.net",
  ],
  "login.microsoftonline.us": ["login.microsoftonline.us", "login.usgovcloudapi.net"],
  "login.chinacloudapi.cn": ["login.chinacloudapi.cn", "login.partner.microsoftonline.cn"],
  "login.partner.microsoftonline.cn": ["login.partner.microsoftonline.cn", "login.chinacloudapi.cn"],
};

export interface AuthorityMetadata {
  authority: string;
  knownAuthorities: string[];
  /** JSON, as MSAL's `authorityMetadata` option takes it. */
  authorityMetadata: string;
  /** JSON, as MSAL's `cloudDiscoveryMetadata` option takes it. */
  cloudDiscoveryMetadata: string;
}

/** @param authorityHost https URL with a trailing slash */
export function authorityMetadataFor(authorityHost: string, tenantId: string): AuthorityMetadata {
  const authority = `${authorityHost}${tenantId}`;
  const host = new URL(authorityHost).host;
  const aliases = KNOWN_CLOUD_ALIASES[host] ?? [host];
  return {
    authority,
    knownAuthorities: [host],
    authorityMetadata: JSON.stringify({
      token_endpoint: `${authority}/oauth2/v2.0/token`,
      authorization_endpoint: `${authority}/oauth2/v2.0/authorize`,
      end_session_endpoint: `${authority}/oauth2/v2.0/logout`,
      issuer: `${authority}/v2.0`,
      jwks_uri: `${authority}/discovery/v2.0/keys`,
    }),
    cloudDiscoveryMetadata: JSON.stringify({
      tenant_discovery_endpoint: `${authority}/v2.0/.well-known/openid-configuration`,
      "api-version": "1.1",
      metadata: [{ preferred_network: host, preferred_cache: host, aliases }],
    }),
  };
}

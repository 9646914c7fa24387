import { authorityMetadataFor } from "./authority-metadata.js";

const TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";

function parsed(authorityHost: string, tenantId = TENANT) {
  const metadata = authorityMetadataFor(authorityHost, tenantId);
  return {
    ...metadata,
    openIdConfiguration: JSON.parse(metadata.authorityMetadata) as unknown,
    cloudDiscovery: JSON.parse(metadata.cloudDiscoveryMetadata) as unknown,
  };
}

describe("authorityMetadataFor", () => {
  it("gives the public cloud's OpenID configuration for the tenant, as MSAL's authorityMetadata", () => {
    const { authority, knownAuthorities, openIdConfiguration } = parsed("https://login.microsoftonline.com/");

    expect(authority).toBe(`https://login.microsoftonline.com/${TENANT}`);
    expect(knownAuthorities).toEqual(["login.microsoftonline.com"]);
    expect(openIdConfiguration).toEqual({
      token_endpoint: `https://login.microsoftonline.com/${TENANT}/oauth2/v2.0/token`,
      authorization_endpoint: `https://login.microsoftonline.com/${TENANT}/oauth2/v2.0/authorize`,
      end_session_endpoint: `https://login.microsoftonline.com/${TENANT}/oauth2/v2.0/logout`,
      issuer: `https://login.microsoftonline.com/${TENANT}/v2.0`,
      jwks_uri: `https://login.microsoftonline.com/${TENANT}/discovery/v2.0/keys`,
    });
  });

  it("gives the public cloud's instance discovery with its aliases, login.windows.net among them", () => {
    expect(parsed("https://login.microsoftonline.com/").cloudDiscovery).toEqual({
      tenant_discovery_endpoint: `https://login.microsoftonline.com/${TENANT}/v2.0/.well-known/openid-configuration`,
      "api-version": "1.1",
      metadata: [
        {
          preferred_network: "login.microsoftonline.com",
          preferred_cache: "login.microsoftonline.com",
          aliases: [
            "login.microsoftonline.com",
            "login.windows.net",
            "login.microsoft.com",
            "sts.windows.net",
          ],
        },
      ],
    });
  });

  it.each([
    ["US Government", "login.microsoftonline.us", ["login.microsoftonline.us", "login.usgovcloudapi.net"]],
    ["China", "login.chinacloudapi.cn", ["login.chinacloudapi.cn", "login.partner.microsoftonline.cn"]],
    [
      "China (partner host)",
      "login.partner.microsoftonline.cn",
      ["login.partner.microsoftonline.cn", "login.chinacloudapi.cn"],
    ],
  ])("lays out the %s cloud's endpoints on its own host, with its aliases", (_cloud, host, aliases) => {
    const { authority, knownAuthorities, openIdConfiguration, cloudDiscovery } = parsed(`https://${host}/`);

    expect(authority).toBe(`https://${host}/${TENANT}`);
    expect(knownAuthorities).toEqual([host]);
    expect(openIdConfiguration).toMatchObject({
      token_endpoint: `https://${host}/${TENANT}/oauth2/v2.0/token`,
      authorization_endpoint: `https://${host}/${TENANT}/oauth2/v2.0/authorize`,
      issuer: `https://${host}/${TENANT}/v2.0`,
      jwks_uri: `https://${host}/${TENANT}/discovery/v2.0/keys`,
    });
    expect(cloudDiscovery).toEqual({
      tenant_discovery_endpoint: `https://${host}/${TENANT}/v2.0/.well-known/openid-configuration`,
      "api-version": "1.1",
      metadata: [{ preferred_network: host, preferred_cache: host, aliases }],
    });
  });

  it("keeps a custom host's port everywhere and makes it its own only alias", () => {
    const { authority, knownAuthorities, openIdConfiguration, cloudDiscovery } = parsed(
      "https://127.0.0.1:8443/",
      "contoso.onmicrosoft.com",
    );

    expect(authority).toBe("https://127.0.0.1:8443/contoso.onmicrosoft.com");
    expect(knownAuthorities).toEqual(["127.0.0.1:8443"]);
    expect(openIdConfiguration).toMatchObject({
      token_endpoint: "https://127.0.0.1:8443/contoso.onmicrosoft.com/oauth2/v2.0/token",
      authorization_endpoint: "https://127.0.0.1:8443/contoso.onmicrosoft.com/oauth2/v2.0/authorize",
      issuer: "https://127.0.0.1:8443/contoso.onmicrosoft.com/v2.0",
      jwks_uri: "https://127.0.0.1:8443/contoso.onmicrosoft.com/discovery/v2.0/keys",
    });
    expect(cloudDiscovery).toEqual({
      tenant_discovery_endpoint:
        "https://127.0.0.1:8443/contoso.onmicrosoft.com/v2.0/.well-known/openid-configuration",
      "api-version": "1.1",
      metadata: [
        {
          preferred_network: "127.0.0.1:8443",
          preferred_cache: "127.0.0.1:8443",
          aliases: ["127.0.0.1:8443"],
        },
      ],
    });
  });

  it("gives each call its own JSON, so one tenant's metadata never names another", () => {
    const first = parsed("https://login.microsoftonline.com/", "tenant-a.example");
    const second = parsed("https://login.microsoftonline.com/", "tenant-b.example");

    expect(first.authorityMetadata).not.toContain("tenant-b");
    expect(second.authorityMetadata).toContain("tenant-b.example/oauth2/v2.0/token");
  });
});

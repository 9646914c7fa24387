import { expectedAudience } from "./expected-audience.js";

describe("expectedAudience", () => {
  it.each([
    ["https://login.microsoftonline.com/", "api://AzureADTokenExchange", "Azure public cloud"],
    ["https://login.microsoftonline.us/", "api://AzureADTokenExchangeUSGov", "Azure US Government"],
    ["https://login.chinacloudapi.cn/", "api://AzureADTokenExchangeChina", "Azure China (21Vianet)"],
    ["https://login.partner.microsoftonline.cn", "api://AzureADTokenExchangeChina", "Azure China (21Vianet)"],
    ["https://login.usgovcloudapi.net/", "api://AzureADTokenExchangeUSGov", "Azure US Government"],
    ["https://LOGIN.MicrosoftOnline.US:443/", "api://AzureADTokenExchangeUSGov", "Azure US Government"],
  ])("expects, for AZURE_AUTHORITY_HOST %s, %s (%s)", (host, audience, cloud) => {
    expect(expectedAudience({ AZURE_AUTHORITY_HOST: host })).toEqual({
      audience,
      source: "cloud",
      reason: `${cloud}, by AZURE_AUTHORITY_HOST ${new URL(host).hostname.toLowerCase()}`,
    });
  });

  it("expects the public cloud's audience without AZURE_AUTHORITY_HOST, as the credential's default host", () => {
    expect(expectedAudience({})).toEqual({
      audience: "api://AzureADTokenExchange",
      source: "cloud",
      reason:
        "Azure public cloud, by the default authority host login.microsoftonline.com (AZURE_AUTHORITY_HOST is not set)",
    });
  });

  it("assumes the public cloud's audience for an unknown host, and says so", () => {
    expect(expectedAudience({ AZURE_AUTHORITY_HOST: "https://127.0.0.1:8443/" })).toEqual({
      audience: "api://AzureADTokenExchange",
      source: "assumed",
      reason:
        "Azure public cloud, assumed: AZURE_AUTHORITY_HOST 127.0.0.1 is not a known Entra cloud (pass --audience otherwise)",
    });
  });

  it("assumes it for an authority host that is no URL too, without repeating the value", () => {
    const expected = expectedAudience({
      AZURE_AUTHORITY_HOST: "https://admin:s3/cret@login.microsoftonline.us/",
    });

    expect(expected).toMatchObject({ audience: "api://AzureADTokenExchange", source: "assumed" });
    expect(expected.reason).toContain("AZURE_AUTHORITY_HOST is not a URL");
    expect(expected.reason).not.toContain("s3");
  });

  it("takes --audience over the authority host's cloud", () => {
    expect(
      expectedAudience({ AZURE_AUTHORITY_HOST: "https://login.microsoftonline.us/" }, " api://custom "),
    ).toEqual({ audience: "api://custom", source: "option", reason: "from --audience" });
  });

  it("ignores a blank --audience, as if it were not given", () => {
    expect(expectedAudience({ AZURE_AUTHORITY_HOST: "https://login.chinacloudapi.cn/" }, " ")).toMatchObject({
      audience: "api://AzureADTokenExchangeChina",
      source: "cloud",
    });
  });

  it("does not mistake an inherited property name for a cloud", () => {
    expect(expectedAudience({ AZURE_AUTHORITY_HOST: "https://constructor/" }).source).toBe("assumed");
  });
});

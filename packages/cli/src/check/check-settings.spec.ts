import { resolveSettings } from "./check-settings.js";

describe("resolveSettings", () => {
  it("defaults to the public cloud, the webhook's default audience, webhook v1.6.0 and namespace default", () => {
    expect(resolveSettings({ inputs: ["-"] })).toMatchObject({
      namespace: "default",
      cloud: { id: "public", authorityHost: "https://login.microsoftonline.com/" },
      audience: { value: "api://AzureADTokenExchange", reason: "the webhook's default" },
      webhook: { release: "v1.6.0" },
      issuer: undefined,
      warnings: [],
    });
  });

  it("takes a sovereign cloud's authority host and recommended audience, unless --audience says otherwise", () => {
    expect(resolveSettings({ inputs: [], cloud: "usgov" })).toMatchObject({
      cloud: { authorityHost: "https://login.microsoftonline.us/" },
      audience: { value: "api://AzureADTokenExchangeUSGov" },
    });
    expect(resolveSettings({ inputs: [], cloud: "china", audience: "api://custom" })).toMatchObject({
      cloud: { authorityHost: "https://login.chinacloudapi.cn/" },
      audience: { value: "api://custom", reason: "from --audience" },
    });
  });

  it("keeps the issuer exactly as given, and warns about http", () => {
    expect(resolveSettings({ inputs: [], issuer: "https://oidc.example/x/" }).issuer).toBe(
      "https://oidc.example/x/",
    );
    expect(resolveSettings({ inputs: [], issuer: "http://oidc.example/" }).warnings).toEqual([
      expect.stringContaining("is not https"),
    ]);
  });

  it.each([
    [{ namespace: "Apps" }, /^--namespace "Apps" is not a namespace name/],
    [{ cloud: "germany" }, /^--cloud must be public, usgov or china, not "germany"$/],
    [{ webhookVersion: "1.4" }, /^--webhook-version must be 1.6 or 1.5, not "1.4"$/],
    [{ audience: " " }, /^--audience must not be empty/],
    [{ issuer: "https://admin:s3cret@oidc.example/" }, /must not contain credentials/],
  ])("refuses %j with a usage error", (options, message) => {
    expect(() => resolveSettings({ inputs: [], ...options })).toThrow(message);
  });

  it("never repeats a password from --issuer", () => {
    expect(() => resolveSettings({ inputs: [], issuer: "https://admin:s3cret@oidc.example/" })).toThrow(
      /^(?![\s\S]*(s3cret|admin))/,
    );
  });
});

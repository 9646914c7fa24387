import { WorkloadIdentityCliError } from "../errors.js";
import { parseIssuerUrl } from "./issuer-url.js";

/** What `fn` throws. */
function errorOf(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe("parseIssuerUrl", () => {
  it("keeps the issuer exactly as given, trailing slash included, and puts the JWKS under it", () => {
    expect(parseIssuerUrl("https://oidc.example.com/cluster-1/")).toEqual({
      issuer: "https://oidc.example.com/cluster-1/",
      jwksUri: "https://oidc.example.com/cluster-1/openid/v1/jwks",
      warnings: [],
    });
  });

  it("adds no slash to an issuer without one: the token's iss has none either", () => {
    expect(parseIssuerUrl(" https://oidc.example.com ")).toEqual({
      issuer: "https://oidc.example.com",
      jwksUri: "https://oidc.example.com/openid/v1/jwks",
      warnings: [],
    });
  });

  it("does not normalise what Entra compares character for character (host case, default port)", () => {
    expect(parseIssuerUrl("https://OIDC.Example.com:443/x/").issuer).toBe("https://OIDC.Example.com:443/x/");
  });

  it("warns, without failing, that an http issuer cannot work with Entra", () => {
    const { warnings } = parseIssuerUrl("http://oidc.example.com/");

    expect(warnings).toEqual([expect.stringContaining("is not https")]);
    expect(warnings[0]).toContain("AADSTS90061");
  });

  it.each([
    [
      "not a URL",
      "oidc.example.com/",
      /"oidc\.example\.com\/" is not a URL; pass the cluster's --service-account-issuer/,
    ],
    ["another scheme", "ftp://oidc.example.com/", /must be an https URL/],
    ["credentials", "https://user:pw@oidc.example.com/", /must not contain credentials/],
    ["a query", "https://oidc.example.com/?x=1", /must not have a query or fragment/],
    ["a bare fragment", "https://oidc.example.com/#", /must not have a query or fragment/],
    ["a newline", "not a url\nforged line", /"not a url\\\\u000aforged line" is not a URL/],
  ])("rejects %s with ERR_INVALID_ISSUER_URL on one line", (_case, value, message) => {
    expect(() => parseIssuerUrl(value)).toThrow(WorkloadIdentityCliError);
    expect(() => parseIssuerUrl(value)).toThrow(message);
    expect(errorOf(() => parseIssuerUrl(value))).toMatchObject({ code: "ERR_INVALID_ISSUER_URL" });
    expect(() => parseIssuerUrl(value)).toThrow(/^[^\n]*$/);
  });

  it.each([
    [
      "a user and password",
      "https://admin:Sup3rS3cret@oidc.example.com/",
      'The issuer URL "https://***@oidc.example.com/" must not contain credentials; Entra fetches the documents anonymously.',
    ],
    [
      "credentials that make it no URL",
      "https://admin:Sup3r/S3cret@oidc.example.com/",
      'The issuer URL "https://***@oidc.example.com/" is not a URL; pass the cluster\'s --service-account-issuer, e.g. https://example.blob.core.windows.net/oidc/.',
    ],
    [
      "credentials without a scheme",
      "admin:Sup3rS3cret@oidc.example.com/",
      'The issuer URL "***@oidc.example.com/" must be an https URL.',
    ],
    [
      "a SAS token in the query",
      "https://acct.blob.core.windows.net/oidc/?sv=2022-11-02&sig=Sup3rS3cret",
      'The issuer URL "https://acct.blob.core.windows.net/oidc/?***" must not have a query or fragment (OpenID Connect Discovery 1.0, section 3).',
    ],
  ])("never repeats %s", (_case, value, message) => {
    expect(errorOf(() => parseIssuerUrl(value))).toMatchObject({ code: "ERR_INVALID_ISSUER_URL", message });
  });

  it("does not repeat the query of an http issuer either", () => {
    expect(() => parseIssuerUrl("http://oidc.example.com/?sig=Sup3rS3cret")).toThrow(
      '"http://oidc.example.com/?***" must not have a query',
    );
  });
});

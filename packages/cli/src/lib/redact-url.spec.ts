import { redactUrl } from "./redact-url.js";

describe("redactUrl", () => {
  it.each([
    "https://oidc.example.com/cluster-1/",
    "https://OIDC.Example.com:443/x",
    "https://login.microsoftonline.com",
    "https://oidc.example.com/users/@me/",
    "oidc.example.com/",
    "not a url",
  ])("returns %s unchanged: nothing to hide, nothing normalised", (value) => {
    expect(redactUrl(value)).toBe(value);
  });

  it.each([
    ["a user and password", "https://admin:Sup3rS3cret@oidc.example.com/", "https://***@oidc.example.com/"],
    ["a user alone", "https://Sup3rS3cret@oidc.example.com/x", "https://***@oidc.example.com/x"],
    ["no slashes after the scheme", "https:admin:Sup3rS3cret@oidc.example.com/", "***@oidc.example.com/"],
    ["backslashes", "https:\\\\admin:Sup3rS3cret@oidc.example.com/", "https:\\\\***@oidc.example.com/"],
    ["no scheme", "admin:Sup3rS3cret@oidc.example.com/", "***@oidc.example.com/"],
    [
      "a password with a slash",
      "https://admin:Sup3r/S3cret@oidc.example.com/",
      "https://***@oidc.example.com/",
    ],
    ["a password with a ?", "https://admin:Sup3r?S3cret@oidc.example.com/", "https://***@oidc.example.com/"],
    ["a password with a #", "https://admin:Sup3r#S3cret@oidc.example.com/", "https://***@oidc.example.com/"],
    ["another scheme", "ftp://admin:Sup3rS3cret@oidc.example.com/", "ftp://***@oidc.example.com/"],
    [
      "a query",
      "https://acct.blob.core.windows.net/oidc/?sv=1&sig=Sup3rS3cret",
      "https://acct.blob.core.windows.net/oidc/?***",
    ],
    ["a fragment", "https://oidc.example.com/#Sup3rS3cret", "https://oidc.example.com/#***"],
    ["an @ in the query", "https://oidc.example.com/?u=a@Sup3rS3cret", "https://oidc.example.com/?***"],
    ["both", "http://admin:pw@oidc.example.com/?sig=Sup3rS3cret", "http://***@oidc.example.com/?***"],
  ])("hides %s", (_case, value, shown) => {
    expect(redactUrl(value)).toBe(shown);
    expect(redactUrl(value)).not.toMatch(/Sup3r|S3cret|admin/);
  });

  it("keeps a bare ? or #, which hold nothing", () => {
    expect(redactUrl("https://oidc.example.com/?")).toBe("https://oidc.example.com/?");
    expect(redactUrl("https://oidc.example.com/#")).toBe("https://oidc.example.com/#");
  });

  it("keeps the result on one line", () => {
    expect(redactUrl("https://oidc.example.com/\nforged")).toBe("https://oidc.example.com/\\u000aforged");
  });
});

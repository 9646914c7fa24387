import { splitAuthority } from "./connect-proxy.js";

describe("splitAuthority", () => {
  it.each([
    ["login.microsoftonline.com:443", { host: "login.microsoftonline.com", port: "443" }],
    ["LOGIN.MicrosoftOnline.com:443", { host: "login.microsoftonline.com", port: "443" }],
    ["login.microsoftonline.com.:443", { host: "login.microsoftonline.com", port: "443" }],
    ["[::1]:8443", { host: "::1", port: "8443" }],
    ["example.com", { host: "example.com", port: "" }],
    ["example.com:", { host: "example.com", port: "" }],
  ])("reads %s as a host, lower case without a final dot, and a port", (authority, expected) => {
    expect(splitAuthority(authority)).toEqual(expected);
  });
});

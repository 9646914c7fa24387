import { resolveProxy } from "./proxy.js";

const PROXY = "http://proxy.corp:3128";
const ENTRA = "https://login.microsoftonline.com/tenant/oauth2/v2.0/token";

describe("resolveProxy: which variable applies", () => {
  it.each<[string, string, NodeJS.ProcessEnv, string | undefined]>([
    ["https uses HTTPS_PROXY", ENTRA, { HTTPS_PROXY: PROXY }, PROXY],
    ["https uses https_proxy", ENTRA, { https_proxy: PROXY }, PROXY],
    [
      "https prefers HTTPS_PROXY over https_proxy",
      ENTRA,
      { HTTPS_PROXY: PROXY, https_proxy: "http://b:1" },
      PROXY,
    ],
    ["an empty HTTPS_PROXY counts as unset", ENTRA, { HTTPS_PROXY: "", https_proxy: PROXY }, PROXY],
    [
      "https falls back to HTTP_PROXY, as @azure/core-rest-pipeline does",
      ENTRA,
      { HTTP_PROXY: PROXY },
      PROXY,
    ],
    [
      "https falls back to ALL_PROXY before HTTP_PROXY",
      ENTRA,
      { ALL_PROXY: PROXY, HTTP_PROXY: "http://other:1" },
      PROXY,
    ],
    [
      "https prefers HTTPS_PROXY to the fallbacks",
      ENTRA,
      { HTTPS_PROXY: PROXY, ALL_PROXY: "http://other:1" },
      PROXY,
    ],
    ["http falls back to ALL_PROXY", "http://example.com/", { all_proxy: PROXY }, PROXY],
    ["http uses HTTP_PROXY", "http://example.com/", { HTTP_PROXY: PROXY }, PROXY],
    ["http uses http_proxy", "http://example.com/", { http_proxy: PROXY }, PROXY],
    ["http ignores HTTPS_PROXY", "http://example.com/", { HTTPS_PROXY: PROXY }, undefined],
    ["no variable means direct", ENTRA, {}, undefined],
    ["a blank variable means direct", ENTRA, { HTTPS_PROXY: "  " }, undefined],
    ["a proxy without a scheme is read as http", ENTRA, { HTTPS_PROXY: "proxy.corp:3128" }, PROXY],
    [
      "an https proxy is kept as given",
      ENTRA,
      { HTTPS_PROXY: "https://proxy.corp:8443" },
      "https://proxy.corp:8443",
    ],
    [
      "other schemes never use a proxy",
      "ftp://example.com/",
      { HTTPS_PROXY: PROXY, HTTP_PROXY: PROXY },
      undefined,
    ],
  ])("%s", (_name, url, env, expected) => {
    expect(resolveProxy(url, env)).toBe(expected);
  });

  it("accepts a URL object as well as a string", () => {
    expect(resolveProxy(new URL(ENTRA), { HTTPS_PROXY: PROXY })).toBe(PROXY);
  });

  it("throws a message naming the variable, without its value, when the proxy is not a URL", () => {
    const env = { HTTPS_PROXY: "http://user:s3cret@[bad" };
    expect(() => resolveProxy(ENTRA, env)).toThrow("HTTPS_PROXY is not a valid proxy URL");
    expect(() => resolveProxy(ENTRA, env)).not.toThrow(/s3cret/);
  });

  it("does not read the proxy value when NO_PROXY bypasses the host", () => {
    expect(resolveProxy(ENTRA, { HTTPS_PROXY: "http://[bad", NO_PROXY: "*" })).toBeUndefined();
  });
});

describe("resolveProxy: NO_PROXY", () => {
  const bypassed = (url: string, noProxy: string) =>
    resolveProxy(url, { HTTPS_PROXY: PROXY, HTTP_PROXY: PROXY, NO_PROXY: noProxy }) === undefined;

  it.each<[string, string, string, boolean]>([
    ["* bypasses everything", ENTRA, "*", true],
    ["* among other entries bypasses everything", ENTRA, "example.com, *", true],
    ["an exact host", ENTRA, "login.microsoftonline.com", true],
    ["an exact host, case-insensitively", ENTRA, "LOGIN.MicrosoftOnline.com", true],
    ["an unrelated host does not match", ENTRA, "example.com", false],
    ["an empty list does not match", ENTRA, "", false],
    ["a bare domain matches its subdomains", ENTRA, "microsoftonline.com", true],
    ["a .domain matches its subdomains", ENTRA, ".microsoftonline.com", true],
    ["a *.domain matches its subdomains", ENTRA, "*.microsoftonline.com", true],
    ["a .domain matches the domain itself", "https://microsoftonline.com/", ".microsoftonline.com", true],
    ["a suffix must end at a label boundary", ENTRA, "online.com", false],
    [
      "a longer host does not match a shorter one",
      "https://microsoftonline.com/",
      "login.microsoftonline.com",
      false,
    ],
    [
      "entries are separated by commas and spaces",
      ENTRA,
      " a.example ,b.example  login.microsoftonline.com",
      true,
    ],
    ["host:port matches the default https port", ENTRA, "login.microsoftonline.com:443", true],
    ["host:port with another port does not match", ENTRA, "login.microsoftonline.com:8443", false],
    ["host:port matches an explicit port", "http://10.1.2.3:8080/x", "10.1.2.3:8080", true],
    ["host:port matches the default http port", "http://example.com/", "example.com:80", true],
    ["an IPv4 literal matches exactly", "http://10.1.2.3/", "10.1.2.3", true],
    ["an IPv4 literal is not a suffix", "http://110.1.2.3/", "10.1.2.3", false],
    ["an IPv4 literal does not match a name", ENTRA, "10.1.2.3", false],
    ["an IPv6 literal matches the bracketed host", "http://[::1]:8080/", "::1", true],
    ["an IPv6 literal matches however it is written", "http://[::1]/", "0:0:0:0:0:0:0:1", true],
    ["a bracketed IPv6 literal with a port", "http://[fd00::5]:8080/", "[fd00::5]:8080", true],
    ["a bracketed IPv6 literal with another port", "http://[fd00::5]:8080/", "[fd00::5]:9090", false],
    ["an IPv4 CIDR block contains the host", "http://10.244.3.7/", "10.0.0.0/8", true],
    ["an IPv4 CIDR block does not contain the host", "http://192.168.1.1/", "10.0.0.0/8", false],
    ["an IPv6 CIDR block contains the host", "http://[fd00::5]/", "fd00::/8", true],
    ["a CIDR block never matches a name", ENTRA, "10.0.0.0/8", false],
    ["a malformed CIDR block matches nothing", "http://10.1.2.3/", "10.0.0.0/99", false],
    ["a root-dot host matches", "https://login.microsoftonline.com./", "login.microsoftonline.com", true],
    [
      "the Kubernetes pattern keeps Entra proxied",
      ENTRA,
      "localhost,127.0.0.1,10.0.0.0/8,.svc,.cluster.local",
      false,
    ],
    [
      "the Kubernetes pattern bypasses services",
      "http://vault.default.svc:8200/",
      ".svc,.cluster.local",
      true,
    ],
  ])("%s", (_name, url, noProxy, expected) => {
    expect(bypassed(url, noProxy)).toBe(expected);
  });

  it("reads no_proxy when NO_PROXY is unset", () => {
    expect(resolveProxy(ENTRA, { HTTPS_PROXY: PROXY, no_proxy: ".microsoftonline.com" })).toBeUndefined();
  });

  it("prefers NO_PROXY over no_proxy", () => {
    const env = { HTTPS_PROXY: PROXY, NO_PROXY: "example.com", no_proxy: ".microsoftonline.com" };
    expect(resolveProxy(ENTRA, env)).toBe(PROXY);
  });
});

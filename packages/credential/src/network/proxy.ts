// Which proxy a request should use, from HTTPS_PROXY / HTTP_PROXY / NO_PROXY, as the Azure SDK reads them.
import { BlockList, isIP } from "node:net";

export const HTTPS_PROXY = "HTTPS_PROXY";
export const HTTP_PROXY = "HTTP_PROXY";
export const NO_PROXY = "NO_PROXY";
export const ALL_PROXY = "ALL_PROXY";

/**
 * The proxy URL for `url`, or undefined to connect directly. As @azure/core-rest-pipeline does (so an app's
 * SDK clients and its credential take the same path): https URLs use HTTPS_PROXY, else ALL_PROXY, else
 * HTTP_PROXY; http URLs HTTP_PROXY, else ALL_PROXY (each also in lower case). NO_PROXY lists hosts that bypass
 * the proxy. Throws when the chosen variable is set but is not a URL, naming it and never echoing its value.
 */
export function resolveProxy(url: string | URL, env: NodeJS.ProcessEnv): string | undefined {
  const target = typeof url === "string" ? new URL(url) : url;
  const variable = proxyVariableFor(target, env);
  const proxy = variable === undefined ? undefined : readVariable(env, variable);
  if (variable === undefined || proxy === undefined) return undefined;
  if (bypassesProxy(target, readVariable(env, NO_PROXY) ?? "")) return undefined;
  // "proxy.corp:3128" without a scheme is common in the wild; curl reads it as http.
  const withScheme = /^[a-z][a-z\d+.-]*:\/\//i.test(proxy) ? proxy : `http://${proxy}`;
  if (!URL.canParse(withScheme)) {
    throw new Error(`${variable} is not a valid proxy URL; set it to http://host:port or unset it.`);
  }
  return withScheme;
}

/** The name of the variable whose proxy `url` would use (NO_PROXY aside), for messages that name the fix. */
export function proxyVariableFor(url: string | URL, env: NodeJS.ProcessEnv): string | undefined {
  const { protocol } = typeof url === "string" ? new URL(url) : url;
  const candidates =
    protocol === "https:"
      ? [HTTPS_PROXY, ALL_PROXY, HTTP_PROXY]
      : protocol === "http:"
        ? [HTTP_PROXY, ALL_PROXY]
        : [];
  return candidates.find((name) => readVariable(env, name) !== undefined);
}

// Upper case first, as in @azure/core-rest-pipeline; an empty value counts as unset.
function readVariable(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = (env[name] || env[name.toLowerCase()])?.trim();
  return value === undefined || value === "" ? undefined : value;
}

function bypassesProxy(target: URL, noProxy: string): boolean {
  // URL keeps IPv6 hosts in brackets and may keep a trailing root dot; NO_PROXY entries have neither.
  const host = target.hostname
    .toLowerCase()
    .replace(/^\[(.*)\]$/, "$1")
    .replace(/\.$/, "");
  const port = target.port || (target.protocol === "https:" ? "443" : "80");
  return noProxy
    .toLowerCase()
    .split(/[\s,]+/)
    .some((entry) => entryMatches(entry, host, port));
}

function entryMatches(entry: string, host: string, port: string): boolean {
  if (entry === "") return false;
  if (entry === "*") return true;
  const { entryHost, entryPort } = splitHostPort(entry);
  if (entryPort !== undefined && entryPort !== port) return false;
  if (entryHost.includes("/")) return inSubnet(host, entryHost);
  // IP literals match as addresses (so "::1" equals "0:0::1"), never as domain suffixes.
  if (isIP(entryHost) !== 0 || isIP(host) !== 0) return sameAddress(host, entryHost);
  // ".example.com", "*.example.com" and "example.com" all cover example.com and its subdomains, as in curl.
  const domain = entryHost.replace(/^\*?\./, "");
  return host === domain || host.endsWith(`.${domain}`);
}

function splitHostPort(entry: string): { entryHost: string; entryPort?: string } {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
  if (bracketed?.[1] !== undefined) return { entryHost: bracketed[1], ...portOf(bracketed[2]) };
  // A single colon separates a port; several colons mean a bare IPv6 address.
  const hostPort = /^([^:]+):(\d+)$/.exec(entry);
  if (hostPort?.[1] !== undefined) return { entryHost: hostPort[1], ...portOf(hostPort[2]) };
  return { entryHost: entry };
}

function portOf(port: string | undefined): { entryPort?: string } {
  return port === undefined ? {} : { entryPort: String(Number(port)) };
}

function familyOf(address: string): "ipv4" | "ipv6" | undefined {
  const version = isIP(address);
  return version === 4 ? "ipv4" : version === 6 ? "ipv6" : undefined;
}

function sameAddress(host: string, entryHost: string): boolean {
  const family = familyOf(host);
  if (family === undefined || familyOf(entryHost) !== family) return false;
  const list = new BlockList();
  list.addAddress(entryHost, family);
  return list.check(host, family);
}

// CIDR entries ("10.0.0.0/8") are common in Kubernetes NO_PROXY values; curl accepts them since 7.86.
function inSubnet(host: string, cidr: string): boolean {
  const [network = "", bits = ""] = cidr.split("/");
  const family = familyOf(host);
  const prefix = Number(bits);
  const maxPrefix = family === "ipv4" ? 32 : 128;
  if (family === undefined || familyOf(network) !== family || !/^\d+$/.test(bits) || prefix > maxPrefix) {
    return false;
  }
  const list = new BlockList();
  list.addSubnet(network, prefix, family);
  return list.check(host, family);
}

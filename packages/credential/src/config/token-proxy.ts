// AKS identity bindings: with `enableAzureProxy`, token requests go to the cluster's token proxy that the
// Workload Identity webhook names in AZURE_KUBERNETES_TOKEN_PROXY, over TLS checked against its own CA
// (AZURE_KUBERNETES_CA_FILE, which rotates, or AZURE_KUBERNETES_CA_DATA) and server name
// (AZURE_KUBERNETES_SNI_NAME). The variables are the interface, as in @azure/identity; this file reads and checks
// them once, at construction. Rules as @azure/identity 4.14 applies them (workloadIdentityCredential.js:
// parseAndValidateCustomTokenProxy, TOKEN_PROXY_NOT_SET, CA_FILE_AND_DATA_EXCLUSIVE), with each message naming
// the variable to fix.
import { X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import { CredentialUnavailableError } from "../errors/errors.js";
import { redactUrl } from "../lib/redact-url.js";

export const AZURE_KUBERNETES_TOKEN_PROXY = "AZURE_KUBERNETES_TOKEN_PROXY";
export const AZURE_KUBERNETES_SNI_NAME = "AZURE_KUBERNETES_SNI_NAME";
export const AZURE_KUBERNETES_CA_FILE = "AZURE_KUBERNETES_CA_FILE";
export const AZURE_KUBERNETES_CA_DATA = "AZURE_KUBERNETES_CA_DATA";

export type CaSource =
  | { variable: typeof AZURE_KUBERNETES_CA_FILE; path: string; pem: string }
  | { variable: typeof AZURE_KUBERNETES_CA_DATA; pem: string };

export interface TokenProxyConfig {
  /** The proxy's origin and path, without a trailing slash: request paths are appended to it. */
  base: string;
  /** Sent as SNI and checked against the proxy's certificate; default: the URL's host. */
  sniName: string | undefined;
  /** The only CA trusted for the proxy; undefined: the system store, as @azure/identity does. */
  ca: CaSource | undefined;
}

type Environment = Record<string, string | undefined>;

export interface TokenProxyResolution {
  proxy: TokenProxyConfig | undefined;
  /** What the credential says at info: the switch off with a proxy present, or on without one. */
  note: string | undefined;
}

export function resolveTokenProxy(enabled: boolean, env: Environment): TokenProxyResolution {
  const url = set(env[AZURE_KUBERNETES_TOKEN_PROXY]);
  if (!enabled) {
    return {
      proxy: undefined,
      note:
        url === undefined
          ? undefined
          : `${AZURE_KUBERNETES_TOKEN_PROXY} is set (an AKS identity binding) but enableAzureProxy is off: token requests go to the authority host; pass { enableAzureProxy: true } to use the binding.`,
    };
  }
  const sniName = set(env[AZURE_KUBERNETES_SNI_NAME]);
  const caFile = set(env[AZURE_KUBERNETES_CA_FILE]);
  const caData = set(env[AZURE_KUBERNETES_CA_DATA]);
  if (url === undefined) {
    const others = [
      [AZURE_KUBERNETES_SNI_NAME, sniName],
      [AZURE_KUBERNETES_CA_FILE, caFile],
      [AZURE_KUBERNETES_CA_DATA, caData],
    ]
      .filter(([, value]) => value !== undefined)
      .map(([name]) => name);
    if (others.length > 0) {
      invalid(
        `${others.join(" and ")} ${others.length > 1 ? "are" : "is"} set but ${AZURE_KUBERNETES_TOKEN_PROXY} is not; an identity binding needs the proxy's URL too (check the pod's injected variables)`,
      );
    }
    return {
      proxy: undefined,
      note: `enableAzureProxy is on but ${AZURE_KUBERNETES_TOKEN_PROXY} is not set: token requests go to the authority host.`,
    };
  }
  if (caFile !== undefined && caData !== undefined) {
    invalid(`${AZURE_KUBERNETES_CA_FILE} and ${AZURE_KUBERNETES_CA_DATA} are both set; set only one`);
  }
  const ca: CaSource | undefined =
    caFile !== undefined
      ? { variable: AZURE_KUBERNETES_CA_FILE, path: caFile, pem: caFileAtStart(caFile) }
      : caData !== undefined
        ? { variable: AZURE_KUBERNETES_CA_DATA, pem: checkedPem(caData, AZURE_KUBERNETES_CA_DATA) }
        : undefined;
  return { proxy: { base: proxyBase(url), sniName, ca }, note: undefined };
}

/** The proxy's origin and path, refusing what @azure/identity refuses; the URL is only ever shown redacted. */
function proxyBase(value: string): string {
  const name = AZURE_KUBERNETES_TOKEN_PROXY;
  if (!URL.canParse(value)) invalid(`${name} ${redactUrl(value)} is not a URL`);
  const url = new URL(value);
  if (url.protocol !== "https:") invalid(`${name} ${redactUrl(value)} must use https`);
  if (url.username !== "" || url.password !== "") invalid(`${name} must not contain user info`);
  // A bare "?" or "#" leaves search and hash empty, so look at the text itself.
  if (value.includes("?")) invalid(`${name} ${redactUrl(value)} must not have a query`);
  if (value.includes("#")) invalid(`${name} ${redactUrl(value)} must not have a fragment`);
  return `${url.origin}${url.pathname.replace(/\/+$/, "")}`;
}

/** The CA file's content now: it must be there and hold a certificate when the credential is made. */
function caFileAtStart(path: string): string {
  let content: string;
  try {
    content = readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "unreadable";
    invalid(`${AZURE_KUBERNETES_CA_FILE} ${JSON.stringify(path)} cannot be read (${code})`);
  }
  if (content.trim() === "") invalid(`${AZURE_KUBERNETES_CA_FILE} ${JSON.stringify(path)} is empty`);
  return checkedPem(content, `${AZURE_KUBERNETES_CA_FILE} ${JSON.stringify(path)}`);
}

function checkedPem(pem: string, source: string): string {
  if (pemCertificates(pem) === 0) {
    invalid(`${source} holds no valid PEM certificate`);
  }
  return pem;
}

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** How many certificates in `pem` parse; 0 for anything else (a key, a half-written file, garbage). */
export function pemCertificates(pem: string): number {
  let valid = 0;
  for (const block of pem.match(PEM_CERTIFICATE) ?? []) {
    try {
      new X509Certificate(block);
      valid += 1;
    } catch {
      // not a certificate: not counted
    }
  }
  return valid;
}

function set(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === "" ? undefined : trimmed;
}

function invalid(problem: string): never {
  throw new CredentialUnavailableError(
    "ERR_INVALID_CONFIGURATION",
    `WorkloadIdentityCredential: ${problem}.`,
  );
}

// Where token requests go in an AKS identity-binding pod, and with what TLS: the proxy's URL with the request's
// path appended, its server name, and the CA it must chain to. The CA file rotates (kubelet swaps it like the
// token), so it is looked at once per exchange, never on a cache hit: a stat, and a read only when the file's
// identity, size or modification time changed. A file caught empty or half-written keeps the last good CA; a
// connection that fails verification reads it again once (see RetryingNetworkClient).
import { readFile, stat } from "node:fs/promises";
import type { Agent } from "node:https";
import {
  AZURE_KUBERNETES_CA_DATA,
  AZURE_KUBERNETES_CA_FILE,
  pemCertificates,
  type TokenProxyConfig,
} from "../config/token-proxy.js";
import type { Log } from "../log.js";
import { createNodeFetch } from "./node-fetch.js";
import type { Fetch } from "./transport.js";

/** What a failure message says about the route (never a certificate or a secret). */
export interface TokenProxyDescription {
  /** The proxy's origin and path. */
  base: string;
  sniName: string | undefined;
  /** The variable the CA came from; undefined: the system store. */
  caVariable: typeof AZURE_KUBERNETES_CA_FILE | typeof AZURE_KUBERNETES_CA_DATA | undefined;
  caPath: string | undefined;
}

/** TLS settings for the proxy, per CA generation: `key` changes whenever the CA does. */
export interface ProxyTls {
  key: string;
  /** Direct requests: node:https with an agent that trusts only the proxy's CA and sends its server name. */
  direct: Fetch;
  /** Through HTTPS_PROXY: the same settings for undici's requestTls. */
  options: { ca?: string; servername?: string };
}

type HttpsModule = typeof import("node:https");

export class TokenProxyRoute {
  private pem: string | undefined;
  private stamp: string | undefined;
  private generation = 0;
  /** The agent and settings for the current CA: one promise, so concurrent exchanges share one agent. */
  private current: Promise<{ agent: Agent; tls: ProxyTls }> | undefined;

  constructor(
    private readonly config: TokenProxyConfig,
    private readonly log: Log,
  ) {
    this.pem = config.ca?.pem;
  }

  describe(): TokenProxyDescription {
    const { ca } = this.config;
    return {
      base: this.config.base,
      sniName: this.config.sniName,
      caVariable: ca?.variable,
      caPath: ca?.variable === AZURE_KUBERNETES_CA_FILE ? ca.path : undefined,
    };
  }

  /** The URL at the proxy for a request MSAL addressed to `url`: the proxy's path, then the request's path and query. */
  target(url: string): string {
    const original = new URL(url);
    return `${this.config.base}${original.pathname}${original.search}`;
  }

  /** The TLS settings to use now; at most one stat of the CA file (a read only when it changed). */
  async tls(): Promise<ProxyTls> {
    await this.refresh(false);
    this.current ??= this.build();
    return (await this.current).tls;
  }

  /**
   * After a connection failed verification: reads the CA file again whatever its stat says (a swap within the
   * same second and size), and says whether the CA changed. A CA from AZURE_KUBERNETES_CA_DATA cannot change.
   */
  async reload(): Promise<boolean> {
    return this.refresh(true);
  }

  /** Closes the idle connections to the proxy. */
  async close(): Promise<void> {
    await this.retire();
  }

  private async retire(): Promise<void> {
    const retired = this.current;
    this.current = undefined;
    (await retired)?.agent.destroy();
  }

  private async refresh(force: boolean): Promise<boolean> {
    const { ca } = this.config;
    if (ca?.variable !== AZURE_KUBERNETES_CA_FILE) return false;
    let stamp: string;
    try {
      const info = await stat(ca.path);
      stamp = `${info.dev}:${info.ino}:${info.size}:${info.mtimeMs}`;
    } catch (error) {
      this.log.warning(
        `${AZURE_KUBERNETES_CA_FILE} ${JSON.stringify(ca.path)} cannot be read now (${errno(error)}); keeping the last CA read from it.`,
      );
      return false;
    }
    if (!force && stamp === this.stamp) return false;
    let pem: string;
    try {
      pem = await readFile(ca.path, "utf8");
    } catch (error) {
      this.log.warning(
        `${AZURE_KUBERNETES_CA_FILE} ${JSON.stringify(ca.path)} cannot be read now (${errno(error)}); keeping the last CA read from it.`,
      );
      return false;
    }
    if (pemCertificates(pem) === 0) {
      // Caught mid-rotation: kubelet's swap is atomic, but a file written in place is not.
      this.log.warning(
        `${AZURE_KUBERNETES_CA_FILE} ${JSON.stringify(ca.path)} holds no valid certificate now; keeping the last CA read from it.`,
      );
      return false;
    }
    this.stamp = stamp;
    if (pem === this.pem) return false;
    this.pem = pem;
    this.log.info(`The token proxy's CA changed in ${AZURE_KUBERNETES_CA_FILE}; new connections use it.`);
    await this.retire();
    return true;
  }

  private async build(): Promise<{ agent: Agent; tls: ProxyTls }> {
    const https = await loadHttps();
    const { sniName } = this.config;
    const options = {
      ...(this.pem === undefined ? {} : { ca: this.pem }),
      ...(sniName === undefined ? {} : { servername: sniName }),
    };
    const agent = new https.Agent({ keepAlive: true, ...options });
    this.generation += 1;
    return { agent, tls: { key: `ca-${this.generation}`, direct: createNodeFetch(agent), options } };
  }
}

/** As node-fetch.ts takes it: CommonJS, so that no ES namespace of node:http(s) is built. */
async function loadHttps(): Promise<HttpsModule> {
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- absent before Node 22.3
  return process.getBuiltinModule?.("node:https") ?? (await import("node:https"));
}

function errno(error: unknown): string {
  return (error as NodeJS.ErrnoException | undefined)?.code ?? "unreadable";
}

/** TLS errors that say the proxy's certificate was not trusted for this name: worth a fresh CA, not a backoff. */
const VERIFICATION_FAILURES = new Set([
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "CERT_SIGNATURE_FAILURE",
  "CERT_HAS_EXPIRED",
  "CERT_NOT_YET_VALID",
  "CERT_UNTRUSTED",
  "CERT_REJECTED",
  "ERR_TLS_CERT_ALTNAME_INVALID",
]);

export function isVerificationFailure(code: string): boolean {
  return VERIFICATION_FAILURES.has(code);
}

// Fetches an assertion issuer's discovery document and JWKS over HTTPS, as Entra does for a federated credential.
import { request } from "node:https";
import { rootCertificates } from "node:tls";
import type { JSONWebKeySet } from "jose";

export class IssuerUnreachableError extends Error {}

interface CachedKeys {
  keys: JSONWebKeySet;
  fetchedAt: number;
}

const CACHE_MS = 60_000;
const TIMEOUT_MS = 5_000;

export class IssuerKeyFetcher {
  private readonly cache = new Map<string, CachedKeys>();
  private readonly ca: string[];

  /**
   * @param extraCaPem trusted besides the public roots (the emulator's own CA)
   * @param localPort the loopback port of an issuer this emulator serves under a real host name (real-hostname
   *   mode), so that Entra reaches it without DNS; undefined for every other host
   */
  constructor(
    extraCaPem: string,
    private readonly localPort: (host: string) => number | undefined = () => undefined,
  ) {
    this.ca = [...rootCertificates, extraCaPem];
  }

  /** The issuer's keys; `refresh` skips the cache (after an unknown `kid`). */
  async keysFor(issuer: string, refresh = false): Promise<JSONWebKeySet> {
    const cached = this.cache.get(issuer);
    if (!refresh && cached && Date.now() - cached.fetchedAt < CACHE_MS) return cached.keys;

    const discoveryUrl = `${issuer.replace(/\/$/, "")}/.well-known/openid-configuration`;
    const discovery = (await this.getJson(discoveryUrl)) as { issuer?: unknown; jwks_uri?: unknown };
    if (discovery.issuer !== issuer) {
      throw new IssuerUnreachableError(
        `the discovery document's issuer '${String(discovery.issuer)}' differs from '${issuer}'`,
      );
    }
    if (typeof discovery.jwks_uri !== "string")
      throw new IssuerUnreachableError("the discovery document has no jwks_uri");
    const jwks = (await this.getJson(discovery.jwks_uri)) as JSONWebKeySet;
    if (!Array.isArray(jwks.keys)) throw new IssuerUnreachableError(`${discovery.jwks_uri} is not a JWKS`);
    this.cache.set(issuer, { keys: jwks, fetchedAt: Date.now() });
    return jwks;
  }

  private getJson(url: string): Promise<unknown> {
    return new Promise((resolve, reject) => {
      if (!url.startsWith("https://")) {
        reject(new IssuerUnreachableError(`${url} is not https`));
        return;
      }
      const target = new URL(url);
      const port = this.localPort(target.hostname);
      // Connects to the loopback listener but still verifies the certificate for the real name.
      const local =
        port === undefined
          ? {}
          : { hostname: "127.0.0.1", port, servername: target.hostname, headers: { host: target.host } };
      const req = request(url, { ca: this.ca, timeout: TIMEOUT_MS, ...local }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => {
          chunks.push(c);
        });
        res.on("end", () => {
          if (res.statusCode !== 200) {
            reject(new IssuerUnreachableError(`GET ${url} answered ${String(res.statusCode)}`));
            return;
          }
          try {
            resolve(JSON.parse(Buffer.concat(chunks).toString("utf8")));
          } catch {
            reject(new IssuerUnreachableError(`GET ${url} did not answer JSON`));
          }
        });
        res.on("error", (e) => {
          reject(new IssuerUnreachableError(`GET ${url} failed: ${e.message}`));
        });
      });
      req.on("timeout", () => {
        req.destroy(new Error("timed out"));
      });
      req.on("error", (e) => {
        reject(new IssuerUnreachableError(`GET ${url} failed: ${e.message}`));
      });
      req.end();
    });
  }
}

import type { FetchJson } from "../fetch-json.js";
import { FetchError } from "../fetch-json.js";
import { checkIssuerDiscovery, discoveryUrlOf } from "./issuer-discovery.js";

const ISSUER = "https://oidc.example.com/cluster/";
const DISCOVERY = "https://oidc.example.com/cluster/.well-known/openid-configuration";
const JWKS = "https://oidc.example.com/cluster/openid/v1/jwks";

/** Serves documents by URL, like a static site; anything else is unreachable. */
function site(documents: Record<string, unknown>): FetchJson & { urls: string[] } {
  const urls: string[] = [];
  const fetch = (url: string) => {
    urls.push(url);
    if (url in documents) return Promise.resolve(documents[url]);
    return Promise.reject(new FetchError(`GET ${url} failed (ECONNREFUSED: connect ECONNREFUSED)`));
  };
  return Object.assign(fetch, { urls });
}

describe("discoveryUrlOf", () => {
  it("puts the document under the issuer with or without its trailing slash, as Entra does", () => {
    expect(discoveryUrlOf(ISSUER)).toBe(DISCOVERY);
    expect(discoveryUrlOf("https://oidc.example.com/cluster")).toBe(DISCOVERY);
  });
});

describe("checkIssuerDiscovery", () => {
  it("passes a document naming the token's issuer and hands on its jwks_uri", async () => {
    const fetch = site({ [DISCOVERY]: { issuer: ISSUER, jwks_uri: JWKS } });

    const outcome = await checkIssuerDiscovery(ISSUER, fetch, 1000);

    expect(outcome).toEqual({
      result: {
        id: "issuer-discovery",
        status: "pass",
        message: `${DISCOVERY} names the token's issuer and the JWKS ${JWKS}`,
        details: { url: DISCOVERY, issuer: ISSUER, jwksUri: JWKS },
      },
      jwksUri: JWKS,
    });
    expect(fetch.urls).toEqual([DISCOVERY]);
  });

  it("shows a jwks_uri carrying a SAS token without its query, yet hands on the real one to fetch", async () => {
    const signed = `${JWKS}?sv=2022-11-02&sig=s3cret`;
    const fetch = site({ [DISCOVERY]: { issuer: ISSUER, jwks_uri: signed } });

    const { result, jwksUri } = await checkIssuerDiscovery(ISSUER, fetch, 1000);

    expect(result).toMatchObject({
      status: "pass",
      message: `${DISCOVERY} names the token's issuer and the JWKS ${JWKS}?***`,
      details: { jwksUri: `${JWKS}?***` },
    });
    expect(JSON.stringify(result)).not.toContain("s3cret");
    expect(jwksUri).toBe(signed);
  });

  it("never repeats credentials in a published issuer that differs from the token's", async () => {
    const fetch = site({
      [DISCOVERY]: { issuer: "https://admin:s3cret@oidc.example.com/cluster/", jwks_uri: JWKS },
    });

    const { result } = await checkIssuerDiscovery(ISSUER, fetch, 1000);

    expect(result).toMatchObject({
      status: "fail",
      code: "ERR_ISSUER_MISMATCH",
      message: `${DISCOVERY} names the issuer "https://***@oidc.example.com/cluster/", but the token's iss is "${ISSUER}"`,
    });
    expect(JSON.stringify(result)).not.toContain("s3cret");
  });

  it("fails an unreachable issuer as the AADSTS90061 cause", async () => {
    const { result, jwksUri } = await checkIssuerDiscovery(ISSUER, site({}), 1000);

    expect(result).toMatchObject({
      status: "fail",
      code: "ERR_ISSUER_UNREACHABLE",
      message: `GET ${DISCOVERY} failed (ECONNREFUSED: connect ECONNREFUSED)`,
      fix: expect.stringContaining("AADSTS90061"),
    });
    expect(jwksUri).toBeUndefined();
  });

  it("fails a document whose issuer lacks the token's trailing slash, naming the difference, yet hands on the JWKS", async () => {
    const issuerWithoutSlash = "https://oidc.example.com/cluster";
    const fetch = site({ [DISCOVERY]: { issuer: ISSUER, jwks_uri: JWKS } });

    const outcome = await checkIssuerDiscovery(issuerWithoutSlash, fetch, 1000);

    expect(outcome.result).toMatchObject({
      status: "fail",
      code: "ERR_ISSUER_MISMATCH",
      message: `${DISCOVERY} names the issuer "${ISSUER}", but the token's iss is "${issuerWithoutSlash}" (they differ by the trailing slash)`,
      fix: expect.stringContaining("character for character"),
    });
    expect(outcome.jwksUri).toBe(JWKS);
  });

  it("fails a different issuer without mentioning the slash", async () => {
    const fetch = site({ [DISCOVERY]: { issuer: "https://elsewhere/", jwks_uri: JWKS } });

    const { result } = await checkIssuerDiscovery(ISSUER, fetch, 1000);

    expect(result.code).toBe("ERR_ISSUER_MISMATCH");
    expect(result.message).not.toContain("trailing slash");
  });

  it.each([
    ["not an object", "just text", `${DISCOVERY} is not a JSON object`],
    ["without jwks_uri", { issuer: ISSUER }, `${DISCOVERY} has no jwks_uri`],
    [
      "with an http jwks_uri",
      { issuer: ISSUER, jwks_uri: "http://x/jwks" },
      "jwks_uri http://x/jwks is not https",
    ],
  ])("fails a document %s", async (_case, document, message) => {
    const outcome = await checkIssuerDiscovery(ISSUER, site({ [DISCOVERY]: document }), 1000);

    expect(outcome.result).toMatchObject({ status: "fail", code: "ERR_DISCOVERY_INVALID", message });
    expect(outcome.jwksUri).toBeUndefined();
  });

  it("passes the timeout to the fetcher", async () => {
    const timeouts: number[] = [];
    const fetch: FetchJson = (_url, timeoutMs) => {
      timeouts.push(timeoutMs);
      return Promise.resolve({ issuer: ISSUER, jwks_uri: JWKS });
    };

    await checkIssuerDiscovery(ISSUER, fetch, 1234);

    expect(timeouts).toEqual([1234]);
  });
});

import { decodeJwt } from "jose";
import { ISSUER, makeToken, signingKid } from "../../test-support/tokens.js";
import { checkClaims } from "./claims.js";

const NOW = 1_770_000_000;

async function claimsOf(claims: Record<string, unknown> = {}, kid?: string | null) {
  const token = await makeToken(NOW, claims, kid === undefined ? {} : { kid });
  return checkClaims(token, decodeJwt(token));
}

describe("checkClaims", () => {
  it("shows the issuer, the subject parsed into namespace and account, the audience and the kid", async () => {
    const { result, issuer, kid } = await claimsOf();

    expect(result).toMatchObject({
      id: "claims",
      status: "pass",
      message:
        `iss ${ISSUER} (ends with "/": the federated credential's issuer must too); ` +
        "sub system:serviceaccount:apps:api-sa (namespace apps, service account api-sa); " +
        `aud api://AzureADTokenExchange; RS256 kid ${signingKid}`,
      details: {
        header: { alg: "RS256", kid: signingKid },
        namespace: "apps",
        serviceAccount: "api-sa",
        issuerTrailingSlash: true,
        claims: expect.objectContaining({ iss: ISSUER, "kubernetes.io": expect.any(Object) }),
      },
    });
    expect(issuer).toBe(ISSUER);
    expect(kid).toBe(signingKid);
  });

  it("says an issuer without a trailing slash needs a federated credential without one", async () => {
    const { result, issuer } = await claimsOf({ iss: "https://oidc.example.com/cluster" });

    expect(result.message).toContain(
      `iss https://oidc.example.com/cluster (no trailing "/": the federated credential's issuer must have none either)`,
    );
    expect(result.details).toMatchObject({ issuerTrailingSlash: false });
    expect(issuer).toBe("https://oidc.example.com/cluster");
  });

  it("accepts a single string audience and an audience list holding the exchange audience", async () => {
    expect((await claimsOf({ aud: "api://AzureADTokenExchange" })).result.status).toBe("pass");
    expect(
      (await claimsOf({ aud: ["https://kubernetes.default.svc", "api://AzureADTokenExchange"] })).result
        .message,
    ).toContain("aud https://kubernetes.default.svc, api://AzureADTokenExchange");
  });

  it("fails an audience without api://AzureADTokenExchange", async () => {
    const { result } = await claimsOf({ aud: ["https://kubernetes.default.svc"] });

    expect(result).toMatchObject({
      status: "fail",
      code: "ERR_CLAIMS",
      message: 'aud ["https://kubernetes.default.svc"] lacks api://AzureADTokenExchange',
      fix: expect.stringContaining("audience api://AzureADTokenExchange"),
    });
  });

  it("fails a subject that is not a service account's, yet still hands on the issuer", async () => {
    const { result, issuer } = await claimsOf({ sub: "repo:org/app:ref:refs/heads/main" });

    expect(result).toMatchObject({
      status: "fail",
      message:
        "sub repo:org/app:ref:refs/heads/main is not system:serviceaccount:<namespace>:<service account>",
    });
    expect(issuer).toBe(ISSUER);
  });

  it("fails a missing or non-URL issuer and hands on none", async () => {
    const missing = await claimsOf({ iss: undefined });
    const notUrl = await claimsOf({ iss: "kubernetes/serviceaccount" });

    expect(missing.result.message).toBe("iss (none) is not a URL");
    expect(missing.issuer).toBeUndefined();
    expect(notUrl.result.message).toBe("iss kubernetes/serviceaccount is not a URL");
  });

  it("lists every problem on one line", async () => {
    const { result } = await claimsOf({ iss: undefined, sub: "x\ny", aud: 7 });

    expect(result.message).toBe(
      "iss (none) is not a URL; sub x\\u000ay is not system:serviceaccount:<namespace>:<service account>; aud 7 lacks api://AzureADTokenExchange",
    );
  });

  it("shows a token without kid, for the JWKS check to fail", async () => {
    const { result, kid } = await claimsOf({}, null);

    expect(result.message).toMatch(/RS256 kid \(none\)$/);
    expect(kid).toBeUndefined();
  });
});

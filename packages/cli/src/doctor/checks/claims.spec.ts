import { decodeJwt } from "jose";
import { ISSUER, makeToken, signingKid } from "../../test-support/tokens.js";
import { expectedAudience, type ExpectedAudience } from "../expected-audience.js";
import { checkClaims } from "./claims.js";

const NOW = 1_770_000_000;
const PUBLIC_CLOUD = expectedAudience({ AZURE_AUTHORITY_HOST: "https://login.microsoftonline.com/" });
const US_GOVERNMENT = expectedAudience({ AZURE_AUTHORITY_HOST: "https://login.microsoftonline.us/" });
const CHINA = expectedAudience({ AZURE_AUTHORITY_HOST: "https://login.chinacloudapi.cn/" });
const BY_PUBLIC_HOST = "Azure public cloud, by AZURE_AUTHORITY_HOST login.microsoftonline.com";

async function claimsOf(
  claims: Record<string, unknown> = {},
  kid?: string | null,
  expected: ExpectedAudience = PUBLIC_CLOUD,
) {
  const token = await makeToken(NOW, claims, kid === undefined ? {} : { kid });
  return checkClaims(token, decodeJwt(token), expected);
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
        `aud api://AzureADTokenExchange, holding the expected api://AzureADTokenExchange (${BY_PUBLIC_HOST}); RS256 kid ${signingKid}`,
      details: {
        header: { alg: "RS256", kid: signingKid },
        namespace: "apps",
        serviceAccount: "api-sa",
        issuerTrailingSlash: true,
        claims: expect.objectContaining({ iss: ISSUER, "kubernetes.io": expect.any(Object) }),
        expectedAudience: { audience: "api://AzureADTokenExchange", source: "cloud", reason: BY_PUBLIC_HOST },
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
    ).toContain(
      "aud https://kubernetes.default.svc, api://AzureADTokenExchange, holding the expected api://AzureADTokenExchange",
    );
  });

  it("fails an audience without the expected one, naming both", async () => {
    const { result } = await claimsOf({ aud: ["https://kubernetes.default.svc"] });

    expect(result).toMatchObject({
      status: "fail",
      code: "ERR_CLAIMS",
      message: `aud ["https://kubernetes.default.svc"] lacks the expected api://AzureADTokenExchange (${BY_PUBLIC_HOST})`,
      fix: expect.stringContaining("audience api://AzureADTokenExchange"),
    });
  });

  it.each([
    ["US Government", US_GOVERNMENT, "api://AzureADTokenExchangeUSGov", "login.microsoftonline.us"],
    ["China", CHINA, "api://AzureADTokenExchangeChina", "login.chinacloudapi.cn"],
  ])(
    "passes a sovereign cloud's (%s) audience for its authority host",
    async (_cloud, expected, audience, host) => {
      const { result } = await claimsOf({ aud: [audience] }, undefined, expected);

      expect(result.status).toBe("pass");
      expect(result.message).toContain(`aud ${audience}, holding the expected ${audience} (`);
      expect(result.message).toContain(`by AZURE_AUTHORITY_HOST ${host})`);
      expect(result.details).toMatchObject({ expectedAudience: { audience, source: "cloud" } });
    },
  );

  it("fails the public cloud's audience in US Government, naming the expected and the presented one", async () => {
    const { result } = await claimsOf({}, undefined, US_GOVERNMENT);

    expect(result).toMatchObject({
      status: "fail",
      code: "ERR_CLAIMS",
      message:
        'aud ["api://AzureADTokenExchange"] lacks the expected api://AzureADTokenExchangeUSGov (Azure US Government, by AZURE_AUTHORITY_HOST login.microsoftonline.us)',
      fix: expect.stringMatching(/audience api:\/\/AzureADTokenExchangeUSGov.*--audience/),
    });
  });

  it("expects what --audience names instead", async () => {
    const custom = expectedAudience(
      { AZURE_AUTHORITY_HOST: "https://login.microsoftonline.us/" },
      "api://custom",
    );

    expect((await claimsOf({ aud: "api://custom" }, undefined, custom)).result.message).toContain(
      "aud api://custom, holding the expected api://custom (from --audience)",
    );
    expect((await claimsOf({}, undefined, custom)).result).toMatchObject({
      status: "fail",
      message: 'aud ["api://AzureADTokenExchange"] lacks the expected api://custom (from --audience)',
    });
  });

  it("says when the audience was assumed for an unknown authority host", async () => {
    const assumed = expectedAudience({ AZURE_AUTHORITY_HOST: "https://127.0.0.1:8443/" });

    const { result } = await claimsOf({}, undefined, assumed);

    expect(result.status).toBe("pass");
    expect(result.message).toContain(
      "aud api://AzureADTokenExchange, holding the expected api://AzureADTokenExchange (Azure public cloud, assumed: AZURE_AUTHORITY_HOST 127.0.0.1 is not a known Entra cloud (pass --audience otherwise))",
    );
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
      "iss (none) is not a URL; sub x\\u000ay is not system:serviceaccount:<namespace>:<service account>; aud 7 lacks the expected api://AzureADTokenExchange (Azure public cloud, by AZURE_AUTHORITY_HOST login.microsoftonline.com)",
    );
  });

  it("passes api://AKSIdentityBinding in an identity-binding pod, saying why it is expected", async () => {
    const binding = expectedAudience({ AZURE_KUBERNETES_TOKEN_PROXY: "https://10.0.0.1" });

    const { result } = await claimsOf({ aud: ["api://AKSIdentityBinding"] }, undefined, binding);

    expect(result.status).toBe("pass");
    expect(result.message).toContain(
      "aud api://AKSIdentityBinding, holding the expected api://AKSIdentityBinding (AKS identity binding, by AZURE_KUBERNETES_TOKEN_PROXY)",
    );
    expect(result.details).toMatchObject({ expectedAudience: { source: "identity-binding" } });
  });

  it("flags the exchange audience in an identity-binding pod, with the binding's fix", async () => {
    const binding = expectedAudience({ AZURE_KUBERNETES_TOKEN_PROXY: "https://10.0.0.1" });

    const { result } = await claimsOf({}, undefined, binding);

    expect(result).toMatchObject({
      status: "fail",
      code: "ERR_CLAIMS",
      message:
        'aud ["api://AzureADTokenExchange"] lacks the expected api://AKSIdentityBinding (AKS identity binding, by AZURE_KUBERNETES_TOKEN_PROXY): this pod has the identity-binding variables, but its token was not projected for the binding',
      fix: expect.stringContaining("azure.workload.identity/use-identity-binding"),
    });
  });

  it("flags a binding's audience in a pod without the binding's variables, with that fix", async () => {
    const { result } = await claimsOf({ aud: ["api://AKSIdentityBinding"] });

    expect(result).toMatchObject({
      status: "fail",
      message: expect.stringMatching(
        /^aud \["api:\/\/AKSIdentityBinding"\] lacks the expected api:\/\/AzureADTokenExchange \(.*\): api:\/\/AKSIdentityBinding is an AKS identity binding's audience, but no AZURE_KUBERNETES_\* variable is set here/,
      ),
      fix: expect.stringContaining("run the doctor with the pod's own environment"),
    });
  });

  it("shows a token without kid, for the JWKS check to fail", async () => {
    const { result, kid } = await claimsOf({}, null);

    expect(result.message).toMatch(/RS256 kid \(none\)$/);
    expect(kid).toBeUndefined();
  });
});

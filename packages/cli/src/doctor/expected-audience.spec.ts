import { audienceModeMismatch, expectedAudience } from "./expected-audience.js";

describe("expectedAudience", () => {
  it.each([
    ["https://login.microsoftonline.com/", "api://AzureADTokenExchange", "Azure public cloud"],
    ["https://login.microsoftonline.us/", "api://AzureADTokenExchangeUSGov", "Azure US Government"],
    ["https://login.chinacloudapi.cn/", "api://AzureADTokenExchangeChina", "Azure China (21Vianet)"],
    ["https://login.partner.microsoftonline.cn", "api://AzureADTokenExchangeChina", "Azure China (21Vianet)"],
    ["https://login.usgovcloudapi.net/", "api://AzureADTokenExchangeUSGov", "Azure US Government"],
    ["https://LOGIN.MicrosoftOnline.US:443/", "api://AzureADTokenExchangeUSGov", "Azure US Government"],
  ])("expects, for AZURE_AUTHORITY_HOST %s, %s (%s)", (host, audience, cloud) => {
    expect(expectedAudience({ AZURE_AUTHORITY_HOST: host })).toEqual({
      audience,
      source: "cloud",
      reason: `${cloud}, by AZURE_AUTHORITY_HOST ${new URL(host).hostname.toLowerCase()}`,
    });
  });

  it("expects the public cloud's audience without AZURE_AUTHORITY_HOST, as the credential's default host", () => {
    expect(expectedAudience({})).toEqual({
      audience: "api://AzureADTokenExchange",
      source: "cloud",
      reason:
        "Azure public cloud, by the default authority host login.microsoftonline.com (AZURE_AUTHORITY_HOST is not set)",
    });
  });

  it("assumes the public cloud's audience for an unknown host, and says so", () => {
    expect(expectedAudience({ AZURE_AUTHORITY_HOST: "https://127.0.0.1:8443/" })).toEqual({
      audience: "api://AzureADTokenExchange",
      source: "assumed",
      reason:
        "Azure public cloud, assumed: AZURE_AUTHORITY_HOST 127.0.0.1 is not a known Entra cloud (pass --audience otherwise)",
    });
  });

  it("assumes it for an authority host that is no URL too, without repeating the value", () => {
    const expected = expectedAudience({
      AZURE_AUTHORITY_HOST: "https://admin:s3/cret@login.microsoftonline.us/",
    });

    expect(expected).toMatchObject({ audience: "api://AzureADTokenExchange", source: "assumed" });
    expect(expected.reason).toContain("AZURE_AUTHORITY_HOST is not a URL");
    expect(expected.reason).not.toContain("s3");
  });

  it("takes --audience over the authority host's cloud", () => {
    expect(
      expectedAudience({ AZURE_AUTHORITY_HOST: "https://login.microsoftonline.us/" }, " api://custom "),
    ).toEqual({ audience: "api://custom", source: "option", reason: "from --audience" });
  });

  it("ignores a blank --audience, as if it were not given", () => {
    expect(expectedAudience({ AZURE_AUTHORITY_HOST: "https://login.chinacloudapi.cn/" }, " ")).toMatchObject({
      audience: "api://AzureADTokenExchangeChina",
      source: "cloud",
    });
  });

  it("does not mistake an inherited property name for a cloud", () => {
    expect(expectedAudience({ AZURE_AUTHORITY_HOST: "https://constructor/" }).source).toBe("assumed");
  });

  it("expects api://AKSIdentityBinding in an identity-binding pod, whatever the cloud, naming the variables", () => {
    const env = {
      AZURE_AUTHORITY_HOST: "https://login.microsoftonline.us/",
      AZURE_KUBERNETES_TOKEN_PROXY: "https://10.0.0.1",
      AZURE_KUBERNETES_CA_FILE: "/var/run/secrets/azure/wi/ca-cert/ca.crt",
    };

    expect(expectedAudience(env)).toEqual({
      audience: "api://AKSIdentityBinding",
      source: "identity-binding",
      reason: "AKS identity binding, by AZURE_KUBERNETES_TOKEN_PROXY, AZURE_KUBERNETES_CA_FILE",
    });
  });

  it("takes any one identity-binding variable for a binding pod, but not an empty one", () => {
    expect(expectedAudience({ AZURE_KUBERNETES_SNI_NAME: "x.ests.aks" }).source).toBe("identity-binding");
    expect(expectedAudience({ AZURE_KUBERNETES_CA_DATA: "PEM" }).source).toBe("identity-binding");
    expect(expectedAudience({ AZURE_KUBERNETES_TOKEN_PROXY: " " }).source).toBe("cloud");
  });

  it("takes --audience over the identity binding's audience", () => {
    expect(
      expectedAudience({ AZURE_KUBERNETES_TOKEN_PROXY: "https://10.0.0.1" }, "api://custom"),
    ).toMatchObject({ audience: "api://custom", source: "option" });
  });
});

describe("audienceModeMismatch", () => {
  const binding = expectedAudience({ AZURE_KUBERNETES_TOKEN_PROXY: "https://10.0.0.1" });
  const direct = expectedAudience({ AZURE_AUTHORITY_HOST: "https://login.microsoftonline.com/" });

  it("says a binding pod's token must be projected for the binding, with the annotation", () => {
    expect(audienceModeMismatch(binding, ["api://AzureADTokenExchange"])).toEqual({
      message: "this pod has the identity-binding variables, but its token was not projected for the binding",
      fix: expect.stringContaining(
        'takes only the audience api://AKSIdentityBinding: annotate the pod template azure.workload.identity/use-identity-binding: "true"',
      ),
    });
  });

  it("says a binding's token without the binding's variables goes to Entra directly", () => {
    const mismatch = audienceModeMismatch(direct, ["api://AKSIdentityBinding"]);

    expect(mismatch?.message).toBe(
      "api://AKSIdentityBinding is an AKS identity binding's audience, but no AZURE_KUBERNETES_* variable is set here, so token requests go to Entra directly",
    );
    expect(mismatch?.fix).toContain("run the doctor with the pod's own environment");
    expect(mismatch?.fix).toContain("so the webhook projects api://AzureADTokenExchange");
  });

  it("has nothing to add for other mismatches, or when --audience chose", () => {
    expect(audienceModeMismatch(direct, ["https://kubernetes.default.svc"])).toBeUndefined();
    expect(
      audienceModeMismatch(expectedAudience({}, "api://custom"), ["api://AKSIdentityBinding"]),
    ).toBeUndefined();
  });
});

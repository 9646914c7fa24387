import { checkEnableAzureProxy } from "./enable-azure-proxy.js";

describe("checkEnableAzureProxy", () => {
  it("warns that the application must turn the switch on, says why and that it was not checked", () => {
    const result = checkEnableAzureProxy("https://10.0.0.1/base");

    expect(result).toMatchObject({ id: "enable-azure-proxy", status: "warn" });
    expect(result.code).toBeUndefined();
    expect(result.message).toContain("must be made with enableAzureProxy: true");
    expect(result.message).toContain("skip the token proxy https://10.0.0.1/base and go to Entra");
    expect(result.message).toContain("no federated credential for this cluster's issuer");
    expect(result.message).toContain("not checked");
    expect(result.fix).toContain("@azure/identity (4.14 or later)");
    expect(result.fix).toContain("createMsalNetworkClient({ enableAzureProxy: true })");
  });

  it("shows the proxy URL redacted", () => {
    const result = checkEnableAzureProxy("https://user:pw@10.0.0.1/?sig=secret");

    expect(JSON.stringify(result)).not.toMatch(/pw|secret/);
  });
});

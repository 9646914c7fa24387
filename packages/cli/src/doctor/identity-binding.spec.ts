import { bindingValue, identityBindingVariables } from "./identity-binding.js";

describe("identityBindingVariables", () => {
  it("lists the identity-binding variables set, in the webhook's order", () => {
    expect(
      identityBindingVariables({
        AZURE_KUBERNETES_CA_FILE: "/ca.crt",
        AZURE_KUBERNETES_TOKEN_PROXY: "https://10.0.0.1",
        AZURE_CLIENT_ID: "c",
      }),
    ).toEqual(["AZURE_KUBERNETES_TOKEN_PROXY", "AZURE_KUBERNETES_CA_FILE"]);
  });

  it("finds none in an ordinary pod, and counts an empty or blank variable as not set, as the credential does", () => {
    expect(identityBindingVariables({ AZURE_CLIENT_ID: "c" })).toEqual([]);
    expect(
      identityBindingVariables({ AZURE_KUBERNETES_TOKEN_PROXY: "", AZURE_KUBERNETES_SNI_NAME: " " }),
    ).toEqual([]);
  });
});

describe("bindingValue", () => {
  it("trims the value", () => {
    expect(bindingValue({ AZURE_KUBERNETES_SNI_NAME: " x.ests.aks\n" }, "AZURE_KUBERNETES_SNI_NAME")).toBe(
      "x.ests.aks",
    );
  });
});

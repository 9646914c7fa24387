import { checkEnvironment } from "./environment.js";

const POD_ENV = {
  AZURE_CLIENT_ID: "0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0",
  AZURE_TENANT_ID: "6a4c7a1e-3d2b-4f5e-9c8d-7b6a5f4e3d2c",
  AZURE_FEDERATED_TOKEN_FILE: "/var/run/secrets/azure/tokens/azure-identity-token",
  AZURE_AUTHORITY_HOST: "https://login.microsoftonline.com/",
};
const LABEL = 'label the pod template azure.workload.identity/use: "true"';
const ANNOTATION = "azure.workload.identity/client-id";

function without(name: string): Record<string, string> {
  return Object.fromEntries(Object.entries(POD_ENV).filter(([key]) => key !== name));
}

describe("checkEnvironment", () => {
  it("passes the webhook's four variables, showing each value", () => {
    const outcome = checkEnvironment(POD_ENV);

    expect(outcome.results).toEqual([
      { id: "AZURE_CLIENT_ID", status: "pass", message: POD_ENV.AZURE_CLIENT_ID },
      { id: "AZURE_TENANT_ID", status: "pass", message: POD_ENV.AZURE_TENANT_ID },
      { id: "AZURE_FEDERATED_TOKEN_FILE", status: "pass", message: POD_ENV.AZURE_FEDERATED_TOKEN_FILE },
      { id: "AZURE_AUTHORITY_HOST", status: "pass", message: POD_ENV.AZURE_AUTHORITY_HOST },
    ]);
    expect(outcome.tokenFilePath).toBe(POD_ENV.AZURE_FEDERATED_TOKEN_FILE);
    expect(outcome.exchangeReady).toBe(true);
  });

  it("points a missing AZURE_CLIENT_ID at the service account annotation when the webhook ran", () => {
    const [clientId] = checkEnvironment(without("AZURE_CLIENT_ID")).results;

    expect(clientId).toEqual({
      id: "AZURE_CLIENT_ID",
      status: "fail",
      code: "ERR_MISSING_CONFIGURATION",
      message: "not set",
      fix: expect.stringContaining(
        `annotate the pod's service account ${ANNOTATION}: <application (client) id>`,
      ),
    });
    expect(clientId?.fix).not.toContain(LABEL);
  });

  it("points a missing AZURE_CLIENT_ID at the label and the annotation when nothing was injected", () => {
    const [clientId] = checkEnvironment({}).results;

    expect(clientId?.fix).toContain(LABEL);
    expect(clientId?.fix).toContain(ANNOTATION);
  });

  it.each(["AZURE_TENANT_ID", "AZURE_FEDERATED_TOKEN_FILE", "AZURE_AUTHORITY_HOST"])(
    "points a missing %s at the pod label",
    (name) => {
      const result = checkEnvironment(without(name)).results.find((r) => r.id === name);

      expect(result).toMatchObject({ status: "fail", code: "ERR_MISSING_CONFIGURATION", message: "not set" });
      expect(result?.fix).toContain(LABEL);
    },
  );

  it("tells an empty variable from a missing one", () => {
    const [, tenant] = checkEnvironment({ ...POD_ENV, AZURE_TENANT_ID: "  " }).results;

    expect(tenant).toMatchObject({ status: "fail", message: "set but empty" });
  });

  it("is not ready to exchange without a client id, tenant or authority host", () => {
    expect(checkEnvironment(without("AZURE_CLIENT_ID")).exchangeReady).toBe(false);
    expect(checkEnvironment(without("AZURE_TENANT_ID")).exchangeReady).toBe(false);
    expect(checkEnvironment(without("AZURE_AUTHORITY_HOST")).exchangeReady).toBe(false);
    expect(checkEnvironment(without("AZURE_FEDERATED_TOKEN_FILE")).exchangeReady).toBe(true);
  });

  it("warns about a client id that is not a GUID, naming the annotation, and still tries the exchange", () => {
    const checked = checkEnvironment({ ...POD_ENV, AZURE_CLIENT_ID: "my-app" });

    expect(checked.results[0]).toMatchObject({
      status: "warn",
      message: "my-app is not a GUID",
      fix: expect.stringContaining(ANNOTATION),
    });
    expect(checked.exchangeReady).toBe(true);
  });

  it("accepts a tenant domain and rejects a tenant with other characters", () => {
    expect(
      checkEnvironment({ ...POD_ENV, AZURE_TENANT_ID: "contoso.onmicrosoft.com" }).results[1]?.status,
    ).toBe("pass");
    expect(checkEnvironment({ ...POD_ENV, AZURE_TENANT_ID: "contoso/x" }).results[1]).toMatchObject({
      status: "fail",
      message: "contoso/x is neither a tenant GUID nor a domain",
    });
  });

  it.each([
    ["http://login.microsoftonline.com/", "http://login.microsoftonline.com/ is not https"],
    ["login.microsoftonline.com", "login.microsoftonline.com is not a URL"],
    ["https://login.microsoftonline.com/?", "https://login.microsoftonline.com/? has a query or fragment"],
    [
      "https://user:s3cret@login.microsoftonline.com/",
      "https://***@login.microsoftonline.com/ contains credentials",
    ],
    ["https:user:s3cret@login.microsoftonline.com/", "***@login.microsoftonline.com/ contains credentials"],
    [
      "https://user:s3/cret@login.microsoftonline.com/",
      "https://***@login.microsoftonline.com/ is not a URL",
    ],
    [
      "https://login.microsoftonline.com/?sig=s3cret",
      "https://login.microsoftonline.com/?*** has a query or fragment",
    ],
    ["http://login.microsoftonline.com/#s3cret", "http://login.microsoftonline.com/#*** is not https"],
  ])("rejects the authority host %s, never repeating a secret", (host, message) => {
    const authority = checkEnvironment({ ...POD_ENV, AZURE_AUTHORITY_HOST: host }).results[3];

    expect(authority).toMatchObject({ status: "fail", code: "ERR_INVALID_CONFIGURATION", message });
    expect(JSON.stringify(authority)).not.toContain("s3cret");
  });

  it("passes an authority host without a trailing slash, noting the credential adds it", () => {
    expect(
      checkEnvironment({ ...POD_ENV, AZURE_AUTHORITY_HOST: "https://login.microsoftonline.us" }).results[3],
    ).toMatchObject({
      status: "pass",
      message: "https://login.microsoftonline.us (no trailing slash: the credential adds one)",
    });
  });

  it("lets --token-file stand in for AZURE_FEDERATED_TOKEN_FILE, set or not", () => {
    const overridden = checkEnvironment(without("AZURE_FEDERATED_TOKEN_FILE"), "/tmp/token");

    expect(overridden.tokenFilePath).toBe("/tmp/token");
    expect(overridden.results[2]).toEqual({
      id: "AZURE_FEDERATED_TOKEN_FILE",
      status: "pass",
      message: "not set; checking --token-file /tmp/token instead",
    });
    expect(checkEnvironment(POD_ENV, "/tmp/token").tokenFilePath).toBe("/tmp/token");
  });

  it("keeps a value with a newline on one line", () => {
    const [clientId] = checkEnvironment({
      ...POD_ENV,
      AZURE_CLIENT_ID: "x\n✔ AZURE_CLIENT_ID forged",
    }).results;

    expect(clientId?.message).toBe("x\\u000a✔ AZURE_CLIENT_ID forged is not a GUID");
  });
});

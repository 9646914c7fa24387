import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CA, CA_PATH } from "../../test-support/tls.js";
import { checkIdentityBinding } from "./identity-binding.js";

const PROXY = "https://10.0.0.1:443/base";
const SNI = "615f3b8a.ests.aks";
const pod = (overrides: Record<string, string | undefined> = {}) => ({
  AZURE_KUBERNETES_TOKEN_PROXY: PROXY,
  AZURE_KUBERNETES_SNI_NAME: SNI,
  AZURE_KUBERNETES_CA_FILE: CA_PATH,
  ...overrides,
});

describe("checkIdentityBinding", () => {
  it("passes what the credential accepts, naming each variable and handing on the proxy", () => {
    const { result, proxy } = checkIdentityBinding(pod());

    expect(result).toEqual({
      id: "identity-binding",
      status: "pass",
      message: `an AKS identity-binding pod: AZURE_KUBERNETES_TOKEN_PROXY ${PROXY}, AZURE_KUBERNETES_SNI_NAME ${SNI}, AZURE_KUBERNETES_CA_FILE ${CA_PATH}; the credential accepts them`,
      details: {
        variables: ["AZURE_KUBERNETES_TOKEN_PROXY", "AZURE_KUBERNETES_SNI_NAME", "AZURE_KUBERNETES_CA_FILE"],
        tokenProxy: PROXY,
        sniName: SNI,
        caFile: CA_PATH,
      },
    });
    expect(proxy).toEqual({ url: PROXY, sniName: SNI });
  });

  it("says where the server name and the CA come from when their variables are not set", () => {
    const { result, proxy } = checkIdentityBinding({ AZURE_KUBERNETES_TOKEN_PROXY: PROXY });

    expect(result.message).toBe(
      `an AKS identity-binding pod: AZURE_KUBERNETES_TOKEN_PROXY ${PROXY}, no AZURE_KUBERNETES_SNI_NAME (the URL's host is the server name), no CA variable (the system trust store); the credential accepts them`,
    );
    expect(proxy).toEqual({ url: PROXY, sniName: undefined });
  });

  it("shows an inline CA by its variable only, never its content", () => {
    const { result } = checkIdentityBinding(
      pod({ AZURE_KUBERNETES_CA_FILE: undefined, AZURE_KUBERNETES_CA_DATA: CA }),
    );

    expect(result.status).toBe("pass");
    expect(result.message).toContain("AZURE_KUBERNETES_CA_DATA (inline)");
    expect(JSON.stringify(result)).not.toContain(CA.split("\n")[1]);
  });

  it.each([
    [
      "a URL that is not https",
      { AZURE_KUBERNETES_TOKEN_PROXY: "http://10.0.0.1" },
      'AZURE_KUBERNETES_TOKEN_PROXY "http://10.0.0.1/" must use https',
    ],
    [
      "user info",
      { AZURE_KUBERNETES_TOKEN_PROXY: "https://user:pw@10.0.0.1" },
      "AZURE_KUBERNETES_TOKEN_PROXY must not contain user info",
    ],
    [
      "a query",
      { AZURE_KUBERNETES_TOKEN_PROXY: "https://10.0.0.1/?sig=secret" },
      'AZURE_KUBERNETES_TOKEN_PROXY "https://10.0.0.1/?***" must not have a query',
    ],
    [
      "a fragment",
      { AZURE_KUBERNETES_TOKEN_PROXY: "https://10.0.0.1/#x" },
      'AZURE_KUBERNETES_TOKEN_PROXY "https://10.0.0.1/#***" must not have a fragment',
    ],
    [
      "both CA variables",
      { AZURE_KUBERNETES_CA_DATA: CA },
      "AZURE_KUBERNETES_CA_FILE and AZURE_KUBERNETES_CA_DATA are both set; set only one",
    ],
    [
      "the server name and CA without the URL",
      { AZURE_KUBERNETES_TOKEN_PROXY: undefined },
      "AZURE_KUBERNETES_SNI_NAME and AZURE_KUBERNETES_CA_FILE are set but AZURE_KUBERNETES_TOKEN_PROXY is not; an identity binding needs the proxy's URL too (check the pod's injected variables)",
    ],
    [
      "a CA file that is not there",
      { AZURE_KUBERNETES_CA_FILE: "/nonexistent/ca.crt" },
      'AZURE_KUBERNETES_CA_FILE "/nonexistent/ca.crt" cannot be read (ENOENT)',
    ],
    [
      "an inline CA that is no certificate",
      { AZURE_KUBERNETES_CA_FILE: undefined, AZURE_KUBERNETES_CA_DATA: "not a certificate" },
      "AZURE_KUBERNETES_CA_DATA holds no valid PEM certificate",
    ],
  ])("fails %s with the credential's own message, handing on no proxy", (_case, overrides, message) => {
    const { result, proxy } = checkIdentityBinding(pod(overrides));

    expect(result).toMatchObject({
      id: "identity-binding",
      status: "fail",
      code: "ERR_INVALID_CONFIGURATION",
      message,
      fix: expect.stringContaining('annotated azure.workload.identity/use-identity-binding: "true"'),
    });
    expect(JSON.stringify(result)).not.toContain("secret");
    expect(JSON.stringify(result)).not.toContain("pw@");
    expect(proxy).toBeUndefined();
  });

  it("fails an empty CA file, read as the credential reads it", async () => {
    const dir = await mkdtemp(join(tmpdir(), "identity-binding-"));
    try {
      const empty = join(dir, "ca.crt");
      await writeFile(empty, "");

      expect(checkIdentityBinding(pod({ AZURE_KUBERNETES_CA_FILE: empty })).result.message).toBe(
        `AZURE_KUBERNETES_CA_FILE ${JSON.stringify(empty)} is empty`,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("judges the identity-binding variables alone: other settings' problems belong to other lines", () => {
    const { result } = checkIdentityBinding({
      ...pod(),
      AZURE_CLIENT_ID: "",
      AZURE_AUTHORITY_HOST: "http://login.example",
      HTTPS_PROXY: "not a url",
    });

    expect(result.status).toBe("pass");
  });
});

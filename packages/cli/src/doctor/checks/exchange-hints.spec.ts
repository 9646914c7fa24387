import { errorCategories, type WorkloadIdentityErrorCode } from "@workload-identity/credential";
import { exchangeHint } from "./exchange-hints.js";

const codes = Object.keys(errorCategories) as WorkloadIdentityErrorCode[];

describe("exchangeHint", () => {
  it.each(codes.filter((code) => errorCategories[code] !== "token-file"))(
    "has a one-line hint for %s",
    (code) => {
      expect(exchangeHint(code)).toMatch(/^[^\n]+$/);
    },
  );

  it.each(codes.filter((code) => errorCategories[code] === "token-file"))(
    "leaves %s to the token file line, which names the fix",
    (code) => {
      expect(exchangeHint(code)).toBeUndefined();
    },
  );

  it.each(["ERR_NETWORK", "ERR_TIMEOUT", "ERR_INVALID_RESPONSE"] as const)(
    "points %s at the token proxy, not the authority host, for an exchange through it",
    (code) => {
      expect(exchangeHint(code, true)).toContain("AZURE_KUBERNETES_TOKEN_PROXY");
      expect(exchangeHint(code, true)).not.toContain("AZURE_AUTHORITY_HOST");
      expect(exchangeHint(code)).toContain("AZURE_AUTHORITY_HOST");
    },
  );

  it("says a refusal through the token proxy may be the proxy's own, which has no AADSTS number", () => {
    expect(exchangeHint("ERR_ENTRA_REJECTED", true)).toContain(
      "a refusal without an AADSTS number is the token proxy's own",
    );
    expect(exchangeHint("ERR_ENTRA_REJECTED")).not.toContain("token proxy");
  });

  it("keeps every other hint for an exchange through the token proxy", () => {
    expect(exchangeHint("ERR_TOKEN_PROXY_FORBIDDEN", true)).toBe(exchangeHint("ERR_TOKEN_PROXY_FORBIDDEN"));
    expect(exchangeHint("ERR_TOKEN_PROXY_FORBIDDEN", true)).toContain("use-managed-identity");
    expect(exchangeHint("ERR_TOKEN_PROXY_TLS", true)).toContain("AZURE_KUBERNETES_SNI_NAME");
  });

  it("hints at the propagation delay for a federated credential that does not match", () => {
    expect(exchangeHint("ERR_FEDERATED_CREDENTIAL_MISMATCH")).toContain("may still be propagating");
  });
});

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

  it("hints at the propagation delay for a federated credential that does not match", () => {
    expect(exchangeHint("ERR_FEDERATED_CREDENTIAL_MISMATCH")).toContain("may still be propagating");
  });
});

import { oneLine as credentialOneLine } from "@workload-identity/credential";
import { oneLine, show } from "./one-line.js";

describe("oneLine", () => {
  it("is the credential's own, whose spec holds the table of cases", () => {
    expect(oneLine).toBe(credentialOneLine);
  });

  it("escapes newlines and other control characters so a value cannot forge a report line", () => {
    expect(oneLine("a\nb\r\tc\u2028d")).toBe("a\\u000ab\\u000d\\u0009c\\u2028d");
  });

  it("leaves ordinary text alone", () => {
    expect(oneLine("system:serviceaccount:ns:sa ✔")).toBe("system:serviceaccount:ns:sa ✔");
  });
});

describe("show", () => {
  it("shows strings as they are, other values as JSON, and a missing value as (none)", () => {
    expect(show("x")).toBe("x");
    expect(show(["a", "b"])).toBe('["a","b"]');
    expect(show(42)).toBe("42");
    expect(show(undefined)).toBe("(none)");
  });
});

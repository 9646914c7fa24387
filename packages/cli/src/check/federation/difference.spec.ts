import { describeDifference, describeSubjectDifference, editDistance } from "./difference.js";

const ISSUER = "https://eastus.oic.prod-aks.azure.com/tenant/cluster/";

describe("describeDifference", () => {
  it.each([
    [ISSUER.slice(0, -1), ISSUER, 'lacks the trailing "/" the token\'s has'],
    [ISSUER, ISSUER.slice(0, -1), 'ends with "/", and the token\'s does not'],
    [` ${ISSUER}`, ISSUER, "has spaces around it"],
    [
      "system:serviceaccount:default:Api",
      "system:serviceaccount:default:api",
      'differs only in case, first at character 31 ("A" where the token has "a")',
    ],
    [
      "api://AzureADTokenExchangeUSGov",
      "api://AzureADTokenExchange",
      'goes on after the token\'s ends, with "USGov"',
    ],
    [
      "https://issuer.example/a",
      "https://issuer.example/abc",
      'stops after character 24, where the token\'s goes on with "bc"',
    ],
    [
      "https://issuer.example/x1",
      "https://issuer.example/y1",
      'differs at character 24: "x" where the token has "y"',
    ],
  ])("says how %j differs from %j", (credential, token, description) => {
    expect(describeDifference(credential, token)).toBe(description);
  });

  it("says nothing for equal values", () => {
    expect(describeDifference(ISSUER, ISSUER)).toBeUndefined();
  });
});

describe("describeSubjectDifference", () => {
  it("names the part of a Kubernetes subject that differs", () => {
    expect(
      describeSubjectDifference("system:serviceaccount:prod:api", "system:serviceaccount:default:api"),
    ).toBe('names namespace "prod" where the token\'s has "default"');
    expect(
      describeSubjectDifference("system:serviceaccount:default:api-sa", "system:serviceaccount:default:api"),
    ).toBe('names account "api-sa" where the token\'s has "api"');
  });

  it("falls back to characters for a difference in case, or in both parts", () => {
    expect(
      describeSubjectDifference("system:serviceaccount:Default:api", "system:serviceaccount:default:api"),
    ).toMatch(/^differs only in case/);
    expect(describeSubjectDifference("system:serviceaccount:a:b", "system:serviceaccount:c:d")).toMatch(
      /^differs at character 23/,
    );
  });
});

describe("editDistance", () => {
  it("counts the single-character edits between two strings", () => {
    expect(editDistance("kitten", "sitting")).toBe(3);
    expect(editDistance("", "abc")).toBe(3);
    expect(editDistance("same", "same")).toBe(0);
  });
});

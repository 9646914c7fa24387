import type { FederatedCredential } from "./credential-list.js";
import { entraVerdict, type Presented } from "./entra-verdict.js";

const ISSUER = "https://oidc.example.com/cluster/";
const PRESENTED: Presented = {
  issuer: ISSUER,
  subject: "system:serviceaccount:apps:api",
  audience: "api://AzureADTokenExchange",
};

function credential(name: string, fields: Partial<FederatedCredential> = {}): FederatedCredential {
  return {
    name,
    issuer: ISSUER,
    subject: PRESENTED.subject,
    audiences: ["api://AzureADTokenExchange"],
    ...fields,
  };
}

describe("entraVerdict", () => {
  it("takes a credential whose issuer, subject and audience all match exactly", () => {
    const match = credential("ok");

    expect(entraVerdict(PRESENTED, [credential("other", { subject: "x" }), match])).toEqual({
      kind: "match",
      credential: match,
    });
  });

  it("answers 70025 for an identity without credentials", () => {
    expect(entraVerdict(PRESENTED, [])).toEqual({ kind: "no-credentials", codes: [70025] });
  });

  it("names the issuer first (700211) when no credential has it, however the rest compares", () => {
    const verdict = entraVerdict(PRESENTED, [
      credential("slashless", { issuer: ISSUER.slice(0, -1), subject: "other" }),
    ]);

    expect(verdict).toMatchObject({ kind: "mismatch", claim: "issuer", codes: [700211, 70021] });
  });

  it("then the subject among the credentials of that issuer: 700213, or 7002138 when only its case differs", () => {
    expect(
      entraVerdict(PRESENTED, [credential("a", { subject: "system:serviceaccount:apps:web" })]),
    ).toMatchObject({
      claim: "subject",
      codes: [700213, 70021],
    });
    expect(
      entraVerdict(PRESENTED, [credential("a", { subject: "system:serviceaccount:Apps:api" })]),
    ).toMatchObject({
      claim: "subject",
      codes: [7002138, 70021],
    });
  });

  it("compares the subject only among credentials of the token's issuer", () => {
    // The right subject under another issuer does not make it an audience problem.
    const verdict = entraVerdict(PRESENTED, [
      credential("other-cluster", { issuer: "https://other.example/" }),
      credential("this-cluster", { subject: "system:serviceaccount:apps:web" }),
    ]);

    expect(verdict).toMatchObject({ claim: "subject", codes: [700213, 70021] });
  });

  it("then the audience (700212)", () => {
    expect(
      entraVerdict(PRESENTED, [credential("a", { audiences: ["api://AzureADTokenExchangeUSGov"] })]),
    ).toMatchObject({
      claim: "audience",
      codes: [700212, 70021],
    });
  });

  it("shows the credential closest to the token, and how each of its claims differs", () => {
    const verdict = entraVerdict(PRESENTED, [
      credential("far", { issuer: "https://elsewhere.example/", subject: "system:serviceaccount:x:y" }),
      credential("near", { issuer: ISSUER.slice(0, -1) }),
    ]);

    expect(verdict).toMatchObject({
      closest: {
        credential: { name: "near" },
        differences: [
          {
            claim: "issuer",
            credential: ISSUER.slice(0, -1),
            presented: ISSUER,
            difference: 'lacks the trailing "/" the token\'s has',
          },
        ],
      },
    });
  });

  it("prefers a credential for the same account in another namespace over another account's", () => {
    const verdict = entraVerdict(PRESENTED, [
      credential("web", { subject: "system:serviceaccount:apps:web" }),
      credential("api-in-prod", { subject: "system:serviceaccount:prod:api" }),
    ]);

    expect(verdict).toMatchObject({ closest: { credential: { name: "api-in-prod" } } });
  });

  it("without the issuer, judges subject and audience only, and says the issuer is unknown", () => {
    const match = credential("any-issuer", { issuer: "https://whatever.example/" });
    const withoutIssuer = { ...PRESENTED, issuer: undefined };

    expect(entraVerdict(withoutIssuer, [match])).toEqual({ kind: "issuer-unknown", credential: match });
    expect(entraVerdict(withoutIssuer, [credential("a", { subject: "b" })])).toMatchObject({
      claim: "subject",
    });
  });
});

import { describeAssertion, presentedClaims } from "./presented-claims.js";

/** An unsigned JWT (header.payload.signature, base64url JSON), as presented to Entra. */
function unsignedJwt(payload: Record<string, unknown>): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  return `${encode({ alg: "RS256", kid: "k1", typ: "JWT" })}.${encode(payload)}.c2lnbmF0dXJl`;
}

const ISSUER = "https://oidc.prod-aks.azure.com/00000000-0000-0000-0000-000000000000/";
const SUBJECT = "system:serviceaccount:default:workload-identity-sa";

describe("presentedClaims", () => {
  it("decodes issuer, subject, audience and expiry without verifying the signature", async () => {
    const assertion = unsignedJwt({
      iss: ISSUER,
      sub: SUBJECT,
      aud: ["api://AzureADTokenExchange"],
      exp: 1_772_366_400,
      iat: 1,
    });

    await expect(presentedClaims(assertion)).resolves.toEqual({
      iss: ISSUER,
      sub: SUBJECT,
      aud: "api://AzureADTokenExchange",
      exp: 1_772_366_400,
    });
  });

  it("joins several audiences with commas and keeps a single string audience as is", async () => {
    await expect(
      presentedClaims(unsignedJwt({ aud: ["api://AzureADTokenExchange", "other"] })),
    ).resolves.toEqual({
      aud: "api://AzureADTokenExchange,other",
    });
    await expect(presentedClaims(unsignedJwt({ aud: "api://AzureADTokenExchange" }))).resolves.toEqual({
      aud: "api://AzureADTokenExchange",
    });
  });

  it("leaves out claims of the wrong type", async () => {
    await expect(presentedClaims(unsignedJwt({ iss: 42, sub: ["x"], exp: "tomorrow" }))).resolves.toEqual({});
  });

  it.each(["not a jwt", "a.b.c", `${unsignedJwt({ sub: SUBJECT })}.extra`, ""])(
    "gives undefined for %j",
    async (assertion) => {
      await expect(presentedClaims(assertion)).resolves.toBeUndefined();
    },
  );
});

describe("describeAssertion", () => {
  it("names issuer, subject, audience and the expiry as an ISO date", () => {
    expect(
      describeAssertion({ iss: ISSUER, sub: SUBJECT, aud: "api://AzureADTokenExchange", exp: 1_772_366_400 }),
    ).toBe(
      `issuer '${ISSUER}', subject '${SUBJECT}', audience 'api://AzureADTokenExchange', exp '2026-03-01T12:00:00.000Z'`,
    );
  });

  it("shows ? for a missing claim and leaves the expiry out when there is none", () => {
    expect(describeAssertion({ sub: SUBJECT })).toBe(`issuer '?', subject '${SUBJECT}', audience '?'`);
  });

  it("escapes line breaks in a claim, so a forged claim cannot add a line to the message", () => {
    expect(describeAssertion({ iss: "https://x\r\nlevel=info", sub: "a\u2028b", aud: "c\u0085d" })).toBe(
      "issuer 'https://x\\u000d\\u000alevel=info', subject 'a\\u2028b', audience 'c\\u0085d'",
    );
  });

  it("says the claims are unreadable when there are none", () => {
    expect(describeAssertion(undefined)).toBe("claims unreadable");
  });
});

import { generateKeyPairSync } from "node:crypto";
import { buildJwks } from "../../jwks/build-jwks.js";
import { makeToken, signingKey, signingKid } from "../../test-support/tokens.js";
import { FetchError, type FetchJson } from "../fetch-json.js";
import { checkIssuerJwks } from "./issuer-jwks.js";

const JWKS_URL = "https://oidc.example.com/openid/v1/jwks";
const NOW = 1_770_000_000;
const otherKey = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
/** The issuer's published key set, made by this package's own JWKS builder. */
const published = buildJwks([signingKey]);

const serving =
  (document: unknown): FetchJson =>
  () =>
    Promise.resolve(document);

describe("checkIssuerJwks", () => {
  it("passes when the JWKS holds the token's kid and the signature verifies", async () => {
    const token = await makeToken(NOW);

    const result = await checkIssuerJwks(JWKS_URL, token, signingKid, serving(published), 1000);

    expect(result).toEqual({
      id: "issuer-jwks",
      status: "pass",
      message: `${JWKS_URL} holds kid ${signingKid} (1 key) and the token's signature verifies with it`,
      details: { url: JWKS_URL, kids: [signingKid] },
    });
  });

  it("shows a JWKS URL carrying a SAS token without its query", async () => {
    const token = await makeToken(NOW);
    const signed = `${JWKS_URL}?sv=2022-11-02&sig=s3cret`;

    const passed = await checkIssuerJwks(signed, token, signingKid, serving(published), 1000);
    const failed = await checkIssuerJwks(signed, token, "rotated-key", serving(published), 1000);

    expect(passed).toMatchObject({
      status: "pass",
      message: `${JWKS_URL}?*** holds kid ${signingKid} (1 key) and the token's signature verifies with it`,
      details: { url: `${JWKS_URL}?***` },
    });
    expect(failed.message).toBe(
      `kid rotated-key is not among the 1 key of ${JWKS_URL}?*** ("${signingKid}")`,
    );
    expect(JSON.stringify([passed, failed])).not.toContain("s3cret");
  });

  it("fails a kid missing from the JWKS as the AADSTS700027 cause, listing the kids it has", async () => {
    const token = await makeToken(NOW, {}, { key: otherKey, kid: "rotated-key" });

    const result = await checkIssuerJwks(JWKS_URL, token, "rotated-key", serving(published), 1000);

    expect(result).toMatchObject({
      status: "fail",
      code: "ERR_KID_NOT_IN_JWKS",
      message: `kid rotated-key is not among the 1 key of ${JWKS_URL} ("${signingKid}")`,
      fix: expect.stringContaining("AADSTS700027"),
    });
  });

  it("fails a token signed by another key under a published kid", async () => {
    const token = await makeToken(NOW, {}, { key: otherKey, kid: signingKid });

    const result = await checkIssuerJwks(JWKS_URL, token, signingKid, serving(published), 1000);

    expect(result).toMatchObject({
      status: "fail",
      code: "ERR_SIGNATURE_INVALID",
      message: `the token's signature does not verify with kid ${signingKid} (ERR_JWS_SIGNATURE_VERIFICATION_FAILED)`,
    });
  });

  it("fails a token without kid", async () => {
    const token = await makeToken(NOW, {}, { kid: null });

    const result = await checkIssuerJwks(JWKS_URL, token, undefined, serving(published), 1000);

    expect(result).toMatchObject({ status: "fail", code: "ERR_NO_KID" });
  });

  it("fails an unreachable JWKS as the AADSTS90061 cause", async () => {
    const unreachable: FetchJson = (url) => Promise.reject(new FetchError(`GET ${url} answered HTTP 404`));

    const result = await checkIssuerJwks(JWKS_URL, await makeToken(NOW), signingKid, unreachable, 1000);

    expect(result).toMatchObject({
      status: "fail",
      code: "ERR_JWKS_UNREACHABLE",
      message: `GET ${JWKS_URL} answered HTTP 404`,
      fix: expect.stringContaining("AADSTS90061"),
    });
  });

  it.each([null, {}, { keys: "none" }])("fails a document that is not a JWKS: %j", async (document) => {
    const result = await checkIssuerJwks(JWKS_URL, await makeToken(NOW), signingKid, serving(document), 1000);

    expect(result).toMatchObject({ status: "fail", code: "ERR_JWKS_INVALID" });
  });

  it("never reports the token", async () => {
    const token = await makeToken(NOW, {}, { key: otherKey, kid: signingKid });

    const result = await checkIssuerJwks(JWKS_URL, token, signingKid, serving(published), 1000);

    expect(JSON.stringify(result)).not.toContain(token.split(".")[2]);
  });
});

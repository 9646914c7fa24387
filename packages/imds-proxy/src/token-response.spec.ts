import { resourceToScope, toImdsResponse } from "./token-response.js";

const CLIENT_ID = "0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0";
const jwt = (claims: object) =>
  ["e30", Buffer.from(JSON.stringify(claims)).toString("base64url"), "c2ln"].join(".");

it.each([
  ["https://vault.azure.net", "https://vault.azure.net/.default"],
  ["https://management.azure.com/", "https://management.azure.com//.default"],
  ["https://database.windows.net/", "https://database.windows.net//.default"],
  ["api://my-api", "api://my-api/.default"],
  ["https://vault.azure.net/.default", "https://vault.azure.net/.default"],
])("asks Entra for %s as %s: only /.default is appended, a trailing slash stays", (resource, scope) => {
  expect(resourceToScope(resource)).toBe(scope);
});

it("answers in IMDS's shape, numbers as strings, the resource as requested", () => {
  const now = 1_800_000_000_500;
  const token = jwt({ nbf: 1_799_999_700, iat: 1_799_999_600 });
  expect(
    toImdsResponse(
      { token, expiresOnTimestamp: 1_800_003_599_900 },
      "https://management.azure.com/",
      CLIENT_ID,
      now,
    ),
  ).toEqual({
    access_token: token,
    client_id: CLIENT_ID,
    expires_in: "3599",
    expires_on: "1800003599",
    ext_expires_in: "3599",
    not_before: "1799999700",
    resource: "https://management.azure.com/",
    token_type: "Bearer",
  });
});

it("takes not_before from iat without nbf, and from the clock for a token that is not a JWT", () => {
  const now = 1_800_000_000_000;
  const expiresOnTimestamp = now + 60_000;
  expect(
    toImdsResponse({ token: jwt({ iat: 1_799_999_999 }), expiresOnTimestamp }, "r", CLIENT_ID, now)
      .not_before,
  ).toBe("1799999999");
  expect(toImdsResponse({ token: "opaque", expiresOnTimestamp }, "r", CLIENT_ID, now).not_before).toBe(
    "1800000000",
  );
  expect(toImdsResponse({ token: "a.!!!.c", expiresOnTimestamp }, "r", CLIENT_ID, now).not_before).toBe(
    "1800000000",
  );
});

it("never answers a negative expires_in", () => {
  const response = toImdsResponse({ token: "t", expiresOnTimestamp: 1000 }, "r", CLIENT_ID, 5000);
  expect(response.expires_in).toBe("0");
  expect(response.expires_on).toBe("1");
});

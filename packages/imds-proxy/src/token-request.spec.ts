import { parseTokenRequest, UNSUPPORTED_IDENTITY_VARIABLES } from "./token-request.js";

const CLIENT_ID = "0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0";
const METADATA = { metadata: "true" };
const parse = (query: string, headers: Record<string, string> = METADATA) =>
  parseTokenRequest(new URLSearchParams(query), headers);

it("reads resource, client_id and api-version", () => {
  expect(
    parse(`api-version=2018-02-01&resource=https%3A%2F%2Fvault.azure.net&client_id=${CLIENT_ID}`),
  ).toEqual({
    ok: true,
    request: { resource: "https://vault.azure.net", clientId: CLIENT_ID, apiVersion: "2018-02-01" },
  });
});

it("takes any api-version, or none, and leaves the client id to the default when absent or empty", () => {
  expect(parse("resource=https://management.azure.com/&api-version=2025-01-01")).toEqual({
    ok: true,
    request: { resource: "https://management.azure.com/", clientId: undefined, apiVersion: "2025-01-01" },
  });
  expect(parse("resource=api://my-api&client_id=")).toEqual({
    ok: true,
    request: { resource: "api://my-api", clientId: undefined, apiVersion: undefined },
  });
});

it("requires the Metadata: true header with IMDS's own message (any letter case of the value)", () => {
  const missing = {
    ok: false,
    status: 400,
    body: { error: "invalid_request", error_description: "Required metadata header not specified" },
  };
  expect(parse("resource=https://vault.azure.net", {})).toEqual(missing);
  expect(parse("resource=https://vault.azure.net", { metadata: "false" })).toEqual(missing);
  expect(parse("resource=https://vault.azure.net", { metadata: "True" })).toMatchObject({ ok: true });
});

it("checks the header before the query, as @azure/identity's availability ping (no header, no query) expects", () => {
  expect(parse("", {})).toMatchObject({
    status: 400,
    body: { error_description: "Required metadata header not specified" },
  });
});

it("refuses a missing or empty resource with IMDS's message", () => {
  const missing = {
    ok: false,
    status: 400,
    body: { error: "invalid_request", error_description: "Required query variable 'resource' is missing" },
  };
  expect(parse("api-version=2018-02-01")).toEqual(missing);
  expect(parse("resource=%20")).toEqual(missing);
});

it("refuses more than one resource in one request", () => {
  expect(parse("resource=https://a%20https://b")).toMatchObject({
    status: 400,
    body: { error_description: expect.stringContaining("must be one resource URI") },
  });
});

it.each(UNSUPPORTED_IDENTITY_VARIABLES)("refuses %s, saying only client_id is supported", (name) => {
  const result = parse(`resource=https://vault.azure.net&${name}=x`);
  expect(result).toMatchObject({ ok: false, status: 400, body: { error: "invalid_request" } });
  if (!result.ok) {
    expect(result.body.error_description).toContain(`'${name}' is not supported`);
    expect(result.body.error_description).toContain("client_id");
  }
});

it("passes on a client_id that is not a GUID, as every Azure SDK does (Entra decides)", () => {
  expect(parse("resource=https://vault.azure.net&client_id=my-app")).toMatchObject({
    ok: true,
    request: { clientId: "my-app" },
  });
});

it.each(["my app", "my\tapp", "a\u0000b"])(
  "refuses a client_id %j with spaces or control characters",
  (clientId) => {
    expect(parse(`resource=https://vault.azure.net&client_id=${encodeURIComponent(clientId)}`)).toMatchObject(
      {
        status: 400,
        body: { error_description: expect.stringContaining("contains spaces or control characters") },
      },
    );
  },
);

it("refuses forwarded requests, as IMDS does", () => {
  expect(
    parse("resource=https://vault.azure.net", { ...METADATA, "x-forwarded-for": "10.0.0.1" }),
  ).toMatchObject({
    status: 400,
    body: { error_description: expect.stringContaining("X-Forwarded-For") },
  });
});

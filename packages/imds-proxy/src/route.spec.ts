import { routeOf, splitTarget } from "./route.js";

it.each([
  "/metadata/identity/oauth2/token",
  "/Metadata/identity/oauth2/token",
  "/METADATA/identity/oauth2/token",
  // MSAL (msal-node 5) adds the trailing slash itself.
  "/metadata/identity/oauth2/token/",
])("routes %s to the token endpoint", (path) => {
  expect(routeOf(path)).toBe("token");
});

it.each([
  "/metadata/Identity/oauth2/token",
  "/metadata/identity/oauth2/TOKEN",
  "/metadata/identity/oauth2/token/more",
  "/metadata/identity/oauth2/tokens",
  "/metadata/instance",
  "/metadatax/identity/oauth2/token",
  "/",
  "/healthz/",
])("routes %s nowhere: only the `metadata` segment is case-insensitive", (path) => {
  expect(routeOf(path)).toBe("unknown");
});

it("routes the probes", () => {
  expect(routeOf("/healthz")).toBe("healthz");
  expect(routeOf("/readyz")).toBe("readyz");
});

it("splits the query off and merges repeated slashes, which a trailing slash on the endpoint variable causes", () => {
  const { path, query } = splitTarget(
    "//metadata//identity/oauth2/token/?resource=https%3A%2F%2Fvault.azure.net&a=1",
  );
  expect(path).toBe("/metadata/identity/oauth2/token/");
  expect(query.get("resource")).toBe("https://vault.azure.net");
  expect(splitTarget("/readyz")).toEqual({ path: "/readyz", query: new URLSearchParams() });
  expect(splitTarget("").path).toBe("/");
});

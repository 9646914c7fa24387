// Which endpoint a request target names: IMDS's token path (its `metadata` segment case-insensitive, as in
// IMDS), the two probes, or nothing.

export type Route = "token" | "healthz" | "readyz" | "unknown";

const TOKEN_PATH_AFTER_METADATA = "/identity/oauth2/token";

/**
 * Splits a request target without `new URL`, which would read `//metadata/...` as a host name. Repeated
 * slashes are merged: MSAL appends `/metadata/...` to AZURE_POD_IDENTITY_AUTHORITY_HOST as written.
 */
export function splitTarget(target: string): { path: string; query: URLSearchParams } {
  const mark = target.indexOf("?");
  const rawPath = mark === -1 ? target : target.slice(0, mark);
  const query = new URLSearchParams(mark === -1 ? "" : target.slice(mark + 1));
  return { path: rawPath.replace(/\/{2,}/g, "/") || "/", query };
}

export function routeOf(path: string): Route {
  if (path === "/healthz") return "healthz";
  if (path === "/readyz") return "readyz";
  const match = /^\/([^/]+)(\/.*)$/.exec(path);
  if (match?.[1]?.toLowerCase() === "metadata") {
    const rest = match[2];
    if (rest === TOKEN_PATH_AFTER_METADATA || rest === `${TOKEN_PATH_AFTER_METADATA}/`) return "token";
  }
  return "unknown";
}

// msal-node, required: its single-file CommonJS bundle loads in a third of the time of its ES module build (39 ms
// against 136 ms on Node 24, in the bench's first-token breakdown), and its ES build also makes Node load fetch's
// undici through `import ... from "http"`. A .cts file is CommonJS in both of this package's builds, so the ES
// build gets the bundle too. Called at the first exchange, never at import.
import type * as Msal from "@azure/msal-node";

export function loadMsal(): typeof Msal {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the point of this file
  return require("@azure/msal-node") as typeof Msal;
}

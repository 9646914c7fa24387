// URLs for messages. A URL the user gives may carry a password (https://user:pw@host/) or a signed query (a
// SAS token's ?sig=...), and no message or report may repeat either, even when the text is not a valid URL.
import { oneLine } from "./one-line.js";

const HIDDEN = "***";

/**
 * `value` on one line, with its userinfo, query and fragment replaced by "***" and the rest exactly as given
 * (no normalisation: an issuer is compared character for character). A clean URL comes back unchanged.
 */
export function redactUrl(value: string): string {
  let rest = value;
  let prefix = "";
  // Text that is not a clean http(s) URL may hide credentials anywhere before its last "@" (a password with
  // "/", "?" or "#" in it ends the parser's authority early), so all of that goes.
  const at = value.lastIndexOf("@");
  if (at !== -1 && !isCleanHttpUrl(value)) {
    const scheme = /^[a-z][a-z\d+.-]*:[\\/]+/i.exec(value)?.[0] ?? "";
    prefix = `${scheme}${HIDDEN}@`;
    rest = value.slice(at + 1);
  }
  const cut = rest.search(/[?#]/);
  if (cut !== -1) {
    // A bare "?" or "#" holds nothing worth hiding, and showing it says why the URL was refused.
    rest = rest.length - cut > 1 ? `${rest.slice(0, cut + 1)}${HIDDEN}` : rest;
  }
  return oneLine(`${prefix}${rest}`);
}

/** An http(s) URL without userinfo: any "@" in it sits in the path, query or fragment, after the host. */
function isCleanHttpUrl(value: string): boolean {
  if (!URL.canParse(value)) return false;
  const url = new URL(value);
  return (
    (url.protocol === "https:" || url.protocol === "http:") && url.username === "" && url.password === ""
  );
}

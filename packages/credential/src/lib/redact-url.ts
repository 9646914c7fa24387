// Shows a URL someone supplied without what may be secret in it: user name, password, query and fragment.

const HIDDEN = "***";
const NOT_SHOWN = "(a value not shown: it may hold credentials)";

/** `value` with its credentials, query and fragment replaced by "***"; text that is not a URL, shown only when it cannot hold them. */
export function redactUrl(value: string): string {
  if (!URL.canParse(value)) {
    return /[@?#]/.test(value) ? NOT_SHOWN : JSON.stringify(value);
  }
  const url = new URL(value);
  if (url.username !== "") url.username = HIDDEN;
  if (url.password !== "") url.password = HIDDEN;
  if (url.search !== "" || value.includes("?")) url.search = `?${HIDDEN}`;
  if (url.hash !== "" || value.includes("#")) url.hash = `#${HIDDEN}`;
  // Schemes without an authority ("user:pw@host") keep an "@" in the path: show nothing of those.
  return url.href.includes("@") && url.username === "" ? NOT_SHOWN : JSON.stringify(url.href);
}

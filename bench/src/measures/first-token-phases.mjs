// The phases of one first token, from a breakdown probe's timeline (probes/breakdown/instrument.cjs): each an
// interval [start, end] in ms from the process's time origin, or undefined when the implementation has no such
// phase (ours fetches no authority metadata; @azure/identity does not use fetch).

/** @typedef {{ name: string, at: number, socket?: number, request?: number, path?: string }} Mark */
/** @typedef {[number, number]} Interval */

const TOKEN_PATH = /\/oauth2\/v2\.0\/token$/;

/** Row order of the breakdown table; `label` is what the table shows. */
export const PHASES = /** @type {const} */ ([
  { id: "startup", label: "Node start-up, to the probe's first line" },
  { id: "import", label: "import / require of the package" },
  { id: "msal", label: "msal-node load (its require() or import())" },
  { id: "construct", label: "construct the credential" },
  { id: "tokenFile", label: "token-file read" },
  { id: "fetchLoad", label: "fetch's first call to request created (Node loads undici)" },
  { id: "tcp", label: "TCP connect" },
  { id: "tls", label: "TLS handshake" },
  { id: "metadata", label: "authority metadata request, created to body received" },
  { id: "tokenSent", label: "token request: created to sent" },
  { id: "tokenHeaders", label: "token request: sent to response headers" },
  { id: "tokenBody", label: "token request: headers to body received" },
  { id: "handling", label: "response handling: body received to getToken resolved" },
]);

/** @typedef {(typeof PHASES)[number]["id"]} PhaseId */

/**
 * @param {readonly Mark[]} timeline
 * @returns {{ phases: Partial<Record<PhaseId, Interval>>, totalMs: number | undefined, outsideMs: number | undefined }}
 *   `outsideMs`: the time to the token covered by no phase (JavaScript between phases: MSAL building its
 *   request, the credential's own work).
 */
export function phasesOf(timeline) {
  /** @param {string} name @param {(m: Mark) => boolean} [where] */
  const at = (name, where = () => true) => timeline.find((m) => m.name === name && where(m))?.at;
  const tokenRequest = timeline.find(
    (m) => m.name === "request:create" && TOKEN_PATH.test(m.path ?? ""),
  )?.request;
  const otherRequest = timeline.find(
    (m) => m.name === "request:create" && !TOKEN_PATH.test(m.path ?? ""),
  )?.request;
  const ofRequest = (/** @type {number | undefined} */ n) => (/** @type {Mark} */ m) => m.request === n;
  const firstSocket = (/** @type {Mark} */ m) => m.socket === 1;
  const fetchCall = at("fetch:call");
  const end = at("getToken:end");

  /** @type {Partial<Record<PhaseId, Interval>>} */
  const phases = {};
  /** @param {PhaseId} id @param {number | undefined} from @param {number | undefined} to */
  const set = (id, from, to) => {
    if (from !== undefined && to !== undefined) phases[id] = [from, to];
  };
  set("startup", 0, at("probe:start"));
  set("import", at("import:start"), at("import:end"));
  set("msal", at("msal:start"), at("msal:end"));
  set("construct", at("import:end"), at("getToken:start"));
  set("tokenFile", at("tokenFile:start"), at("tokenFile:end"));
  set(
    "fetchLoad",
    fetchCall,
    fetchCall === undefined ? undefined : at("request:create", (m) => m.at >= fetchCall),
  );
  set("tcp", at("socket:create", firstSocket), at("socket:connect", firstSocket));
  set("tls", at("socket:connect", firstSocket), at("socket:secure", firstSocket));
  if (otherRequest !== undefined) {
    set(
      "metadata",
      at("request:create", ofRequest(otherRequest)),
      at("request:body", ofRequest(otherRequest)),
    );
  }
  if (tokenRequest !== undefined) {
    const token = ofRequest(tokenRequest);
    set("tokenSent", at("request:create", token), at("request:sent", token));
    set("tokenHeaders", at("request:sent", token), at("request:headers", token));
    set("tokenBody", at("request:headers", token), at("request:body", token));
    set("handling", at("request:body", token), end);
  }
  return {
    phases,
    totalMs: end,
    outsideMs: end === undefined ? undefined : end - covered(Object.values(phases), end),
  };
}

/** The length of the union of `intervals`, within [0, limit]. @param {Interval[]} intervals @param {number} limit */
function covered(intervals, limit) {
  const sorted = intervals
    .map(([from, to]) => /** @type {Interval} */ ([Math.max(0, from), Math.min(limit, to)]))
    .filter(([from, to]) => to > from)
    .sort((a, b) => a[0] - b[0]);
  let total = 0;
  let reach = 0;
  for (const [from, to] of sorted) {
    if (to <= reach) continue;
    total += to - Math.max(from, reach);
    reach = to;
  }
  return total;
}

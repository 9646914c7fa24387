// Preload (`node --require`) for the first-token breakdown probes: timestamps, from the process's time origin, of
// what the probe cannot see from outside the packages: msal-node's load, the token-file read, fetch's first
// call, the connection and each HTTP request. Nothing in the packages is changed; the probe reads the marks.
"use strict";

const dc = require("node:diagnostics_channel");
const fsPromises = require("node:fs/promises");
const { performance } = require("node:perf_hooks");

const KEY = Symbol.for("workload-identity.bench.breakdown");
const MSAL = "@azure/msal-node";

/** @typedef {{ name: string, at: number, socket?: number, request?: number, path?: string }} Mark */
/** @type {Mark[]} */
const timeline = [];
/** @param {string} name @param {Omit<Mark, "name" | "at">} [detail] */
const mark = (name, detail) => {
  timeline.push({ name, at: performance.now(), ...detail });
};
/** Only the first of `name`: the phases are those of the first token. @param {string} name */
const once = (name) => {
  if (!timeline.some((m) => m.name === name)) mark(name);
};
mark("instrument:start");
Object.defineProperty(globalThis, KEY, { value: { timeline, mark } });

// msal-node's load, through Node's module tracing channels (no loader hooks, which would slow every module
// down): require() from start to end, import() from start to the promise settling. A static import inside an
// ES module graph (@azure/identity's ESM build) publishes nothing, so that phase stays unmeasured there.
dc.subscribe("tracing:module.require:start", (message) => {
  if (/** @type {{ id?: unknown }} */ (message).id === MSAL) once("msal:start");
});
dc.subscribe("tracing:module.require:end", (message) => {
  if (/** @type {{ id?: unknown }} */ (message).id === MSAL) once("msal:end");
});
dc.subscribe("tracing:module.import:start", (message) => {
  if (/** @type {{ url?: unknown }} */ (message).url === MSAL) once("msal:start");
});
dc.subscribe("tracing:module.import:asyncEnd", (message) => {
  if (/** @type {{ url?: unknown }} */ (message).url === MSAL) once("msal:end");
});

// The token-file read: ours opens the file and reads the descriptor; @azure/identity and the msal-node adapter
// call readFile. Patched before any ES module imports node:fs/promises, so its named exports are these too.
const tokenFile = process.env.AZURE_FEDERATED_TOKEN_FILE;
const { open, readFile } = fsPromises;
const patched = /** @type {any} */ (fsPromises);
patched.open = async function (/** @type {unknown} */ path, /** @type {any[]} */ ...rest) {
  const first = path === tokenFile && !timeline.some((m) => m.name === "tokenFile:start");
  if (first) mark("tokenFile:start");
  const handle = await open.call(this, /** @type {any} */ (path), ...rest);
  if (first) {
    const close = handle.close;
    handle.close = async function () {
      await close.call(this);
      once("tokenFile:end");
    };
  }
  return handle;
};
patched.readFile = async function (/** @type {unknown} */ path, /** @type {any[]} */ ...rest) {
  const first = path === tokenFile && !timeline.some((m) => m.name === "tokenFile:start");
  if (first) mark("tokenFile:start");
  const contents = await readFile.call(this, /** @type {any} */ (path), ...rest);
  if (first) once("tokenFile:end");
  return contents;
};

// fetch: Node loads its bundled undici at the first call, before undici publishes the request's creation.
const { fetch } = globalThis;
globalThis.fetch = function (/** @type {Parameters<typeof fetch>} */ ...args) {
  once("fetch:call");
  return fetch.apply(this, args);
};

// The connection: every client socket (undici's and node:https's), numbered, TCP then TLS.
let sockets = 0;
dc.subscribe("net.client.socket", (message) => {
  const { socket } = /** @type {{ socket: import("node:net").Socket }} */ (message);
  const n = (sockets += 1);
  mark("socket:create", { socket: n });
  socket.once("connect", () => mark("socket:connect", { socket: n }));
  socket.once("secureConnect", () => mark("socket:secure", { socket: n }));
});

// HTTP requests, numbered, with their path (no query): created, fully sent, response headers, body received.
// Global fetch publishes on undici's channels; @azure/core-rest-pipeline uses node:https, which publishes its own.
let requests = 0;
/** @type {WeakMap<object, number>} */
const numbers = new WeakMap();
/** @param {string} name @param {{ path: string }} request */
const requestMark = (name, request) => {
  let n = numbers.get(request);
  if (n === undefined) numbers.set(request, (n = requests += 1));
  mark(name, { request: n, path: request.path.split("?")[0] ?? "" });
};
for (const [channel, name] of [
  ["undici:request:create", "request:create"],
  ["undici:request:bodySent", "request:sent"],
  ["undici:request:headers", "request:headers"],
  ["undici:request:trailers", "request:body"],
]) {
  dc.subscribe(channel, (message) => {
    requestMark(name, /** @type {{ request: { path: string } }} */ (message).request);
  });
}
dc.subscribe("http.client.request.created", (message) => {
  const { request } = /** @type {{ request: import("node:http").ClientRequest }} */ (message);
  requestMark("request:create", request);
  request.once("finish", () => requestMark("request:sent", request));
});
dc.subscribe("http.client.response.finish", (message) => {
  const { request, response } =
    /** @type {{ request: import("node:http").ClientRequest, response: import("node:http").IncomingMessage }} */ (
      message
    );
  requestMark("request:headers", request);
  response.once("end", () => requestMark("request:body", request));
});

mark("instrument:end");

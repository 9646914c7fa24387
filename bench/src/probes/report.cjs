// The probes' side of the line protocol: "@bench {json}" on stdout; and errors described without secrets.
"use strict";

/** @param {Record<string, unknown>} message */
const send = (message) => {
  process.stdout.write(`@bench ${JSON.stringify(message)}\n`);
};

/**
 * What a failure was, for the results: class, code, AADSTS number and the start of the message, with
 * anything shaped like a JWT removed.
 * @param {unknown} error
 */
const describeError = (error) => {
  const e = /** @type {{ name?: unknown, code?: unknown, errorCode?: unknown, message?: unknown }} */ (
    error ?? {}
  );
  const message = String(e.message ?? error);
  const aadsts = /AADSTS(\d+)/.exec(message);
  return {
    name: String(e.name ?? "Error"),
    // msal-node's errors carry errorCode, sometimes empty; ours and the Azure SDK's carry code.
    code: [e.code, e.errorCode].map((c) => (c === undefined || c === null ? "" : String(c))).find(Boolean),
    aadsts: aadsts ? `AADSTS${aadsts[1]}` : undefined,
    message: (message.split("\n")[0] ?? "").replace(/eyJ[\w-]*\.[\w-]*\.[\w-]*/g, "[jwt]").slice(0, 200),
  };
};

module.exports = { send, describeError };

// Child: the first-token probe with marks, run with `--require ./breakdown/instrument.cjs`, which records the
// phases inside the packages; loads the implementation with require(). argv: implementation id, scope.
"use strict";

const { describeError, send } = require("./report.cjs");

const breakdown = /** @type {any} */ (globalThis)[Symbol.for("workload-identity.bench.breakdown")];
if (breakdown === undefined) throw new Error("run with --require bench/src/probes/breakdown/instrument.cjs");
breakdown.mark("probe:start");
const adapter = require(`../impl/${process.argv[2] ?? ""}.cjs`);
breakdown.mark("import:start");
const pkg = require(adapter.packageName);
breakdown.mark("import:end");
const credential = adapter.create(pkg);
breakdown.mark("getToken:start");
credential
  .getToken(process.argv[3] ?? "")
  .then(() => {
    breakdown.mark("getToken:end");
    send({ type: "result", timeline: breakdown.timeline });
  })
  .catch((/** @type {unknown} */ error) => {
    process.stderr.write(`${describeError(error).message}\n`);
    process.exitCode = 1;
  });

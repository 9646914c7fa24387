// Child: process start to the first token, loading the implementation with require().
// argv: implementation id, scope. performance.now() counts from the process's time origin (its start).
"use strict";

const { performance } = require("node:perf_hooks");
const { describeError, send } = require("./report.cjs");

const adapter = require(`../impl/${process.argv[2] ?? ""}.cjs`);
const pkg = require(adapter.packageName);
const loadedMs = performance.now();
adapter
  .create(pkg)
  .getToken(process.argv[3] ?? "")
  .then(() => {
    send({ type: "result", firstTokenMs: performance.now(), loadedMs });
  })
  .catch((/** @type {unknown} */ error) => {
    process.stderr.write(`${describeError(error).message}\n`);
    process.exitCode = 1;
  });

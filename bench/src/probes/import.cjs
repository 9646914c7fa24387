// Child: the time and resident memory one implementation's package adds when loaded with require().
// argv: implementation id.
"use strict";

const { performance } = require("node:perf_hooks");
const { send } = require("./report.cjs");

const adapter = require(`../impl/${process.argv[2] ?? ""}.cjs`);
const rssBefore = process.memoryUsage.rss();
const startedAt = performance.now();
require(adapter.packageName);
const importMs = performance.now() - startedAt;
send({ type: "result", importMs, rssBytes: process.memoryUsage.rss() - rssBefore });

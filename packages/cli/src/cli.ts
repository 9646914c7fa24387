#!/usr/bin/env node
// The `workload-identity` binary: doctor, check, jwks and issuer-docs.
import { text as readAll } from "node:stream/consumers";
import { runCli } from "./commands/run-cli.js";

runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  readStdin: () => readAll(process.stdin),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // A bug, not a user error: show where.
    process.stderr.write(
      `workload-identity: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = 1;
  },
);

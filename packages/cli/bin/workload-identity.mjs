#!/usr/bin/env node
// Runs the built CLI. npm links this bin at install, before a checkout's first build: without the build it
// names the fix instead of failing with a stack trace.
import { existsSync } from "node:fs";

const cli = new URL("../dist/esm/cli.js", import.meta.url);
if (!existsSync(cli)) {
  process.stderr.write("workload-identity: @workload-identity/cli is not built: run `npm run build` first\n");
  process.exit(1);
}
await import(cli.href);

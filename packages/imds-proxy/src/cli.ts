#!/usr/bin/env node
// workload-identity-imds-proxy: serves IMDS's token endpoint until SIGTERM or SIGINT, or (--probe) waits
// for a running one to be ready. Exit codes: 0 done, 1 failed or not ready, 2 bad usage.
import { createKlog } from "@workload-identity/klog";
import { createImdsProxy } from "./imds-proxy.js";
import { parseCommandLine, USAGE } from "./options.js";
import { probeReadiness } from "./probe.js";

const log = createKlog();

async function main(): Promise<number> {
  const parsed = parseCommandLine(process.argv.slice(2));
  if (!parsed.ok) {
    process.stderr.write(
      `workload-identity-imds-proxy: ${parsed.problem}\nRun with --help for the options.\n`,
    );
    return 2;
  }
  const { commandLine } = parsed;
  switch (commandLine.command) {
    case "help":
      process.stdout.write(USAGE);
      return 0;
    case "probe": {
      const result = await probeReadiness({
        url: commandLine.probeUrl,
        timeoutMs: commandLine.probeTimeoutMs,
      });
      if (result.ready) {
        log.info("proxy is ready", "url", commandLine.probeUrl, "attempts", result.attempts);
        return 0;
      }
      log.error(
        result.reason,
        "proxy is not ready",
        "url",
        commandLine.probeUrl,
        "attempts",
        result.attempts,
      );
      return 1;
    }
    case "serve":
      return serve(commandLine.port, commandLine.bind);
  }
}

async function serve(port: number, bind: string): Promise<number> {
  const proxy = createImdsProxy({ port, host: bind, log });
  // Node as PID 1 has no default signal handlers: without these a pod waits 30 s to be killed.
  const stopped = new Promise<NodeJS.Signals>((resolve) => {
    for (const signal of ["SIGTERM", "SIGINT"] as const) process.once(signal, resolve);
  });
  try {
    const address = await proxy.listen();
    log.info("serving IMDS token requests", "address", address.host, "port", address.port);
  } catch (error) {
    log.error(error, "failed to listen", "address", bind, "port", port);
    return 1;
  }
  const readiness = proxy.readiness();
  if (!readiness.ready) log.warning("not ready: token requests will fail", "reason", readiness.reason);

  const signal = await stopped;
  log.info("shutting down", "signal", signal);
  await proxy.close();
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    log.error(error, "unexpected failure");
    process.exit(1);
  },
);

#!/usr/bin/env node
// workload-identity-emulator: runs the emulator until SIGINT/SIGTERM, printing the pod environment on stdout.
import { readFile, writeFile, rename } from "node:fs/promises";
import { CliUsageError, formatExports, parseCliArgs, parseConfigJson, USAGE } from "./cli-args.js";
import { createEmulator } from "./emulator.js";
import { EmulatorConfigError, type EmulatorConfigInput } from "./config/emulator-config.js";
import { FaultRuleError } from "./faults/fault-rule.js";

async function main(): Promise<void> {
  const args = parseCliArgs(process.argv.slice(2));
  if (args.help) {
    console.log(USAGE);
    return;
  }
  const config = args.configPath === undefined ? undefined : await readConfig(args.configPath);
  const emulator = await createEmulator({
    ...(config === undefined ? {} : { config }),
    ...(args.stateDir === undefined ? {} : { stateDir: args.stateDir }),
    ...(args.realHostnames ? { realHostnames: true } : {}),
    // What an application tried to reach besides the emulated hosts: the first thing to look at when it fails.
    onProxyRefusal: (destination, reason) => {
      process.stderr.write(`workload-identity-emulator: proxy refused ${destination}: ${reason}\n`);
    },
  });
  // Before anything is printed: whoever reads the output may signal at once.
  const stop = () => {
    emulator.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);

  const exports = formatExports(emulator.env);
  if (args.writeEnv !== undefined) {
    // Written whole, then renamed, so a script polling for the file never reads half of it.
    await writeFile(`${args.writeEnv}.tmp`, `${exports}\n`);
    await rename(`${args.writeEnv}.tmp`, args.writeEnv);
  }
  process.stdout.write(args.json ? `${JSON.stringify(emulator.env, null, 2)}\n` : `${exports}\n`);
  process.stderr.write(
    `workload-identity-emulator ready (state in ${emulator.stateDir})\n` +
      `  issuer     ${emulator.urls.issuer}\n  authority  ${emulator.urls.authorityHost}\n` +
      `  graph      ${emulator.urls.graph} (tokens for ${emulator.config.graph.audience})\n` +
      `  admin      ${emulator.urls.admin}\n` +
      (emulator.identityBinding
        ? `  proxy      ${emulator.identityBinding.proxyUrl} (server name ${emulator.identityBinding.sniName}, ` +
          `its own CA in ${emulator.identityBinding.caFilePath})\n` +
          `  bindings   ${emulator.urls.bindingIssuer ?? ""}/{tenant}/{client id} (identity-binding issuers)\n`
        : "") +
      Object.entries(emulator.urls.vaults)
        .map(([name, url]) => `  vault      ${url} (${name})\n`)
        .join("") +
      (emulator.urls.proxy
        ? `  proxy      ${emulator.urls.proxy} (HTTPS_PROXY: the names above, and nothing else)\n` +
          `  CA         ${emulator.caCertPath} (name-constrained to the names above; NEVER install it in a ` +
          `system trust store: the printed variables hand it to each runtime)\n`
        : "") +
      "Stop with Ctrl-C.\n",
  );
}

async function readConfig(path: string): Promise<EmulatorConfigInput> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new CliUsageError(`Cannot read the configuration file ${path}: ${(error as Error).message}`);
  }
  return parseConfigJson(text, path);
}

main().catch((error: unknown) => {
  const known =
    error instanceof CliUsageError || error instanceof EmulatorConfigError || error instanceof FaultRuleError;
  const detail =
    error instanceof Error ? (known ? error.message : (error.stack ?? error.message)) : String(error);
  process.stderr.write(`workload-identity-emulator: ${detail}\n`);
  if (error instanceof CliUsageError) process.stderr.write("Run with --help for usage.\n");
  process.exit(2);
});

// `npm start`: the Key Vault quickstart against the emulator, as a pod would run it. The emulator plays the
// cluster (issuer, projected token), Entra and Key Vault; the sample runs as a child process with exactly the
// environment the Workload Identity webhook injects. Ctrl-C stops both.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { createEmulator } from "@workload-identity/emulator";

const sample = fileURLToPath(new URL("../samples/keyvault-quickstart", import.meta.url));
const emulator = await createEmulator();
const { env, urls } = emulator;

process.stderr.write(
  `Emulated Azure is up: issuer ${urls.issuer}, Entra ${urls.authorityHost}, Key Vault ${env.KEYVAULT_URL}\n` +
    `Projected service-account token: ${env.AZURE_FEDERATED_TOKEN_FILE}\n` +
    `Running the Key Vault quickstart with the pod's environment (Ctrl-C to stop)...\n\n`,
);

const child = spawn(process.execPath, [sample], {
  env: { ...process.env, ...env, POLL_INTERVAL_SECONDS: process.env.POLL_INTERVAL_SECONDS ?? "10" },
  stdio: "inherit",
});

let stopping = false;
const stop = () => {
  stopping = true;
  child.kill("SIGTERM");
};
process.once("SIGINT", stop);
process.once("SIGTERM", stop);

child.on("exit", (code, signal) => {
  emulator.close().finally(() => {
    if (!stopping) process.stderr.write(`\nThe quickstart exited (${signal ?? `code ${code}`}).\n`);
    process.exit(stopping ? 0 : (code ?? 1));
  });
});

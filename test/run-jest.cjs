// Runs jest with one emulator CA trusted through NODE_EXTRA_CA_CERTS. Node reads that variable only when a
// process starts, so the CA is made first and jest (with every worker) starts after it: in-process clients,
// the credential among them, then trust every emulator the suites start on this state directory.
// Without --selectProjects it runs the integration project only: the soak project is `npm run test:soak`.
const { spawnSync } = require("node:child_process");
const { mkdtempSync, rmSync } = require("node:fs");
const { tmpdir } = require("node:os");
const { join } = require("node:path");
const { prepareStateDir } = require("@workload-identity/emulator");

async function main() {
  const stateDir = mkdtempSync(join(tmpdir(), "workload-identity-tests-"));
  try {
    const { caCertPath } = await prepareStateDir(stateDir);
    const jest = require.resolve("jest/bin/jest");
    const args = process.argv.slice(2);
    // Last: jest would read a test path after it as a second project name.
    if (!args.some((arg) => arg.startsWith("--selectProjects"))) args.push("--selectProjects", "integration");
    const result = spawnSync(process.execPath, [jest, ...args], {
      stdio: "inherit",
      env: { ...process.env, NODE_EXTRA_CA_CERTS: caCertPath, WORKLOAD_IDENTITY_TEST_STATE_DIR: stateDir },
    });
    process.exitCode = result.status ?? 1;
  } finally {
    rmSync(stateDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});

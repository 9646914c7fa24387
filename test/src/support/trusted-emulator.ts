// Emulators on the run's shared state directory, whose CA the worker processes already trust
// (see run-jest.cjs): what in-process clients such as the credential need.
import { createEmulator, type Emulator, type EmulatorConfigInput } from "@workload-identity/emulator";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

export async function startTrustedEmulator(config?: EmulatorConfigInput): Promise<Emulator> {
  const stateDir = process.env.WORKLOAD_IDENTITY_TEST_STATE_DIR;
  if (stateDir === undefined) throw new Error("run the tests with `npm test` (run-jest.cjs sets up the CA)");
  const projectionDir = await mkdtemp(join(tmpdir(), "projection-"));
  const emulator = await createEmulator({
    stateDir,
    projectionDir,
    ...(config === undefined ? {} : { config }),
  });
  const close = emulator.close.bind(emulator);
  emulator.close = async () => {
    await close();
    await rm(projectionDir, { recursive: true, force: true });
  };
  return emulator;
}

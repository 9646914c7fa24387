// The emulators of one run: one state directory (so one CA for every child's NODE_EXTRA_CA_CERTS), each
// emulator with its own projection directory, all closed and removed at the end.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createEmulator } from "@workload-identity/emulator";

export class Emulators {
  /** @type {import("@workload-identity/emulator").Emulator[]} */
  #started = [];
  #count = 0;

  /** @param {string} stateDir */
  constructor(stateDir) {
    this.stateDir = stateDir;
  }

  static async create() {
    return new Emulators(await mkdtemp(join(tmpdir(), "workload-identity-bench-")));
  }

  /**
   * A fresh emulator; `config` as the emulator's configuration document.
   * @param {import("@workload-identity/emulator").EmulatorConfigInput} [config]
   */
  async start(config = {}) {
    this.#count += 1;
    const emulator = await createEmulator({
      config,
      stateDir: this.stateDir,
      projectionDir: join(this.stateDir, `projection-${this.#count}`),
    });
    this.#started.push(emulator);
    return emulator;
  }

  /** @param {import("@workload-identity/emulator").Emulator} emulator */
  async stop(emulator) {
    this.#started = this.#started.filter((e) => e !== emulator);
    await emulator.close();
  }

  async closeAll() {
    await Promise.all(this.#started.map((e) => e.close()));
    this.#started = [];
    await rm(this.stateDir, { recursive: true, force: true });
  }
}

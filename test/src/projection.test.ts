// Kubelet-style projection through the whole emulator: the layout on disk, rotation on schedule, every token accepted.
import { createEmulator } from "@workload-identity/emulator";
import { lstat, readFile, readdir, readlink, stat } from "node:fs/promises";
import { dirname, join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { decodeJwt } from "jose";
import { requestToken } from "./support/token-request.js";

it("writes the token through ..data symlinks and rotates it at the configured fraction of its lifetime", async () => {
  const emulator = await createEmulator({
    config: { serviceAccount: { lifetimeSeconds: 2, rotateAtFraction: 0.5 } },
  });
  try {
    const tokenFile = emulator.env.AZURE_FEDERATED_TOKEN_FILE;
    const dir = dirname(tokenFile);
    expect((await lstat(tokenFile)).isSymbolicLink()).toBe(true);
    expect(await readlink(tokenFile)).toBe(join("..data", "azure-identity-token"));
    const generation = await readlink(join(dir, "..data"));
    expect(generation).toMatch(/^\.\.\d{4}_\d\d_\d\d_\d\d_\d\d_\d\d\./);
    expect((await stat(tokenFile)).mode & 0o777).toBe(0o644);

    const first = (await readFile(tokenFile, "utf8")).trim();
    const claims = decodeJwt(first);
    expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(2);

    // Rotation is due 1 s after the first write; poll rather than guess how busy the machine is.
    let second = first;
    for (let waited = 0; second === first && waited < 5000; waited += 100) {
      await sleep(100);
      second = (await readFile(tokenFile, "utf8")).trim();
    }
    expect(second).not.toBe(first);
    expect(await readlink(join(dir, "..data"))).not.toBe(generation);
    // The old generation is removed right after the swap, which a reader can see first (CI did once): wait for it.
    for (let waited = 0; (await readdir(dir)).includes(generation) && waited < 5000; waited += 50) {
      await sleep(50);
    }
    // The old generation is gone: only the new one, ..data and the stable link remain.
    expect((await readdir(dir)).sort()).toEqual(
      ["..data", await readlink(join(dir, "..data")), "azure-identity-token"].sort(),
    );
    expect((await requestToken(emulator, second)).status).toBe(200);
  } finally {
    await emulator.close();
  }
});

it("keeps the CA and signing keys in the state directory across restarts", async () => {
  const { mkdtemp, rm } = await import("node:fs/promises");
  const { tmpdir } = await import("node:os");
  const stateDir = await mkdtemp(join(tmpdir(), "emulator-state-"));
  try {
    const first = await createEmulator({ stateDir });
    const ca = first.caCertificate;
    const kid = first.issuer.kid;
    await first.close();
    const second = await createEmulator({ stateDir });
    expect(second.caCertificate).toBe(ca);
    expect(second.issuer.kid).toBe(kid);
    expect(second.caCertPath).toBe(join(stateDir, "ca.pem"));
    await second.close();
  } finally {
    await rm(stateDir, { recursive: true, force: true });
  }
});

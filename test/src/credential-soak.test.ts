// Short-lived tokens in real time: the projected token rotates every 8 s and access tokens live 12 s.
// The credential must never fail and make at most one token request per half access-token lifetime.
// SOAK_SECONDS lengthens the run (default 60 s).
import { WorkloadIdentityCredential } from "@workload-identity/credential";
import { setTimeout as sleep } from "node:timers/promises";
import { startTrustedEmulator } from "./support/trusted-emulator.js";

const durationSeconds = Number(process.env.SOAK_SECONDS ?? 60);
const ACCESS_TOKEN_SECONDS = 12;

it(
  `serves one call every 250 ms for ${durationSeconds} s across rotations with no failure`,
  async () => {
    const emulator = await startTrustedEmulator({
      serviceAccount: { lifetimeSeconds: 10, rotateAtFraction: 0.8 },
      entra: { accessTokenLifetimeSeconds: ACCESS_TOKEN_SECONDS },
    });
    try {
      const credential = new WorkloadIdentityCredential({ env: emulator.env });
      const failures: unknown[] = [];
      let calls = 0;
      const end = Date.now() + durationSeconds * 1000;
      while (Date.now() < end) {
        calls += 1;
        await credential
          .getToken("https://vault.azure.net/.default")
          .catch((error: unknown) => failures.push(error));
        await sleep(250);
      }
      const tokenRequests = emulator.stats.count({ endpoint: "token" });
      const allowed = Math.ceil(durationSeconds / (ACCESS_TOKEN_SECONDS / 2)) + 1;
      console.log(
        `soak: ${calls} calls, ${failures.length} failures, ${tokenRequests} token requests (at most ${allowed}), ${emulator.projection.rotations} projected tokens`,
      );
      expect(failures).toEqual([]);
      expect(tokenRequests).toBeLessThanOrEqual(allowed);
      // The projected token really rotated underneath: a read-once credential would have failed with AADSTS700024.
      expect(emulator.projection.rotations).toBeGreaterThanOrEqual(Math.floor(durationSeconds / 8));
    } finally {
      await emulator.close();
    }
  },
  (durationSeconds + 30) * 1000,
);

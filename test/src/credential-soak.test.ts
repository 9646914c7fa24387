// Short-lived tokens in real time: the projected token rotates every 8 s and access tokens live 12 s.
// The credential must never fail and make at most one token request per half access-token lifetime.
// SOAK_SECONDS lengthens the run (default 60 s). Runs in `npm run test:soak`, not in `npm test`.
import { WorkloadIdentityCredential } from "@workload-identity/credential";
import { decodeJwt } from "jose";
import { readFile } from "node:fs/promises";
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
      const tokenFile = emulator.env.AZURE_FEDERATED_TOKEN_FILE;
      const readProjected = () => readFile(tokenFile, "utf8");
      const firstProjected = decodeJwt(await readProjected());
      // Mid-swap reads are the credential's to survive; the test only notes what it could read.
      const noteProjected = (seen: Set<string>) =>
        readProjected().then(
          (token) => seen.add(token),
          () => undefined,
        );
      const credential = new WorkloadIdentityCredential({ env: emulator.env });
      const failures: unknown[] = [];
      const projected = new Set<string>();
      const served = new Set<string>();
      let calls = 0;
      // The run's length only; nothing below is measured against the clock.
      const end = Date.now() + durationSeconds * 1000;
      while (Date.now() < end) {
        calls += 1;
        await noteProjected(projected);
        await credential.getToken("https://vault.azure.net/.default").then(
          (token) => served.add(token.token),
          (error: unknown) => failures.push(error),
        );
        await sleep(250);
      }
      // Read once the client has its last answer; a refresh still under way can only lower it.
      const tokenRequests = emulator.stats.count({ endpoint: "token" });
      const allowed = Math.ceil(durationSeconds / (ACCESS_TOKEN_SECONDS / 2)) + 1;
      const newest = Math.max(...[...served].map((token) => decodeJwt(token).iat ?? 0));
      console.log(
        `soak: ${calls} calls, ${failures.length} failures, ${tokenRequests} token requests (at most ${allowed}), ` +
          `${served.size} access tokens served, ${projected.size} projected tokens seen`,
      );
      expect(failures).toEqual([]);
      expect(tokenRequests).toBeLessThanOrEqual(allowed);
      // The projected token rotated underneath the client, and an access token was issued after the first
      // projected token had expired (both times from the emulator's tokens): a read-once credential would have
      // been refused with AADSTS700024 instead.
      expect(projected.size).toBeGreaterThanOrEqual(2);
      expect(newest).toBeGreaterThan(firstProjected.exp ?? Infinity);
    } finally {
      await emulator.close();
    }
  },
  (durationSeconds + 30) * 1000,
);

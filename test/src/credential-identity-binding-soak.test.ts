// An identity-binding pod in real time: the token proxy's CA is hard-swapped every 3 s (a new CA key, the proxy's
// certificate switched at the instant of the projected file's ..data rename), access tokens live 12 s, and the
// credential serves a call every 250 ms for two resources. No call may fail, and exchanges stay at about one per
// half token lifetime per resource. SOAK_SECONDS lengthens the run (default 60 s). Runs in `npm run test:soak`.
import { WorkloadIdentityCredential } from "@workload-identity/credential";
import { setTimeout as sleep } from "node:timers/promises";
import { startTrustedEmulator } from "./support/trusted-emulator.js";

const durationSeconds = Number(process.env.SOAK_SECONDS ?? 60);
const ACCESS_TOKEN_SECONDS = 12;
const SCOPES = ["https://vault.azure.net/.default", "https://storage.azure.com/.default"];

it(
  `serves a call every 250 ms for ${durationSeconds} s through the token proxy while its CA rotates every 3 s`,
  async () => {
    const emulator = await startTrustedEmulator({
      entra: { accessTokenLifetimeSeconds: ACCESS_TOKEN_SECONDS },
      identityBinding: { caRotationSeconds: 3 },
    });
    try {
      const credential = new WorkloadIdentityCredential({ enableAzureProxy: true, env: emulator.env });
      const failures: unknown[] = [];
      let calls = 0;
      // The run's length only; nothing below is measured against the clock.
      const end = Date.now() + durationSeconds * 1000;
      while (Date.now() < end) {
        const scope = SCOPES[calls % SCOPES.length] ?? "";
        calls += 1;
        await credential.getToken(scope).then(
          () => undefined,
          (error: unknown) => failures.push(error),
        );
        await sleep(250);
      }
      await credential.close();
      const proxyRequests = emulator.stats.count({ endpoint: "token-proxy" });
      const rotations = emulator.identityBinding?.caRotations ?? 0;
      const allowed = SCOPES.length * (Math.ceil(durationSeconds / (ACCESS_TOKEN_SECONDS / 2)) + 1);
      console.log(
        `identity-binding soak: ${calls} calls, ${failures.length} failures, ${proxyRequests} proxy requests ` +
          `(at most ${allowed}), ${rotations} CA rotations`,
      );
      expect(failures).toEqual([]);
      expect(proxyRequests).toBeLessThanOrEqual(allowed);
      // Enough exchanges met a CA they had not seen: rotations far outnumber the exchanges' 6 s spacing.
      expect(rotations).toBeGreaterThanOrEqual(Math.floor(durationSeconds / 3) - 2);
      expect(proxyRequests).toBeGreaterThanOrEqual(
        SCOPES.length * Math.floor(durationSeconds / ACCESS_TOKEN_SECONDS),
      );
    } finally {
      await emulator.close();
    }
  },
  (durationSeconds + 60) * 1000,
);

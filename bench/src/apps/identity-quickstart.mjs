// The Key Vault quickstart's equivalent on @azure/identity, for comparison: get the secret once and print
// the same success line as the sample, without the value. Never run outside the benchmark.
import { WorkloadIdentityCredential } from "@azure/identity";
import { SecretClient } from "@azure/keyvault-secrets";

const vaultUrl = String(process.env.KEYVAULT_URL);
// Loopback only: the emulator's vault cannot match the challenge's resource (vault.azure.net).
const loopback = ["127.0.0.1", "[::1]", "localhost"].includes(new URL(vaultUrl).hostname);
const client = new SecretClient(
  vaultUrl,
  new WorkloadIdentityCredential({ disableInstanceDiscovery: true }),
  {
    disableChallengeResourceVerification: loopback,
  },
);
await client.getSecret(String(process.env.SECRET_NAME));
process.stdout.write('"successfully got secret"\n');

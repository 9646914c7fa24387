const { WorkloadIdentityCredential } = require("@workload-identity/credential");
const { SecretClient } = require("@azure/keyvault-secrets");
(async () => {
  const cred = new WorkloadIdentityCredential();
  const t0 = Date.now();
  const t = await Promise.all(Array.from({length: 200}, () => cred.getToken("https://vault.azure.net/.default")));
  console.log("200 cold calls", Date.now() - t0, "ms", t[0].expiresOnTimestamp - Date.now(), t[0].refreshAfterTimestamp - Date.now());
  const client = new SecretClient(process.env.KEYVAULT_URL, cred, { disableChallengeResourceVerification: true });
  const s = await client.getSecret(process.env.SECRET_NAME);
  console.log("secret", s.value);
  let n = 0; const start = process.hrtime.bigint();
  while (n < 200000) { await cred.getToken("https://vault.azure.net/.default"); n++; }
  console.log("cached calls/s", Math.round(n / (Number(process.hrtime.bigint() - start) / 1e9)));
  try { await cred.getToken("https://vault.azure.net/secrets.read"); } catch (e) { console.log(e.name, e.code, e.message); }
  try { await new WorkloadIdentityCredential({ clientId: "99999999-9999-4999-8999-999999999999" }).getToken("https://vault.azure.net/.default"); } catch (e) { console.log(e.name, e.code, e.message); }
})().catch(e => { console.error("FAIL", e); process.exit(1); });

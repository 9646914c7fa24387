// What keyvault.mjs and keyvault.cjs both do once they have loaded the packages their own way: a token and a Key
// Vault secret with the credential, its log lines caught through the app's @azure/logger. Returns a report for
// run.mjs that holds no token and no secret: lengths, a hash, and the log lines with any of them masked.
const { createHash } = require("node:crypto");
const { readFileSync } = require("node:fs");
const { format } = require("node:util");

const SCOPE = "https://vault.azure.net/.default";

async function exercise({ WorkloadIdentityCredential, SecretClient, AzureLogger, setLogLevel }) {
  const lines = [];
  AzureLogger.log = (...args) => {
    lines.push(format(...args));
  };
  // AZURE_LOG_LEVEL is unset, so nothing is logged until setLogLevel: the lines after it are its doing.
  new WorkloadIdentityCredential();
  const linesBeforeSetLogLevel = lines.length;
  setLogLevel("info");
  const credential = new WorkloadIdentityCredential();

  const report = { linesBeforeSetLogLevel };
  const secrets = [];
  try {
    const token = await credential.getToken(SCOPE);
    secrets.push(["access token", token.token]);
    report.token = {
      length: token.token.length,
      expiresInSeconds: (token.expiresOnTimestamp - Date.now()) / 1000,
    };
  } catch (error) {
    report.tokenError = describe(error);
  }
  try {
    // The emulated vault listens on loopback, which cannot match the vault.azure.net its challenge names.
    const client = new SecretClient(process.env.KEYVAULT_URL, credential, {
      disableChallengeResourceVerification: true,
    });
    const secret = await client.getSecret(process.env.SECRET_NAME);
    secrets.push(["secret value", secret.value]);
    report.secretSha256 = createHash("sha256").update(secret.value).digest("hex");
  } catch (error) {
    report.secretError = describe(error);
  }
  secrets.push([
    "projected service-account token",
    readFileSync(process.env.AZURE_FEDERATED_TOKEN_FILE, "utf8"),
  ]);

  const needles = needlesOf(secrets);
  report.leaked = [
    ...new Set(needles.filter(([, text]) => lines.some((l) => l.includes(text))).map(([what]) => what)),
  ];
  report.lines = lines.map((line) =>
    needles.reduce((out, [what, text]) => out.replaceAll(text, `<${what}>`), line),
  );
  return report;
}

/** What a log line must not hold: each value whole, and each JWT segment long enough to be its own. */
function needlesOf(secrets) {
  const needles = [];
  for (const [what, value] of secrets) {
    const text = value.trim();
    needles.push([what, text]);
    for (const part of text.split(".")) if (part !== text && part.length >= 16) needles.push([what, part]);
  }
  return needles;
}

function describe(error) {
  return {
    name: error?.name,
    code: error?.code,
    statusCode: error?.statusCode,
    message: String(error?.message),
  };
}

module.exports = { exercise };

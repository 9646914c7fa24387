// The CommonJS app: requires the packages, runs exercise.cjs, prints its report as one JSON line.
const { SecretClient } = require("@azure/keyvault-secrets");
const { AzureLogger, setLogLevel } = require("@azure/logger");
const { WorkloadIdentityCredential } = require("@workload-identity/credential");
const { exercise } = require("./exercise.cjs");

exercise({ WorkloadIdentityCredential, SecretClient, AzureLogger, setLogLevel }).then((report) => {
  process.stdout.write(`${JSON.stringify(report)}\n`);
});

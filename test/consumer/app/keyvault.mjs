// The ES module app: imports the packages, runs exercise.cjs, prints its report as one JSON line.
import { SecretClient } from "@azure/keyvault-secrets";
import { AzureLogger, setLogLevel } from "@azure/logger";
import { WorkloadIdentityCredential } from "@workload-identity/credential";
import exercise from "./exercise.cjs";

const report = await exercise.exercise({
  WorkloadIdentityCredential,
  SecretClient,
  AzureLogger,
  setLogLevel,
});
process.stdout.write(`${JSON.stringify(report)}\n`);

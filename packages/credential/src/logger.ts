// The package's logger, through @azure/logger so AZURE_LOG_LEVEL and setLogLevel() work as in every Azure SDK.
// Never log a token, an assertion or a secret: callers pass only names, counts, durations and claims.
import { createClientLogger, type AzureLogger } from "@azure/logger";

export const logger: AzureLogger = createClientLogger("workload-identity");

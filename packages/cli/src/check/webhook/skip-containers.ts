// azure.workload.identity/skip-containers: container names separated by ";", each trimmed, that the webhook
// leaves without the variables and the token.
import { asString } from "../../lib/plain-data.js";
import type { Workload } from "../model/workload.js";
import { SKIP_CONTAINERS_ANNOTATION } from "./contract.js";

export function skippedContainers(workload: Workload): Set<string> {
  const value = asString(workload.annotations[SKIP_CONTAINERS_ANNOTATION]) ?? "";
  if (value === "") return new Set();
  return new Set(value.split(";").map((name) => name.trim()));
}

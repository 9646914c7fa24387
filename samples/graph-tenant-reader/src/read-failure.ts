// What a failed read may show to whoever reaches the Service: a stable code. The message (client id, tenant,
// service account, issuer...) goes to the log only.
import { GraphError } from "@microsoft/microsoft-graph-client";
import { WorkloadIdentityError, type WorkloadIdentityErrorCode } from "@workload-identity/credential";

export type ReadErrorCode =
  // the credential could not get a token: its own code
  | WorkloadIdentityErrorCode
  // Graph answered 403 (a missing application permission), 401, or another error status
  | "ERR_GRAPH_FORBIDDEN"
  | "ERR_GRAPH_UNAUTHORIZED"
  | "ERR_GRAPH_REJECTED"
  // no answer from Graph
  | "ERR_GRAPH_UNREACHABLE"
  | "ERR_GRAPH_NO_ORGANIZATION"
  | "ERR_UNEXPECTED";

export class NoOrganizationError extends Error {
  readonly code = "ERR_GRAPH_NO_ORGANIZATION";

  constructor() {
    super("Graph returned no organization");
    this.name = "NoOrganizationError";
  }
}

export function readErrorCode(error: unknown): ReadErrorCode {
  if (error instanceof WorkloadIdentityError || error instanceof NoOrganizationError) return error.code;
  if (error instanceof GraphError) {
    if (error.statusCode === 403) return "ERR_GRAPH_FORBIDDEN";
    if (error.statusCode === 401) return "ERR_GRAPH_UNAUTHORIZED";
    // The client reports -1 when no response came back.
    return error.statusCode > 0 ? "ERR_GRAPH_REJECTED" : "ERR_GRAPH_UNREACHABLE";
  }
  return "ERR_UNEXPECTED";
}

import { GraphError } from "@microsoft/microsoft-graph-client";
import { AuthenticationError, WorkloadIdentityCredential } from "@workload-identity/credential";
import { createGraphReader, readTenant } from "./organization.js";
import { NoOrganizationError, readErrorCode } from "./read-failure.js";

it("keeps the credential's code when the token cannot be had (the Graph client would drop it)", async () => {
  const credential = new WorkloadIdentityCredential({
    clientId: "0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0",
    tenantId: "6a4c7a1e-3d2b-4f5e-9c8d-7b6a5f4e3d2c",
    tokenFilePath: "/nonexistent/azure-identity-token",
    loggingEnabled: false,
    env: {},
  });
  const graph = createGraphReader(credential, {
    graphEndpoint: "https://graph.microsoft.com",
    graphScope: "https://graph.microsoft.com/.default",
  });
  const error = await readTenant(graph).catch((e: unknown) => e);
  expect(error).toMatchObject({ code: "ERR_TOKEN_FILE_NOT_FOUND" });
  expect(readErrorCode(error)).toBe("ERR_TOKEN_FILE_NOT_FOUND");
});

it("gives each Graph answer its own code", () => {
  expect(readErrorCode(new GraphError(403, "Insufficient privileges"))).toBe("ERR_GRAPH_FORBIDDEN");
  expect(readErrorCode(new GraphError(401, "InvalidAuthenticationToken"))).toBe("ERR_GRAPH_UNAUTHORIZED");
  expect(readErrorCode(new GraphError(503, "Service unavailable"))).toBe("ERR_GRAPH_REJECTED");
  expect(readErrorCode(new GraphError(-1, "fetch failed"))).toBe("ERR_GRAPH_UNREACHABLE");
  expect(readErrorCode(new NoOrganizationError())).toBe("ERR_GRAPH_NO_ORGANIZATION");
});

it("takes the code of any error of the credential's family, and ERR_UNEXPECTED for anything else", () => {
  const refused = new AuthenticationError(
    "ERR_UNKNOWN_CLIENT",
    "client 0f1e... not found in tenant 6a4c...",
    {
      statusCode: 400,
    },
  );
  expect(readErrorCode(refused)).toBe("ERR_UNKNOWN_CLIENT");
  expect(readErrorCode(new TypeError("Cannot read properties of undefined"))).toBe("ERR_UNEXPECTED");
  expect(readErrorCode("a string")).toBe("ERR_UNEXPECTED");
});

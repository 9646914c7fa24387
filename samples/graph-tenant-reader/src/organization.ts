// Reads the tenant from Microsoft Graph: GET /v1.0/organization, with a token for Graph's scope, from the endpoint.
import { Client } from "@microsoft/microsoft-graph-client";
import { TokenCredentialAuthenticationProvider } from "@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials/index.js";
import type { TokenCredential } from "@azure/core-auth";
import type { ReaderConfig } from "./config.js";
import { NoOrganizationError } from "./read-failure.js";

export interface Tenant {
  id: string;
  displayName: string;
  domains: string[];
}

export interface GraphReader {
  client: Client;
  credential: TokenCredential;
  scope: string;
}

export function createGraphReader(
  credential: TokenCredential,
  { graphEndpoint, graphScope: scope }: Pick<ReaderConfig, "graphEndpoint" | "graphScope">,
): GraphReader {
  const client = Client.initWithMiddleware({
    authProvider: new TokenCredentialAuthenticationProvider(credential, { scopes: [scope] }),
    baseUrl: `${graphEndpoint}/`,
    // The client attaches the token only to Graph hosts it knows; a custom endpoint must be named (host name only).
    customHosts: new Set([new URL(graphEndpoint).hostname]),
  });
  return { client, credential, scope };
}

interface Organization {
  id: string;
  displayName: string;
  verifiedDomains?: { name: string }[];
}

export async function readTenant({ client, credential, scope }: GraphReader): Promise<Tenant> {
  // The token first: the Graph client would wrap the credential's error in a GraphError without its `code`.
  // The client's own request then takes the token from the credential's cache.
  await credential.getToken(scope);
  const response = (await client
    .api("/organization")
    .select(["id", "displayName", "verifiedDomains"])
    .get()) as { value: Organization[] };
  const organization = response.value[0];
  if (organization === undefined) throw new NoOrganizationError();
  return {
    id: organization.id,
    displayName: organization.displayName,
    domains: (organization.verifiedDomains ?? []).map((d) => d.name),
  };
}

/** What to do about an error from Graph, when there is something to do. */
export function hintFor(error: unknown): string | undefined {
  const status = (error as { statusCode?: number }).statusCode;
  if (status === 403) {
    return (
      "grant the identity the Microsoft Graph application permission Organization.Read.All (or User.Read.All) with admin consent; " +
      "for a managed identity, add an app role assignment on the Microsoft Graph service principal (see the sample's README)"
    );
  }
  if (status === 401)
    return "Graph refused the token: is GRAPH_ENDPOINT the Graph of the same cloud as AZURE_AUTHORITY_HOST?";
  return undefined;
}

// Reads the tenant from Microsoft Graph: GET /v1.0/organization, the scope and trusted host derived from the endpoint.
import { Client } from "@microsoft/microsoft-graph-client";
import { TokenCredentialAuthenticationProvider } from "@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials/index.js";
import type { TokenCredential } from "@azure/core-auth";

export interface Tenant {
  id: string;
  displayName: string;
  domains: string[];
}

export function createGraphClient(credential: TokenCredential, graphEndpoint: string): Client {
  return Client.initWithMiddleware({
    authProvider: new TokenCredentialAuthenticationProvider(credential, {
      scopes: [`${graphEndpoint}/.default`],
    }),
    baseUrl: `${graphEndpoint}/`,
    // The client attaches the token only to Graph hosts it knows; a custom endpoint must be named (host name only).
    customHosts: new Set([new URL(graphEndpoint).hostname]),
  });
}

interface Organization {
  id: string;
  displayName: string;
  verifiedDomains?: { name: string }[];
}

export async function readTenant(client: Client): Promise<Tenant> {
  const response = (await client
    .api("/organization")
    .select(["id", "displayName", "verifiedDomains"])
    .get()) as { value: Organization[] };
  const organization = response.value[0];
  if (organization === undefined) throw new Error("Graph returned no organization");
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

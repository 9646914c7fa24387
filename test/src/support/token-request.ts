// Builds and sends client-credentials token requests to the emulated Entra, the way MSAL sends them.
import type { Emulator } from "@workload-identity/emulator";
import { httpsRequest, type HttpsResponse } from "./https.js";

export const JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

export interface EntraErrorBody {
  error: string;
  error_description: string;
  error_codes: number[];
  timestamp: string;
  trace_id: string;
  correlation_id: string;
  error_uri: string;
}

export interface TokenForm {
  tenant?: string;
  grant_type?: string;
  client_id?: string;
  scope?: string;
  client_assertion?: string;
  client_assertion_type?: string;
  client_secret?: string;
  claims?: string;
}

/**
 * POSTs a token request; unset fields take the valid defaults of the emulator's default identity, and a field
 * set to undefined is left out. `client-request-id` is "test-correlation-id" unless `clientRequestId` says otherwise
 * (null sends none).
 */
export async function requestToken(
  emulator: Emulator,
  assertion: string,
  overrides: TokenForm = {},
  clientRequestId: string | null = "test-correlation-id",
): Promise<HttpsResponse> {
  const { tenant = emulator.env.AZURE_TENANT_ID, ...form }: TokenForm = {
    grant_type: "client_credentials",
    client_id: emulator.env.AZURE_CLIENT_ID,
    scope: "https://vault.azure.net/.default",
    client_assertion: assertion,
    client_assertion_type: JWT_BEARER,
    ...overrides,
  };
  const fields = Object.entries(form as Record<string, string | undefined>).filter(
    (entry): entry is [string, string] => entry[1] !== undefined,
  );
  return httpsRequest(`${emulator.urls.authorityHost}${tenant}/oauth2/v2.0/token`, {
    method: "POST",
    ca: emulator.caCertificate,
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      ...(clientRequestId === null ? {} : { "client-request-id": clientRequestId }),
    },
    body: new URLSearchParams(fields).toString(),
  });
}

/** A valid projected token as the default pod would present it (read from the projected file). */
export async function projectedToken(emulator: Emulator): Promise<string> {
  const { readFile } = await import("node:fs/promises");
  return (await readFile(emulator.env.AZURE_FEDERATED_TOKEN_FILE, "utf8")).trim();
}

/** An access token for a resource, through the real token endpoint. */
export async function accessTokenFor(
  emulator: Emulator,
  resource: string,
  clientId?: string,
): Promise<string> {
  const response = await requestToken(emulator, await projectedToken(emulator), {
    scope: `${resource}/.default`,
    ...(clientId === undefined ? {} : { client_id: clientId }),
  });
  if (response.status !== 200) throw new Error(`token request failed: ${response.text}`);
  return response.json<{ access_token: string }>().access_token;
}

// Child: process start to a token with nothing but fetch: read the projected token, POST the exchange.
// The floor for "first token" on this machine. argv: scope.
import { readFile } from "node:fs/promises";
import { performance } from "node:perf_hooks";
import { send } from "./report.cjs";

const env = process.env;
const assertion = (await readFile(String(env.AZURE_FEDERATED_TOKEN_FILE), "utf8")).trim();
const response = await globalThis.fetch(
  `${String(env.AZURE_AUTHORITY_HOST)}${String(env.AZURE_TENANT_ID)}/oauth2/v2.0/token`,
  {
    method: "POST",
    body: new URLSearchParams({
      grant_type: "client_credentials",
      client_id: String(env.AZURE_CLIENT_ID),
      client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
      client_assertion: assertion,
      scope: process.argv[2] ?? "",
    }),
  },
);
const body = await response.json();
if (response.status !== 200 || typeof body.access_token !== "string") {
  process.stderr.write(`token endpoint answered ${response.status}\n`);
  process.exit(1);
}
send({ type: "result", firstTokenMs: performance.now() });

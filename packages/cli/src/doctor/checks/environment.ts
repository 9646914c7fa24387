// Checks the four variables the Workload Identity webhook injects: present, and shaped as the credential needs.
import { oneLine } from "../../lib/one-line.js";
import { redactUrl } from "../../lib/redact-url.js";
import type { CheckId, CheckResult } from "../types.js";

export type Environment = Record<string, string | undefined>;

export interface EnvironmentOutcome {
  results: CheckResult[];
  /** The token file to check: --token-file, else AZURE_FEDERATED_TOKEN_FILE. */
  tokenFilePath: string | undefined;
  /** Client id, tenant and authority host are usable, so a token exchange means something. */
  exchangeReady: boolean;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TENANT = /^[0-9a-zA-Z.-]+$/;
const LABEL_POD = 'label the pod template azure.workload.identity/use: "true"';
const ANNOTATE_SA =
  "annotate the pod's service account azure.workload.identity/client-id: <application (client) id>";
const LABEL = `${LABEL_POD} so the Workload Identity webhook injects it, then recreate the pod`;

export function checkEnvironment(env: Environment, tokenFileOverride?: string): EnvironmentOutcome {
  // Without any of the webhook's other variables, the pod was not mutated at all: the label is missing too.
  const mutated = ["AZURE_TENANT_ID", "AZURE_FEDERATED_TOKEN_FILE", "AZURE_AUTHORITY_HOST"].some(
    (name) => value(env, name) !== undefined,
  );
  const results = [
    checkClientId(env, mutated),
    checkTenantId(env),
    checkTokenFileVariable(env, tokenFileOverride),
    checkAuthorityHost(env),
  ];
  const [clientId, tenantId, , authorityHost] = results;
  return {
    results,
    tokenFilePath: tokenFileOverride ?? value(env, "AZURE_FEDERATED_TOKEN_FILE"),
    exchangeReady: [clientId, tenantId, authorityHost].every((r) => r?.status !== "fail"),
  };
}

function checkClientId(env: Environment, mutated: boolean): CheckResult {
  const id = "AZURE_CLIENT_ID";
  const clientId = value(env, id);
  if (clientId === undefined) {
    const fix = mutated
      ? `${ANNOTATE_SA}, then recreate the pod (the webhook injects AZURE_CLIENT_ID from it)`
      : `${LABEL_POD} and ${ANNOTATE_SA}, then recreate the pod`;
    return missing(id, env, fix);
  }
  if (!GUID.test(clientId)) {
    // A warning, as the credential gives: every Azure SDK accepts any client id, and Entra has the last word
    // (the exchange check then shows AADSTS700016 for an id it does not know).
    return {
      id,
      status: "warn",
      message: `${oneLine(clientId)} is not a GUID`,
      fix: "set the service account's azure.workload.identity/client-id annotation to the application (client) id of the app registration or managed identity",
    };
  }
  return { id, status: "pass", message: clientId };
}

function checkTenantId(env: Environment): CheckResult {
  const id = "AZURE_TENANT_ID";
  const tenantId = value(env, id);
  if (tenantId === undefined) return missing(id, env, LABEL);
  if (!TENANT.test(tenantId)) {
    return invalid(
      id,
      `${oneLine(tenantId)} is neither a tenant GUID nor a domain`,
      "set the service account's azure.workload.identity/tenant-id annotation (or the webhook's AZURE_TENANT_ID) to the directory (tenant) id",
    );
  }
  return { id, status: "pass", message: tenantId };
}

function checkTokenFileVariable(env: Environment, override: string | undefined): CheckResult {
  const id = "AZURE_FEDERATED_TOKEN_FILE";
  const path = value(env, id);
  if (override !== undefined) {
    const set = path === undefined ? "not set" : oneLine(path);
    return { id, status: "pass", message: `${set}; checking --token-file ${oneLine(override)} instead` };
  }
  if (path === undefined) return missing(id, env, LABEL);
  return { id, status: "pass", message: oneLine(path) };
}

function checkAuthorityHost(env: Environment): CheckResult {
  const id = "AZURE_AUTHORITY_HOST";
  const host = value(env, id);
  if (host === undefined) return missing(id, env, LABEL);
  const fix = "use https://login.microsoftonline.com/ or your cloud's authority host, with a trailing slash";
  // Without its credentials, query and fragment, whatever the verdict.
  const shown = redactUrl(host);
  if (!URL.canParse(host)) return invalid(id, `${shown} is not a URL`, fix);
  const url = new URL(host);
  if (url.username !== "" || url.password !== "") return invalid(id, `${shown} contains credentials`, fix);
  if (url.protocol !== "https:") return invalid(id, `${shown} is not https`, fix);
  // A bare "?" or "#" leaves search and hash empty, so look at the text itself.
  if (host.includes("?") || host.includes("#")) return invalid(id, `${shown} has a query or fragment`, fix);
  const slash = host.endsWith("/") ? "" : " (no trailing slash: the credential adds one)";
  return { id, status: "pass", message: `${shown}${slash}` };
}

function value(env: Environment, name: string): string | undefined {
  const trimmed = env[name]?.trim();
  return trimmed === undefined || trimmed === "" ? undefined : trimmed;
}

function missing(id: CheckId, env: Environment, fix: string): CheckResult {
  const state = env[id] === undefined ? "not set" : "set but empty";
  return { id, status: "fail", code: "ERR_MISSING_CONFIGURATION", message: state, fix };
}

function invalid(id: CheckId, message: string, fix: string): CheckResult {
  return { id, status: "fail", code: "ERR_INVALID_CONFIGURATION", message, fix };
}

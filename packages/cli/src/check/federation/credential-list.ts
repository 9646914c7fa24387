// --federated-credentials FILE: the JSON `az identity federated-credential list` (or `az ad app federated-credential
// list`) prints, an array, or Microsoft Graph's `{ "value": [...] }`. `CLIENT_ID=FILE` ties a list to one identity.
import { readFile } from "node:fs/promises";
import { oneLine } from "../../lib/one-line.js";
import { asArray, asObject, asString } from "../../lib/plain-data.js";
import type { InputProblem } from "../input/input-problem.js";

export interface FederatedCredential {
  name: string;
  issuer: string;
  /** Undefined for a flexible credential, which matches by claimsMatchingExpression instead. */
  subject: string | undefined;
  audiences: string[];
}

export interface CredentialList {
  file: string;
  /** The identity's client id the list belongs to; undefined when it serves every workload without its own list. */
  clientId: string | undefined;
  credentials: FederatedCredential[];
  /** Flexible credentials (claimsMatchingExpression), which `check` cannot evaluate. */
  flexible: number;
}

const GUID_PREFIX = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})=(.+)$/i;

/** "CLIENT_ID=FILE" or "FILE". */
export function parseCredentialOption(value: string): { clientId: string | undefined; file: string } {
  const match = GUID_PREFIX.exec(value.trim());
  return match === null
    ? { clientId: undefined, file: value.trim() }
    : { clientId: match[1], file: match[2] ?? "" };
}

export async function readCredentialList(option: string): Promise<CredentialList | InputProblem> {
  const { clientId, file } = parseCredentialOption(option);
  const problem = (message: string): InputProblem => ({ source: oneLine(file), message });
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    return problem(
      `cannot read the federated credentials (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
    );
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return problem(
      `not JSON (${(error as Error).message}); save the output of az identity federated-credential list`,
    );
  }
  const single = asObject(data);
  const entries =
    asArray(data) ?? asArray(single?.value) ?? (single?.issuer !== undefined ? [single] : undefined);
  if (entries === undefined) {
    return problem(
      `not a list of federated credentials: expected a JSON array or Microsoft Graph's { "value": [...] }`,
    );
  }
  const credentials: FederatedCredential[] = [];
  let flexible = 0;
  for (const [index, entry] of entries.entries()) {
    const credential = asObject(entry);
    const label = `entry ${index + 1}`;
    const issuer = asString(credential?.issuer);
    const audiences = asArray(credential?.audiences);
    if (credential === undefined || issuer === undefined) return problem(`${label} has no issuer`);
    if (audiences === undefined || !audiences.every((a) => typeof a === "string")) {
      return problem(`${label} has no audiences (a list of strings)`);
    }
    const subject = asString(credential.subject);
    if (subject === undefined) {
      if (credential.claimsMatchingExpression === undefined) return problem(`${label} has no subject`);
      flexible += 1;
      continue;
    }
    credentials.push({
      name: asString(credential.name) ?? `#${index + 1}`,
      issuer,
      subject,
      audiences,
    });
  }
  return { file, clientId, credentials, flexible };
}

/** The list for this client id: its own, else one given without a client id. */
export function listFor(
  lists: readonly CredentialList[],
  clientId: string | undefined,
): CredentialList | undefined {
  const own =
    clientId === undefined
      ? undefined
      : lists.find((l) => l.clientId?.toLowerCase() === clientId.toLowerCase());
  return own ?? lists.find((l) => l.clientId === undefined);
}

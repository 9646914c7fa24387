// A real token exchange with WorkloadIdentityCredential, through its public API only: the final word on
// whether this pod gets Entra tokens. In an identity-binding pod it turns enableAzureProxy on, so the exchange
// goes through the token proxy as the application's should. Reports the credential's typed error code; never
// the access token.
import {
  AuthenticationError,
  WorkloadIdentityCredential,
  WorkloadIdentityError,
  type WorkloadIdentityCredentialOptions,
} from "@workload-identity/credential";
import { relative } from "../../lib/duration.js";
import { oneLine } from "../../lib/one-line.js";
import { redactUrl } from "../../lib/redact-url.js";
import type { CheckResult } from "../types.js";
import { exchangeHint } from "./exchange-hints.js";

/** What the check needs of a credential: `getToken`, as every Azure SDK TokenCredential has. */
export interface ExchangeCredential {
  getToken(scope: string): Promise<{ expiresOnTimestamp: number } | null>;
  /** Called once the exchange is over, when the credential has it (ours: its connections to the token proxy). */
  close?(): Promise<void>;
}

export type CredentialFactory = (options: WorkloadIdentityCredentialOptions) => ExchangeCredential;

export const createWorkloadIdentityCredential: CredentialFactory = (options) =>
  new WorkloadIdentityCredential(options);

export interface ExchangeInput {
  scope: string;
  env: Record<string, string | undefined>;
  tokenFilePath: string;
  timeoutMs: number;
  nowMs: () => number;
  createCredential?: CredentialFactory;
  /** An identity binding's token proxy (AZURE_KUBERNETES_TOKEN_PROXY): the exchange goes through it. */
  tokenProxy?: string;
}

export async function checkTokenExchange(input: ExchangeInput): Promise<CheckResult> {
  const create = input.createCredential ?? createWorkloadIdentityCredential;
  const { tokenProxy } = input;
  const details: Record<string, unknown> = {
    scope: input.scope,
    ...(tokenProxy === undefined ? {} : { tokenProxy: redactUrl(tokenProxy) }),
  };
  let credential: ExchangeCredential | undefined;
  try {
    credential = create({
      env: input.env,
      tokenFilePath: input.tokenFilePath,
      timeoutMs: input.timeoutMs,
      // A diagnosis answers now; the hint says that a credential created minutes ago may still be propagating.
      federatedCredentialPropagationMs: 0,
      ...(tokenProxy === undefined ? {} : { enableAzureProxy: true }),
    });
    const token = await credential.getToken(input.scope);
    if (token === null) throw new Error("the credential returned no token");
    details.expiresAt = new Date(token.expiresOnTimestamp).toISOString();
    const expiry = relative(token.expiresOnTimestamp, input.nowMs());
    const through = tokenProxy === undefined ? "" : ` through the token proxy ${redactUrl(tokenProxy)}`;
    const message = `got an access token for ${oneLine(input.scope)}${through}, expiring ${expiry}`;
    return { id: "token-exchange", status: "pass", message, details };
  } catch (error) {
    return failure(error, details, tokenProxy !== undefined);
  } finally {
    // A kept-alive connection to the token proxy would hold the process open after the report.
    await credential?.close?.().catch(() => undefined);
  }
}

function failure(error: unknown, details: Record<string, unknown>, viaTokenProxy: boolean): CheckResult {
  if (error instanceof AuthenticationError) {
    Object.assign(details, {
      statusCode: error.statusCode,
      aadstsCode: error.aadstsCode,
      correlationId: error.correlationId,
    });
  }
  if (error instanceof WorkloadIdentityError) {
    const hint = exchangeHint(error.code, viaTokenProxy);
    return {
      id: "token-exchange",
      status: "fail",
      code: error.code,
      message: `${error.code}: ${oneLine(error.message)}`,
      ...(hint === undefined ? {} : { fix: hint }),
      details,
    };
  }
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return {
    id: "token-exchange",
    status: "fail",
    code: "ERR_EXCHANGE",
    message: oneLine(message),
    fix: "see the message; AZURE_LOG_LEVEL=info shows the credential's log on stderr",
    details,
  };
}

// One token exchange through @azure/msal-node: the projected token, read now, goes as the client assertion.
// This folder (with network/exchange-context.ts) is where the credential works around MSAL (docs/design-decisions.md: why we
// keep it): MSAL is imported on the first exchange (importing the package must stay cheap); its cache is skipped
// (ours is in front); its authority metadata is built in (authority-metadata.ts: no discovery requests); its
// network module is ours, which retries and never lets MSAL's throttle arm, and reports failures on the
// exchange's record (network/exchange-context.ts), since MSAL replaces them with a generic error; its Date.now()-based
// lifetimes are carried over to our clock; and its app-level assertion is a placeholder, as each request passes
// the one it read.
import { randomUUID } from "node:crypto";
import type { ConfidentialClientApplication, INetworkModule } from "@azure/msal-node";
import type { Clock } from "../clock.js";
import type { ResolvedConfig } from "../config/resolve-config.js";
import { AuthenticationError, WorkloadIdentityError } from "../errors/errors.js";
import { mapTokenFailure } from "../errors/map-token-failure.js";
import { presentedClaims } from "../errors/presented-claims.js";
import { withExchange, type ExchangeRecord } from "../network/exchange-context.js";
import type { AssertionSupplier } from "../token-file/assertion-supplier.js";
import type { Log } from "../log.js";
import { accountIdentifiers } from "./account-identifiers.js";
import { authorityMetadataFor } from "./authority-metadata.js";
import { loadMsal } from "./load-msal.cjs";
import { PropagationRetry } from "./propagation-retry.js";

export interface ExchangeRequest {
  tenantId: string;
  scopes: string[];
  claims?: string;
  enableCae: boolean;
  /** Ends the exchange: its own deadline, or every caller waiting on it having aborted. */
  signal: AbortSignal;
}

export interface ExchangeResult {
  token: string;
  expiresOnTimestamp: number;
  /** From the server's `refresh_in`, when it sent one. */
  refreshOnTimestamp?: number;
  receivedAt: number;
}

const MAX_APPLICATIONS = 32;

export class MsalExchange {
  private readonly apps = new Map<string, Promise<ConfidentialClientApplication>>();
  private readonly propagation: PropagationRetry;

  constructor(
    private readonly config: ResolvedConfig,
    private readonly networkClient: INetworkModule,
    /** Asked at every exchange, never cached: kubelet rotates the token file. */
    private readonly assertion: AssertionSupplier,
    private readonly clock: Clock,
    private readonly log: Log,
  ) {
    this.propagation = new PropagationRetry(config.federatedCredentialPropagationMs, clock, log);
  }

  async exchange(request: ExchangeRequest): Promise<ExchangeResult> {
    return this.propagation.run(() => this.exchangeOnce(request), request.signal);
  }

  private async exchangeOnce(request: ExchangeRequest): Promise<ExchangeResult> {
    // Read at every exchange, never cached: kubelet rotates the file.
    const assertion = await this.assertion();
    try {
      return await this.acquire(request, assertion);
    } catch (error) {
      if (!(error instanceof AuthenticationError && error.code === "ERR_ASSERTION_EXPIRED")) throw error;
      // The file may have been rotated since it was read: read it again, and try once more.
      this.log.warning(
        "Entra found the projected token expired (AADSTS700024); reading the file again and retrying once.",
      );
      return this.acquire(request, await this.assertion());
    }
  }

  private async acquire(request: ExchangeRequest, assertion: string): Promise<ExchangeResult> {
    const app = await this.appFor(request.tenantId, request.enableCae);
    const record: ExchangeRecord = { signal: request.signal };
    try {
      const result = await withExchange(record, () =>
        app.acquireTokenByClientCredential({
          scopes: request.scopes,
          correlationId: randomUUID(),
          skipCache: true,
          clientAssertion: assertion,
          ...(request.claims === undefined ? {} : { claims: request.claims }),
        }),
      );
      if (!result?.accessToken) {
        throw new WorkloadIdentityError(
          "ERR_INVALID_RESPONSE",
          "The token endpoint answered without an access_token; is AZURE_AUTHORITY_HOST an Entra authority?",
        );
      }
      const { lifetimeMs, refreshInMs } = lifetimes(record, result.expiresOn, result.refreshOn);
      // Lifetimes are measured from now on the injected clock (MSAL measures with Date.now()).
      const receivedAt = this.clock.now();
      if (this.config.logAccountIdentifiers) this.log.info(accountIdentifiers(result.accessToken));
      return {
        token: result.accessToken,
        receivedAt,
        expiresOnTimestamp: receivedAt + lifetimeMs,
        ...(refreshInMs === undefined ? {} : { refreshOnTimestamp: receivedAt + refreshInMs }),
      };
    } catch (error) {
      if (error instanceof WorkloadIdentityError) throw error;
      if (record.failure) {
        throw mapTokenFailure(record.failure, await presentedClaims(assertion), record.route);
      }
      throw new WorkloadIdentityError(
        "ERR_INVALID_RESPONSE",
        `The token request failed in MSAL: ${(error as Error).message.split("\n")[0] ?? "unknown error"}`,
        { cause: error },
      );
    }
  }

  /**
   * One MSAL application per (tenant, CAE): client capabilities are set per application. At most
   * MAX_APPLICATIONS are kept (with additionallyAllowedTenants "*" any tenant name may be asked for); the
   * oldest is dropped first, and is cheap to make again.
   */
  private appFor(tenantId: string, enableCae: boolean): Promise<ConfidentialClientApplication> {
    const key = `${tenantId.toLowerCase()}|${String(enableCae)}`;
    let app = this.apps.get(key);
    if (app === undefined) {
      if (this.apps.size >= MAX_APPLICATIONS) this.apps.delete(this.apps.keys().next().value ?? "");
      // A promise, so that a failure to load or configure MSAL rejects this exchange like any other failure.
      app = new Promise((resolve) => {
        resolve(this.createApp(tenantId, enableCae));
      });
      app.catch(() => this.apps.delete(key));
      this.apps.set(key, app);
    }
    return app;
  }

  private createApp(tenantId: string, enableCae: boolean): ConfidentialClientApplication {
    const msal = loadMsal();
    const metadata = authorityMetadataFor(this.config.authorityHost, tenantId);
    const log = this.log;
    const supportLogging = this.config.supportLogging;
    return new msal.ConfidentialClientApplication({
      auth: {
        clientId: this.config.clientId,
        authority: metadata.authority,
        knownAuthorities: metadata.knownAuthorities,
        authorityMetadata: metadata.authorityMetadata,
        cloudDiscoveryMetadata: metadata.cloudDiscoveryMetadata,
        // Every request passes the assertion it read; MSAL builds this one on every call and discards it, so a
        // callback here would read the file a second time (and could fail an exchange that had its token).
        clientAssertion: "replaced-by-each-request",
        ...(enableCae ? { clientCapabilities: ["cp1"] } : {}),
      },
      system: {
        networkClient: this.networkClient,
        loggerOptions: {
          // loggingOptions.enableUnsafeSupportLogging: MSAL's detail, ids and names included, for a support case.
          piiLoggingEnabled: supportLogging,
          logLevel: supportLogging ? msal.LogLevel.Info : msal.LogLevel.Warning,
          loggerCallback: (_level, message, containsPii) => {
            if (!containsPii || supportLogging) log.verbose(`msal: ${message}`);
          },
        },
      },
    });
  }
}

/**
 * The token's lifetime and refresh delay from the answer's own `expires_in` and `refresh_in` (MSAL's expiry is
 * rounded to the second, so a short lifetime could look expired or a second longer). Any positive lifetime is
 * returned to the caller; the cache keeps it only while it has life left beyond its expiry margin.
 */
function lifetimes(
  record: ExchangeRecord,
  msalExpiresOn: Date | null | undefined,
  msalRefreshOn: Date | undefined,
): { lifetimeMs: number; refreshInMs: number | undefined } {
  const sent = record.answer?.expiresInSeconds;
  const now = Date.now();
  const lifetimeMs = sent !== undefined ? sent * 1000 : (msalExpiresOn?.getTime() ?? Number.NaN) - now;
  if (!(lifetimeMs > 0)) {
    const what = sent !== undefined ? `expires_in ${String(sent)}` : "no expires_in";
    throw new WorkloadIdentityError(
      "ERR_INVALID_RESPONSE",
      `The token endpoint answered with ${what}: a token with no lifetime left cannot be used.`,
    );
  }
  const refreshIn = record.answer?.refreshInSeconds;
  const refreshInMs =
    refreshIn !== undefined && refreshIn > 0
      ? refreshIn * 1000
      : msalRefreshOn === undefined
        ? undefined
        : msalRefreshOn.getTime() - now;
  return { lifetimeMs, refreshInMs };
}

import {
  AuthenticationError,
  CredentialUnavailableError,
  TokenFileError,
  WorkloadIdentityError,
  type WorkloadIdentityCredentialOptions,
} from "@workload-identity/credential";
import { checkTokenExchange, type CredentialFactory } from "./token-exchange.js";

const NOW_MS = Date.parse("2026-03-01T12:00:00Z");
const ACCESS_TOKEN = "eyJ0eXAiOiJKV1QifQ.eyJhdWQiOiJhcm0ifQ.ACCESS-TOKEN-SIGNATURE";
const SCOPE = "https://management.azure.com/.default";
const ENV = { AZURE_CLIENT_ID: "c", AZURE_TENANT_ID: "t" };

function factory(getToken: () => Promise<{ token: string; expiresOnTimestamp: number } | null>) {
  const calls: WorkloadIdentityCredentialOptions[] = [];
  const create: CredentialFactory = (options) => {
    calls.push(options);
    return { getToken };
  };
  return { create, calls };
}

function run(createCredential: CredentialFactory) {
  return checkTokenExchange({
    scope: SCOPE,
    env: ENV,
    tokenFilePath: "/var/run/token",
    timeoutMs: 5000,
    nowMs: () => NOW_MS,
    createCredential,
  });
}

describe("checkTokenExchange", () => {
  it("passes with the expiry of the access token, never the token itself", async () => {
    const { create, calls } = factory(() =>
      Promise.resolve({ token: ACCESS_TOKEN, expiresOnTimestamp: NOW_MS + 3_599_000 }),
    );

    const result = await run(create);

    expect(result).toEqual({
      id: "token-exchange",
      status: "pass",
      message: `got an access token for ${SCOPE}, expiring in 59m 59s`,
      details: { scope: SCOPE, expiresAt: "2026-03-01T12:59:59.000Z" },
    });
    expect(JSON.stringify(result)).not.toContain("ACCESS-TOKEN");
    expect(calls).toEqual([
      { env: ENV, tokenFilePath: "/var/run/token", timeoutMs: 5000, federatedCredentialPropagationMs: 0 },
    ]);
  });

  it("reports Entra's refusal with the credential's code, the AADSTS number and a hint", async () => {
    const error = new AuthenticationError(
      "ERR_FEDERATED_CREDENTIAL_MISMATCH",
      "No federated credential matches issuer 'https://x' (no trailing slash).",
      {
        statusCode: 400,
        errorResponse: {
          error: "invalid_client",
          errorDescription: "AADSTS700211: ...",
          errorCodes: [700211],
          correlationId: "corr-1",
        },
      },
    );

    const result = await run(factory(() => Promise.reject(error)).create);

    expect(result).toEqual({
      id: "token-exchange",
      status: "fail",
      code: "ERR_FEDERATED_CREDENTIAL_MISMATCH",
      message:
        "ERR_FEDERATED_CREDENTIAL_MISMATCH: No federated credential matches issuer 'https://x' (no trailing slash).",
      fix: expect.stringContaining("trailing slash included"),
      details: { scope: SCOPE, statusCode: 400, aadstsCode: 700211, correlationId: "corr-1" },
    });
  });

  it("reports a token file error from the credential with its code", async () => {
    const error = new TokenFileError("ERR_TOKEN_FILE_EMPTY", "/var/run/token", "The token file is empty.");

    const result = await run(factory(() => Promise.reject(error)).create);

    expect(result).toMatchObject({ status: "fail", code: "ERR_TOKEN_FILE_EMPTY" });
    expect(result.fix).toBeUndefined();
  });

  it("reports a credential that cannot be built", async () => {
    const create: CredentialFactory = () => {
      throw new CredentialUnavailableError("ERR_INVALID_CONFIGURATION", "the client id is not a GUID.");
    };

    expect(await run(create)).toMatchObject({
      status: "fail",
      code: "ERR_INVALID_CONFIGURATION",
      message: "ERR_INVALID_CONFIGURATION: the client id is not a GUID.",
    });
  });

  it("reports anything else on one line", async () => {
    const result = await run(factory(() => Promise.reject(new TypeError("boom\nsecond line"))).create);

    expect(result).toMatchObject({
      status: "fail",
      code: "ERR_EXCHANGE",
      message: "TypeError: boom\\u000asecond line",
    });
  });

  it("goes through an identity binding's token proxy with enableAzureProxy, and says so", async () => {
    const { create, calls } = factory(() =>
      Promise.resolve({ token: ACCESS_TOKEN, expiresOnTimestamp: NOW_MS + 60_000 }),
    );

    const result = await checkTokenExchange({
      scope: SCOPE,
      env: ENV,
      tokenFilePath: "/var/run/token",
      timeoutMs: 5000,
      nowMs: () => NOW_MS,
      createCredential: create,
      tokenProxy: "https://10.0.0.1/base",
    });

    expect(calls).toEqual([
      {
        env: ENV,
        tokenFilePath: "/var/run/token",
        timeoutMs: 5000,
        federatedCredentialPropagationMs: 0,
        enableAzureProxy: true,
      },
    ]);
    expect(result).toMatchObject({
      status: "pass",
      message: `got an access token for ${SCOPE} through the token proxy https://10.0.0.1/base, expiring in 1m`,
      details: { tokenProxy: "https://10.0.0.1/base" },
    });
  });

  it("hints at the token proxy's network path, not the authority host's, when the exchange went through it", async () => {
    const error = new WorkloadIdentityError(
      "ERR_NETWORK",
      "The token request failed after 5 attempt(s): ECONNREFUSED.",
    );

    const result = await checkTokenExchange({
      scope: SCOPE,
      env: ENV,
      tokenFilePath: "/var/run/token",
      timeoutMs: 5000,
      nowMs: () => NOW_MS,
      createCredential: factory(() => Promise.reject(error)).create,
      tokenProxy: "https://10.0.0.1",
    });

    expect(result).toMatchObject({
      code: "ERR_NETWORK",
      fix: expect.stringContaining("AZURE_KUBERNETES_TOKEN_PROXY"),
    });
  });

  it("closes the credential once the exchange is over, whatever its outcome", async () => {
    let closed = 0;
    const closing =
      (getToken: () => Promise<{ expiresOnTimestamp: number } | null>): CredentialFactory =>
      () => ({
        getToken,
        close: () => {
          closed += 1;
          return Promise.reject(new Error("already closed"));
        },
      });

    const passed = await run(closing(() => Promise.resolve({ expiresOnTimestamp: NOW_MS + 1000 })));
    const failed = await run(closing(() => Promise.reject(new Error("refused"))));

    expect([passed.status, failed.status]).toEqual(["pass", "fail"]);
    expect(closed).toBe(2);
  });

  it("fails when the credential returns no token", async () => {
    expect((await run(factory(() => Promise.resolve(null)).create)).message).toBe(
      "Error: the credential returned no token",
    );
  });
});

// Our credential in an AKS identity-binding pod, against the emulator's token proxy (its own CA, a certificate for
// the SNI name only, the CA projected and hard-swapped on rotation, AKS's single federated credential per bound
// identity): tokens and a Key Vault secret through the proxy, one proxy request for a burst, CA rotations, and
// each misconfiguration with its own error.
import { SecretClient } from "@azure/keyvault-secrets";
import {
  CredentialUnavailableError,
  WorkloadIdentityCredential,
  WorkloadIdentityError,
  type WorkloadIdentityCredentialOptions,
} from "@workload-identity/credential";
import { DEFAULT_CLIENT_ID, type Emulator } from "@workload-identity/emulator";
import { decodeJwt } from "jose";
import { readFile } from "node:fs/promises";
import { createServer } from "node:net";
import { startTrustedEmulator } from "./support/trusted-emulator.js";

const VAULT = "https://vault.azure.net/.default";
const NOT_ALLOWED = "7d6c5b4a-3e2f-4a1b-9c8d-0e1f2a3b4c5d";
let emulator: Emulator;

beforeAll(async () => {
  emulator = await startTrustedEmulator({
    // A second application, bound too, that the pod's service account may not use.
    applications: [{}, { clientId: NOT_ALLOWED }],
    identityBinding: {
      identities: [{ clientId: DEFAULT_CLIENT_ID }, { clientId: NOT_ALLOWED }],
      // As a ClusterRoleBinding would: the pod's service account may use the first identity only.
      allow: [
        { clientId: DEFAULT_CLIENT_ID, subjects: ["system:serviceaccount:default:workload-identity-sa"] },
      ],
      caRotationSeconds: null,
    },
  });
});
afterAll(() => emulator.close());
beforeEach(() => {
  emulator.stats.reset();
  emulator.faults.clear();
});

const env = (overrides: Record<string, string | undefined> = {}) => ({ ...emulator.env, ...overrides });
const bound = (
  options: WorkloadIdentityCredentialOptions = {},
  overrides: Record<string, string | undefined> = {},
) => new WorkloadIdentityCredential({ enableAzureProxy: true, ...options, env: env(overrides) });
const proxyRequests = () => emulator.stats.count({ endpoint: "token-proxy" });

async function failure(credential: WorkloadIdentityCredential): Promise<WorkloadIdentityError> {
  const error = await credential.getToken(VAULT).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WorkloadIdentityError);
  const message = (error as Error).message;
  // Nothing secret in any of them: the projected token, its signature, or the CA's body.
  const projected = (await readFile(emulator.env.AZURE_FEDERATED_TOKEN_FILE, "utf8")).trim();
  expect(message).not.toContain(projected.split(".")[2]);
  expect(message).not.toMatch(/[\r\n]/);
  return error as WorkloadIdentityError;
}

it("gets a token and a Key Vault secret through the token proxy", async () => {
  const credential = bound();
  const token = await credential.getToken(VAULT);
  expect(decodeJwt(token.token)).toMatchObject({
    aud: "https://vault.azure.net",
    appid: emulator.env.AZURE_CLIENT_ID,
  });

  // The vault answers on a loopback port, not under vault.azure.net: the challenge check is off (issue 15).
  const client = new SecretClient(emulator.env.KEYVAULT_URL, credential, {
    disableChallengeResourceVerification: true,
  });
  const secret = await client.getSecret(emulator.env.SECRET_NAME);
  expect(secret.value).toBeDefined();
  // Key Vault's client asks with enableCae: true, a token of its own (cached per CAE setting).
  expect(proxyRequests()).toBe(2);
  expect(emulator.stats.count({ endpoint: "token" })).toBe(2);
});

it("without enableAzureProxy goes to Entra, which refuses: AKS gives a bound identity no credential for the cluster", async () => {
  const error = await failure(
    new WorkloadIdentityCredential({ env: env(), federatedCredentialPropagationMs: 0 }),
  );
  expect(error).toMatchObject({ code: "ERR_FEDERATED_CREDENTIAL_MISMATCH" });
  expect(proxyRequests()).toBe(0);
});

it("makes one proxy request for 200 concurrent cold calls", async () => {
  const credential = bound();
  const tokens = await Promise.all(Array.from({ length: 200 }, () => credential.getToken(VAULT)));
  expect(new Set(tokens.map((t) => t.token)).size).toBe(1);
  expect(proxyRequests()).toBe(1);
});

it("follows the CA through hard swaps: each rotation, the next exchange trusts the new CA", async () => {
  const credential = bound();
  const scopes = [
    "https://vault.azure.net/.default",
    "https://graph.microsoft.com/.default",
    "https://storage.azure.com/.default",
  ];
  for (const scope of scopes) {
    await emulator.rotateProxyCa();
    // A new scope is a new exchange, over a new connection to a proxy whose certificate the old CA cannot verify.
    await expect(credential.getToken(scope)).resolves.toMatchObject({ tokenType: "Bearer" });
  }
  expect(proxyRequests()).toBe(scopes.length);
});

it("retries the proxy's 503 with Retry-After, as it would Entra's", async () => {
  emulator.faults.add({ endpoint: "token-proxy", status: 503, retryAfterSeconds: 0, first: 2 });
  await expect(bound().getToken(VAULT)).resolves.toMatchObject({ tokenType: "Bearer" });
  expect(emulator.stats.count({ endpoint: "token-proxy", status: 503 })).toBe(2);
});

describe("each misconfiguration gets its own error", () => {
  it("a wrong SNI name: the certificate is not valid for it", async () => {
    const error = await failure(bound({}, { AZURE_KUBERNETES_SNI_NAME: "other.ests.aks" }));
    expect(error).toMatchObject({ code: "ERR_TOKEN_PROXY_TLS", category: "configuration" });
    expect(error.message).toContain(
      "not valid for the server name other.ests.aks (AZURE_KUBERNETES_SNI_NAME)",
    );
    expect(proxyRequests()).toBe(0);
  });

  it("a wrong CA, inline: the emulator's main CA, which NODE_EXTRA_CA_CERTS trusts, is not the proxy's", async () => {
    const error = await failure(
      bound({}, { AZURE_KUBERNETES_CA_FILE: undefined, AZURE_KUBERNETES_CA_DATA: emulator.caCertificate }),
    );
    expect(error).toMatchObject({ code: "ERR_TOKEN_PROXY_TLS" });
    expect(error.message).toContain("AZURE_KUBERNETES_CA_DATA, which cannot follow a rotation");
  });

  it("both CA variables, at construction", () => {
    expect(() => bound({}, { AZURE_KUBERNETES_CA_DATA: emulator.identityBinding?.caCertificate })).toThrow(
      CredentialUnavailableError,
    );
    expect(() => bound({}, { AZURE_KUBERNETES_CA_DATA: emulator.identityBinding?.caCertificate })).toThrow(
      "AZURE_KUBERNETES_CA_FILE and AZURE_KUBERNETES_CA_DATA are both set",
    );
  });

  it("a proxy URL that is not https, at construction", () => {
    const url = (emulator.env.AZURE_KUBERNETES_TOKEN_PROXY ?? "").replace("https:", "http:");
    expect(() => bound({}, { AZURE_KUBERNETES_TOKEN_PROXY: url })).toThrow(
      /AZURE_KUBERNETES_TOKEN_PROXY .* must use https/,
    );
  });

  it("a client id the service account may not use: the proxy's 403", async () => {
    const error = await failure(bound({ clientId: NOT_ALLOWED }));
    expect(error).toMatchObject({ code: "ERR_TOKEN_PROXY_FORBIDDEN", statusCode: 403, category: "rejected" });
    expect(error.message).toContain("use-managed-identity");
  });

  it("the proxy down: retried, then ERR_NETWORK naming AZURE_KUBERNETES_TOKEN_PROXY", async () => {
    // A loopback port that was free a moment ago: nothing listens there.
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, "127.0.0.1", () => {
        const { port: free } = probe.address() as { port: number };
        probe.close(() => {
          resolve(free);
        });
      });
    });
    const error = await failure(
      bound(
        { retryOptions: { maxRetries: 2, retryDelayInMs: 1 } },
        { AZURE_KUBERNETES_TOKEN_PROXY: `https://127.0.0.1:${port}/` },
      ),
    );
    expect(error).toMatchObject({ code: "ERR_NETWORK" });
    expect(error.message).toContain("after 3 attempt(s): ECONNREFUSED");
    expect(error.message).toContain(
      `the token proxy https://127.0.0.1:${port} (AZURE_KUBERNETES_TOKEN_PROXY`,
    );
  });
});

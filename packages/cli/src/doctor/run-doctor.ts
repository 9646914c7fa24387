// Runs the checks in order, each fed by what the earlier ones found; a check whose input is missing is skipped.
import { checkClaims } from "./checks/claims.js";
import { checkEnableAzureProxy } from "./checks/enable-azure-proxy.js";
import { checkEnvironment } from "./checks/environment.js";
import { checkIdentityBinding } from "./checks/identity-binding.js";
import { checkIssuerDiscovery } from "./checks/issuer-discovery.js";
import { checkIssuerJwks } from "./checks/issuer-jwks.js";
import { checkTokenExchange } from "./checks/token-exchange.js";
import { checkTokenFile } from "./checks/token-file.js";
import { checkTokenProxyCa } from "./checks/token-proxy-ca.js";
import { checkTokenProxyTls } from "./checks/token-proxy-tls.js";
import { expectedAudience } from "./expected-audience.js";
import { fetchJson as httpsFetchJson } from "./fetch-json.js";
import { AZURE_KUBERNETES_TOKEN_PROXY, bindingValue, identityBindingVariables } from "./identity-binding.js";
import { DEFAULT_SCOPE, DEFAULT_TIMEOUT_MS, type DoctorOptions } from "./options.js";
import { skipped, type CheckResult, type CheckStatus, type DoctorReport } from "./types.js";

const MAX_TIMER_MS = 2_147_483_647;

export async function runDoctor(options: DoctorOptions = {}): Promise<DoctorReport> {
  const env = options.env ?? process.env;
  const now = options.now ?? Date.now;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  // Timers take at most 2^31-1 ms; beyond it Node fires them at once and every check would time out.
  if (!(Number.isInteger(timeoutMs) && timeoutMs > 0 && timeoutMs <= MAX_TIMER_MS)) {
    throw new RangeError(
      `runDoctor: timeoutMs must be a whole number from 1 to ${MAX_TIMER_MS}, not ${String(timeoutMs)}.`,
    );
  }
  const fetchJson = options.fetchJson ?? httpsFetchJson;
  const checks: CheckResult[] = [];

  const environment = checkEnvironment(env, options.tokenFile);
  checks.push(...environment.results);

  // An identity-binding pod (any AZURE_KUBERNETES_* variable): its lines appear only there.
  const binding = identityBindingVariables(env).length > 0 ? checkIdentityBinding(env) : undefined;
  if (binding !== undefined) {
    checks.push(binding.result);
    const proxyUrl = bindingValue(env, AZURE_KUBERNETES_TOKEN_PROXY);
    if (proxyUrl !== undefined) checks.push(checkEnableAzureProxy(proxyUrl));
  }

  const path = environment.tokenFilePath;
  const tokenFile = path === undefined ? undefined : await checkTokenFile(path, now());
  checks.push(
    tokenFile?.result ?? skipped("token-file", "no token file to read (AZURE_FEDERATED_TOKEN_FILE failed)"),
  );

  const { token, payload } = tokenFile ?? {};
  const audience = expectedAudience(env, options.audience);
  const claims =
    token === undefined || payload === undefined ? undefined : checkClaims(token, payload, audience);
  checks.push(claims?.result ?? skipped("claims", "no token to decode (token file failed)"));

  const issuer = claims?.issuer;
  const discovery =
    issuer === undefined ? undefined : await checkIssuerDiscovery(issuer, fetchJson, timeoutMs);
  checks.push(discovery?.result ?? skipped("issuer-discovery", "no issuer URL in the token"));

  const jwksUri = discovery?.jwksUri;
  checks.push(
    jwksUri === undefined || token === undefined
      ? skipped("issuer-jwks", "no JWKS URL (issuer discovery failed)")
      : await checkIssuerJwks(jwksUri, token, claims?.kid, fetchJson, timeoutMs),
  );

  const proxy = binding?.proxy;
  if (binding !== undefined) {
    const ca = await checkTokenProxyCa(env, now());
    checks.push(ca.result);
    checks.push(
      proxy === undefined
        ? skipped("token-proxy-tls", "fix the AZURE_KUBERNETES_* variables above first")
        : ca.trust === undefined
          ? skipped("token-proxy-tls", "no CA to verify the token proxy with (token proxy CA failed)")
          : await checkTokenProxyTls({ ...proxy, trust: ca.trust, timeoutMs, nowMs: now() }),
    );
  }

  if (!environment.exchangeReady) {
    checks.push(skipped("token-exchange", "fix the AZURE_* variables above first"));
  } else if (binding !== undefined && proxy === undefined) {
    checks.push(skipped("token-exchange", "fix the AZURE_KUBERNETES_* variables above first"));
  } else if (token === undefined || path === undefined) {
    checks.push(skipped("token-exchange", "no readable token to present (token file failed)"));
  } else {
    const scope = options.scope ?? DEFAULT_SCOPE;
    checks.push(
      await checkTokenExchange({
        scope,
        env,
        tokenFilePath: path,
        timeoutMs,
        nowMs: now,
        ...(options.createCredential === undefined ? {} : { createCredential: options.createCredential }),
        ...(proxy === undefined ? {} : { tokenProxy: proxy.url }),
      }),
    );
  }
  return report(checks);
}

function report(checks: CheckResult[]): DoctorReport {
  const summary: Record<CheckStatus, number> = { pass: 0, warn: 0, fail: 0, skip: 0 };
  for (const check of checks) summary[check.status] += 1;
  return { ok: summary.fail === 0, summary, checks };
}

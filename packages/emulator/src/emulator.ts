// Starts every emulated service on loopback and hands back exactly the environment a pod would get.
import { join } from "node:path";
import { adminRoutes } from "./admin/admin-service.js";
import {
  resolveConfig,
  resolveEntraSettings,
  type EmulatorConfig,
  type EmulatorConfigInput,
  type EntraSettings,
} from "./config/emulator-config.js";
import { AccessTokenIssuer } from "./entra/access-token-issuer.js";
import { Directory } from "./entra/directory.js";
import { entraFaultReply, entraRoutes } from "./entra/entra-service.js";
import { IssuerKeyFetcher } from "./entra/issuer-keys.js";
import { FaultInjector } from "./faults/fault-injector.js";
import { graphError, graphRoutes } from "./graph/graph-service.js";
import { startListener, type Listener, type ListenerOptions } from "./http/https-listener.js";
import { json } from "./http/reply.js";
import type { Route } from "./http/route.js";
import { issuerRoutes } from "./issuer/issuer-service.js";
import { OidcIssuer } from "./issuer/oidc-issuer.js";
import { TokenProjector } from "./kubelet/token-projector.js";
import { vaultError, vaultRoutes } from "./keyvault/vault-service.js";
import { openState } from "./state/state-dir.js";
import { openRealHostnamesTrust } from "./state/real-hostnames-trust.js";
import { startConnectProxy, type ConnectProxy } from "./proxy/connect-proxy.js";
import { allHosts, realHostNames, realHostnamesEnv } from "./proxy/real-hostnames.js";
import { RequestStats } from "./stats/request-stats.js";
import { EmulatorConfigError } from "./config/config-error.js";
import {
  BINDING_TOKEN_PATH,
  caFilePath,
  startIdentityBinding,
  type IdentityBindingMode,
} from "./identity-binding/identity-binding-mode.js";

export interface EmulatorOptions {
  /** The configuration document; omitted parts take the defaults that make the demo work. */
  config?: EmulatorConfigInput;
  /** Where the CA, the signing keys and the projected token live; a fresh temporary directory if omitted. */
  stateDir?: string;
  /**
   * Where kubelet's projection is written (default: `serviceaccount-token` in the state directory). Set it to
   * run several emulators on one state directory, sharing one CA.
   */
  projectionDir?: string;
  /** Loopback address to bind (default 127.0.0.1). */
  host?: string;
  /** Where background failures go (a failed scheduled rotation); default: stderr. */
  onError?: (error: unknown) => void;
  /**
   * Real-hostname mode (also `config.realHostnames`): the services answer as `login.microsoftonline.com`,
   * `{vault}.vault.azure.net`, `graph.microsoft.com` and the issuer's AKS host, through an HTTP proxy.
   */
  realHostnames?: boolean;
  /** Real-hostname mode: told of every destination the proxy refused (default: nothing). */
  onProxyRefusal?: (destination: string, reason: string) => void;
}

/**
 * The environment the Workload Identity webhook injects, plus what the samples and Node need locally. In
 * identity-binding mode it also holds `AZURE_KUBERNETES_TOKEN_PROXY`, `AZURE_KUBERNETES_SNI_NAME` and
 * `AZURE_KUBERNETES_CA_FILE`.
 */
export interface EmulatorEnv {
  AZURE_CLIENT_ID: string;
  AZURE_TENANT_ID: string;
  AZURE_FEDERATED_TOKEN_FILE: string;
  AZURE_AUTHORITY_HOST: string;
  NODE_EXTRA_CA_CERTS: string;
  KEYVAULT_URL: string;
  SECRET_NAME: string;
  GRAPH_ENDPOINT: string;
  [name: string]: string;
}

export interface EmulatorUrls {
  /** The cluster's OIDC issuer, with its trailing slash. */
  issuer: string;
  /** The authority host, with its trailing slash (like `https://login.microsoftonline.com/`). */
  authorityHost: string;
  /** Where the emulated Graph listens; its tokens are for `config.graph.audience`, not for this URL. */
  graph: string;
  admin: string;
  /** Vault URLs by vault name, with a trailing slash. */
  vaults: Record<string, string>;
  /** Identity-binding mode: the token proxy (`AZURE_KUBERNETES_TOKEN_PROXY`). */
  tokenProxy?: string;
  /** Identity-binding mode: the binding issuers' origin; an identity's issuer is `{origin}/{tenant}/{client id}`. */
  bindingIssuer?: string;
  /** Real-hostname mode: the HTTP proxy (`HTTPS_PROXY`). */
  proxy?: string;
  /** Real-hostname mode: where each service listens on loopback, by name (`entra`, `graph`, `vault:NAME`, ...). */
  listeners?: Record<string, string>;
}

/** Identity-binding mode, seen from outside. */
export interface IdentityBindingHandle {
  proxyUrl: string;
  sniName: string;
  /** `AZURE_KUBERNETES_CA_FILE`: rotates with the CA, by a `..data` swap. */
  caFilePath: string;
  /** The proxy's CA now (PEM): what `AZURE_KUBERNETES_CA_DATA` would hold, until the next rotation. */
  readonly caCertificate: string;
  /** CAs issued so far, the first included. */
  readonly caRotations: number;
  /** A bound identity's binding issuer URL (undefined for an identity no binding names). */
  issuerUrl(clientId: string, tenantId?: string): string | undefined;
}

export interface Emulator {
  env: EmulatorEnv;
  urls: EmulatorUrls;
  config: EmulatorConfig;
  stateDir: string;
  /** The CA to trust (`NODE_EXTRA_CA_CERTS`); in real-hostname mode the name-constrained one. */
  caCertPath: string;
  /** The CA certificate (PEM) to trust for in-process requests. */
  caCertificate: string;
  /** Real-hostname mode: the system's CAs plus the emulator's (`SSL_CERT_FILE`, `REQUESTS_CA_BUNDLE`). */
  caBundlePath?: string;
  issuer: OidcIssuer;
  projection: TokenProjector;
  /** Writes a fresh projected token now, as kubelet does at 80% of the lifetime. */
  rotate(): Promise<void>;
  /** Identity-binding mode only (absent otherwise). */
  identityBinding?: IdentityBindingHandle;
  /**
   * Identity-binding mode: issues a new proxy CA and certificate, writes the CA into the projected volume and
   * swaps the proxy's certificate at the same instant. Rejects with EmulatorConfigError in the default mode.
   */
  rotateProxyCa(): Promise<void>;
  faults: FaultInjector;
  stats: RequestStats;
  settings(): EntraSettings;
  updateSettings(patch: Partial<EntraSettings>): EntraSettings;
  close(): Promise<void>;
}

/**
 * Creates the state directory's CA and keys if missing and returns the CA's path, without starting anything:
 * for a test runner's global setup, so `NODE_EXTRA_CA_CERTS` can be set before worker processes start.
 */
export async function prepareStateDir(stateDir: string): Promise<{ caCertPath: string }> {
  const state = await openState(stateDir);
  return { caCertPath: state.caCertPath };
}

export async function createEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const config = resolveConfig(
    options.realHostnames && !options.config?.realHostnames
      ? { ...options.config, realHostnames: true }
      : options.config,
  );
  const host = options.host ?? "127.0.0.1";
  const onError =
    options.onError ??
    ((error: unknown) => {
      console.error("[workload-identity-emulator]", error);
    });
  const state = await openState(options.stateDir);
  const names = config.realHostnames && realHostNames(config, config.realHostnames);
  const trust = names ? await openRealHostnamesTrust(state, allHosts(names)) : undefined;
  const caPem = trust?.ca.certPem ?? state.ca.certPem;
  const caCertPath = trust?.caCertPath ?? state.caCertPath;
  // Real-hostname mode: emulated host name -> the listener that answers it, for tunnels and for internal calls.
  const byHost = new Map<string, Listener>();
  const faults = new FaultInjector();
  faults.add(...config.faults);
  const stats = new RequestStats();
  let settings = config.entra;
  const startedAt = Date.now();

  // Routes need URLs that exist only once their listeners are up: they read these late-bound values.
  // They are the real names' origins in real-hostname mode, the listeners' loopback origins otherwise.
  const origins = { issuer: "", entra: "", graph: "" };
  let issuer: OidcIssuer | undefined;
  const issuerUrl = () => `${origins.issuer}${config.issuerPath}`;
  const directory = new Directory(config, names ? [names.keyVaultResource] : []);
  const tokens = new AccessTokenIssuer(state.entraKey, () => origins.entra);

  let binding: IdentityBindingMode | undefined;
  let proxy: ConnectProxy | undefined;
  const listeners: Listener[] = [];
  const start = async (name: string, port: number, routes: Route[], extra: Partial<ListenerOptions> = {}) => {
    const listener = await startListener({
      name,
      host,
      port,
      tls: trust?.server ?? state.server,
      routes,
      faults,
      stats,
      onError,
      ...extra,
    });
    listeners.push(listener);
    return listener;
  };
  /** Starts a service's listener; `origin` is where clients reach it: its real name's, or its loopback one. */
  const serve = async (
    name: string,
    port: number,
    routes: Route[],
    realHost: string | undefined,
    extra: Partial<ListenerOptions> = {},
  ) => {
    const listener = await start(name, port, routes, extra);
    if (realHost !== undefined) byHost.set(realHost, listener);
    return { listener, origin: realHost === undefined ? listener.origin : `https://${realHost}` };
  };

  try {
    origins.issuer = (
      await serve(
        "issuer",
        config.ports.issuer,
        issuerRoutes(config.issuerPath, () => issuer as OidcIssuer),
        names ? names.issuer : undefined,
      )
    ).origin;
    issuer = new OidcIssuer(issuerUrl(), state.issuerKey);

    const tokenDeps = {
      directory,
      tokens,
      keys: new IssuerKeyFetcher(caPem, (host) => byHost.get(host.toLowerCase())?.port),
      settings: () => settings,
      issuerUrl,
      bindingIssuerUrl: (app: { tenantId: string; clientId: string }) =>
        binding?.issuerUrl(app.tenantId, app.clientId),
      authorityOrigin: () => origins.entra,
    };
    const entra = await serve(
      "entra",
      config.ports.entra,
      entraRoutes(tokenDeps),
      names ? names.authority : undefined,
      {
        faultReply: entraFaultReply,
      },
    );
    origins.entra = entra.origin;

    origins.graph = (
      await serve(
        "graph",
        config.ports.graph,
        graphRoutes({
          tenants: config.tenants,
          tokens,
          audience: config.graph.audience,
          graphUrl: () => origins.graph,
        }),
        names ? names.graph : undefined,
        {
          faultReply: (status) =>
            graphError(
              status,
              "serviceNotAvailable",
              "Service unavailable (fault injected by the emulator).",
            ),
          notFound: () => graphError(404, "Request_ResourceNotFound", "Resource not found for the segment."),
        },
      )
    ).origin;

    const vaultUrls: Record<string, string> = {};
    for (const vault of config.vaults) {
      const origin = { value: "" };
      const routes = vaultRoutes({
        vault,
        settings: config.keyVault,
        tokens,
        authorityOrigin: () => origins.entra,
        vaultUrl: () => origin.value,
        startedAt,
        ...(names ? { resource: names.keyVaultResource } : {}),
      });
      origin.value = (
        await serve(`vault:${vault.name}`, vault.port, routes, names?.vaults[vault.name], {
          faultReply: (status) => vaultError(status, "ServiceUnavailable", "Fault injected by the emulator."),
        })
      ).origin;
      vaultUrls[vault.name] = `${origin.value}/`;
    }

    const sa = config.serviceAccount;
    const activeIssuer = issuer;
    if (config.identityBinding) {
      binding = await startIdentityBinding({
        config: config.identityBinding,
        applications: config.applications,
        audience: sa.audience,
        clusterIssuer: () => activeIssuer,
        settings: () => settings,
        authorityOrigin: () => origins.entra,
        entraListenerOrigin: () => entra.listener.origin,
        mainCaPem: caPem,
        start,
        onError,
      });
    }
    const mode = binding;
    proxy = names
      ? await startConnectProxy({
          host,
          port: config.ports.proxy,
          targets: byHost,
          ...(options.onProxyRefusal ? { onRefused: options.onProxyRefusal } : {}),
        })
      : undefined;
    const activeProxy = proxy;
    const projectionDir = options.projectionDir ?? join(state.dir, "serviceaccount-token");
    const projection = new TokenProjector({
      directory: projectionDir,
      // The Workload Identity webhook v1.6 layout, which identity bindings need; the older one otherwise.
      ...(mode ? { tokenPath: BINDING_TOKEN_PATH, extraFiles: () => mode.projectedFiles() } : {}),
      lifetimeSeconds: sa.lifetimeSeconds,
      rotateAtFraction: sa.rotateAtFraction,
      mint: () =>
        activeIssuer.mintServiceAccountToken({
          namespace: sa.namespace,
          serviceAccount: sa.name,
          audience: sa.audience,
          lifetimeSeconds: sa.lifetimeSeconds,
        }),
      onError,
    });
    await projection.rotate();
    mode?.attach(projection);

    // In identity-binding mode the pod uses the first bound identity.
    const podIdentity = config.identityBinding?.identities[0] ?? config.applications[0];
    const firstVault = config.vaults[0];
    const env: EmulatorEnv = {
      AZURE_CLIENT_ID: podIdentity?.clientId ?? "",
      AZURE_TENANT_ID: podIdentity?.tenantId ?? "",
      AZURE_FEDERATED_TOKEN_FILE: projection.tokenFilePath,
      AZURE_AUTHORITY_HOST: `${origins.entra}/`,
      ...(mode
        ? {
            AZURE_KUBERNETES_TOKEN_PROXY: mode.proxyUrl,
            AZURE_KUBERNETES_SNI_NAME: mode.sniName,
            AZURE_KUBERNETES_CA_FILE: caFilePath(projectionDir),
          }
        : {}),
      NODE_EXTRA_CA_CERTS: caCertPath,
      ...(activeProxy && trust ? realHostnamesEnv(activeProxy.url, trust.caCertPath, trust.bundlePath) : {}),
      KEYVAULT_URL: firstVault ? (vaultUrls[firstVault.name] ?? "") : "",
      SECRET_NAME: firstVault ? (Object.keys(firstVault.secrets)[0] ?? "") : "",
      GRAPH_ENDPOINT: origins.graph,
    };

    const updateSettings = (patch: Partial<EntraSettings>) => {
      settings = resolveEntraSettings(patch, settings);
      return settings;
    };
    const rotate = () => projection.rotate();
    const rotateProxyCa = () =>
      mode
        ? mode.rotateCa()
        : Promise.reject(
            new EmulatorConfigError(
              "identityBinding",
              "is not configured, so there is no token proxy CA to rotate",
            ),
          );
    const admin = await start(
      "admin",
      config.ports.admin,
      adminRoutes({
        faults,
        stats,
        env: () => ({ ...env }),
        rotate,
        ...(mode ? { rotateProxyCa } : {}),
        settings: () => settings,
        updateSettings,
      }),
      { faults: undefined, stats: undefined, notFound: () => json(404, { error: "unknown admin path" }) },
    );

    let closed: Promise<void> | undefined;
    return {
      env,
      urls: {
        issuer: issuerUrl(),
        authorityHost: `${origins.entra}/`,
        graph: origins.graph,
        admin: admin.origin,
        vaults: vaultUrls,
        ...(mode ? { tokenProxy: mode.proxyUrl, bindingIssuer: mode.issuerOrigin } : {}),
        ...(activeProxy
          ? {
              proxy: activeProxy.url,
              listeners: Object.fromEntries(listeners.map((l) => [l.name, l.origin])),
            }
          : {}),
      },
      config,
      stateDir: state.dir,
      caCertPath,
      caCertificate: caPem,
      ...(trust ? { caBundlePath: trust.bundlePath } : {}),
      issuer,
      projection,
      rotate,
      ...(mode ? { identityBinding: bindingHandle(mode, projectionDir, config) } : {}),
      rotateProxyCa,
      faults,
      stats,
      settings: () => settings,
      updateSettings,
      close: () => {
        closed ??= (async () => {
          projection.close();
          mode?.close();
          // A rotation already writing (a CA swap, a token) finishes first: the caller may remove the directory next.
          await projection.settled();
          await activeProxy?.close();
          await Promise.all(listeners.map((l) => l.close()));
          await state.dispose();
        })();
        return closed;
      },
    };
  } catch (error) {
    binding?.close();
    await proxy?.close();
    await Promise.all(listeners.map((l) => l.close()));
    await state.dispose();
    throw error;
  }
}

function bindingHandle(
  mode: IdentityBindingMode,
  projectionDir: string,
  config: EmulatorConfig,
): IdentityBindingHandle {
  return {
    proxyUrl: mode.proxyUrl,
    sniName: mode.sniName,
    caFilePath: caFilePath(projectionDir),
    get caCertificate() {
      return mode.caCertificate();
    },
    get caRotations() {
      return mode.caRotations();
    },
    issuerUrl: (clientId, tenantId) => {
      const identity = config.identityBinding?.identities.find(
        (i) =>
          i.clientId.toLowerCase() === clientId.toLowerCase() &&
          (tenantId === undefined || i.tenantId.toLowerCase() === tenantId.toLowerCase()),
      );
      return identity && mode.issuerUrl(identity.tenantId, identity.clientId);
    },
  };
}

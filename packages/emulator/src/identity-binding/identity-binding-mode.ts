// Identity-binding mode, put together: the binding issuer and the token proxy on their own loopback listeners,
// the proxy's CA projected beside the token and rotated on a schedule or on demand, and the pod's extra variables.
import { join } from "node:path";
import type { ApplicationConfig, EntraSettings } from "../config/emulator-config.js";
import type { IdentityBindingConfig } from "../config/identity-binding-config.js";
import type { Listener, ListenerOptions } from "../http/https-listener.js";
import type { Route } from "../http/route.js";
import { entraFaultReply } from "../entra/entra-service.js";
import type { OidcIssuer } from "../issuer/oidc-issuer.js";
import type { TokenProjector } from "../kubelet/token-projector.js";
import { BindingIssuers } from "./binding-issuer.js";
import { EntraClient } from "./entra-client.js";
import { issueProxyTls, newProxyKey, type ProxyTls } from "./proxy-tls.js";
import { tokenProxyRoutes } from "./token-proxy.js";

/** Where the Workload Identity webhook v1.6 projects the token and the CA in its volume (pkg/webhook/consts.go). */
export const BINDING_TOKEN_PATH = "token/azure-identity-token";
export const BINDING_CA_PATH = "ca-cert/ca.crt";

export type StartListener = (
  name: string,
  port: number,
  routes: Route[],
  extra?: Partial<ListenerOptions>,
) => Promise<Listener>;

export interface IdentityBindingModeOptions {
  config: IdentityBindingConfig;
  applications: ApplicationConfig[];
  /** The pod's token audience (`api://AKSIdentityBinding` unless configured otherwise). */
  audience: string;
  clusterIssuer: () => OidcIssuer;
  settings: () => EntraSettings;
  authorityOrigin: () => string;
  /** Where the proxy reaches the emulated Entra: its loopback listener, even when it answers under its real name. */
  entraListenerOrigin: () => string;
  /** The emulator's CA (Entra's certificate chains to it). */
  mainCaPem: string;
  start: StartListener;
  onError: (error: unknown) => void;
}

export interface IdentityBindingMode {
  /** `AZURE_KUBERNETES_TOKEN_PROXY`: the proxy's origin and base path. */
  proxyUrl: string;
  sniName: string;
  /** The binding issuers' origin; each identity's issuer is `{origin}/{tenant id}/{client id}`. */
  issuerOrigin: string;
  issuerUrl(tenantId: string, clientId: string): string | undefined;
  /** The proxy's CA now (PEM). */
  caCertificate(): string;
  /** How many CAs have been issued, the first included. */
  caRotations(): number;
  /** The files the mode adds to the pod's projected volume. */
  projectedFiles(): Record<string, string>;
  /** Starts the schedule; rotations write through this projection. */
  attach(projection: TokenProjector): void;
  rotateCa(): Promise<void>;
  close(): void;
}

export async function startIdentityBinding(
  options: IdentityBindingModeOptions,
): Promise<IdentityBindingMode> {
  const { config } = options;
  const issuerOrigin = { value: "" };
  // One signing key for every binding issuer, fresh at each start: only this emulator's Entra ever reads its keys.
  const [privateKey, serverKey] = await Promise.all([newProxyKey(), newProxyKey()]);
  const bindingIssuers = new BindingIssuers(config.identities, privateKey, () => issuerOrigin.value);
  issuerOrigin.value = (
    await options.start("binding-issuer", config.issuerPort, bindingIssuers.routes())
  ).origin;

  let tls: ProxyTls = await issueProxyTls(config.sniName, serverKey);
  let rotations = 1;
  const entra = new EntraClient(options.mainCaPem, options.entraListenerOrigin);
  const proxy = await options.start(
    "token-proxy",
    config.port,
    tokenProxyRoutes({
      basePath: config.basePath,
      audience: options.audience,
      identities: config.identities,
      allow: config.allow,
      applications: options.applications,
      clusterIssuer: options.clusterIssuer,
      bindingIssuers,
      entra,
      settings: options.settings,
      authorityOrigin: options.authorityOrigin,
    }),
    { tls: tls.server, faultReply: entraFaultReply },
  );

  let projection: TokenProjector | undefined;
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  let pending: Promise<void> = Promise.resolve();

  const schedule = (delayMs: number) => {
    if (closed) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      rotateCa().catch(options.onError);
    }, delayMs);
    timer.unref();
  };
  const periodMs = () => (config.caRotationSeconds ?? 0) * 1000;

  // Serialised, like kubelet's writes: two rotations at once would race on which CA the file ends up holding.
  const rotateCa = (): Promise<void> => {
    const target = projection;
    if (!target) return Promise.reject(new Error("the projected volume is not written yet"));
    const next = pending.then(async () => {
      if (closed) return;
      try {
        const issued = await issueProxyTls(config.sniName, serverKey);
        // A hard swap at the instant the new CA appears in the volume: from then on only the new CA verifies.
        await target.republish({ [BINDING_CA_PATH]: issued.caCertPem }, () => {
          tls = issued;
          rotations += 1;
          proxy.updateTls(issued.server);
        });
        if (config.caRotationSeconds !== null) schedule(periodMs());
      } catch (error) {
        if (config.caRotationSeconds !== null) schedule(Math.min(5_000, periodMs() / 10));
        throw error;
      }
    });
    pending = next.catch(() => undefined);
    return next;
  };

  return {
    proxyUrl: `${proxy.origin}${config.basePath === "/" ? "" : config.basePath}`,
    sniName: config.sniName,
    issuerOrigin: issuerOrigin.value,
    issuerUrl: (tenantId, clientId) => bindingIssuers.issuerUrl(tenantId, clientId),
    caCertificate: () => tls.caCertPem,
    caRotations: () => rotations,
    projectedFiles: () => ({ [BINDING_CA_PATH]: tls.caCertPem }),
    attach: (target) => {
      projection = target;
      if (config.caRotationSeconds !== null) schedule(periodMs());
    },
    rotateCa,
    close: () => {
      closed = true;
      if (timer) clearTimeout(timer);
      entra.close();
    },
  };
}

/** `AZURE_KUBERNETES_CA_FILE` for a projection directory. */
export function caFilePath(projectionDir: string): string {
  return join(projectionDir, BINDING_CA_PATH);
}

// The emulated tenant directory: tenants by id or domain, applications, and the resources tokens can be issued for.
import type { ApplicationConfig, EmulatorConfig, TenantConfig } from "../config/emulator-config.js";

const WELL_KNOWN_RESOURCES = [
  "https://vault.azure.net",
  "https://database.windows.net/",
  "https://management.azure.com",
  "https://management.core.windows.net",
  "https://storage.azure.com",
];

export class Directory {
  /** @param extraResources resources the tenant's cloud adds (a national cloud's Key Vault, in real-hostname mode) */
  constructor(
    private readonly config: EmulatorConfig,
    private readonly extraResources: string[] = [],
  ) {}

  findTenant(idOrDomain: string): TenantConfig | undefined {
    const wanted = idOrDomain.toLowerCase();
    return this.config.tenants.find(
      (t) => t.id.toLowerCase() === wanted || t.domains.some((d) => d.toLowerCase() === wanted),
    );
  }

  findApplication(tenantId: string, clientId: string): ApplicationConfig | undefined {
    return this.config.applications.find(
      (a) => a.tenantId === tenantId && a.clientId.toLowerCase() === clientId.toLowerCase(),
    );
  }

  /** The host of the Graph this tenant's cloud uses, as openid-configuration's `msgraph_host` names it. */
  graphHost(): string {
    return new URL(this.config.graph.audience).host;
  }

  /** `resource` as findResource returns it. */
  isGraph(resource: string): boolean {
    return resource === this.config.graph.audience;
  }

  /**
   * The registered form of a resource URI, or undefined when the tenant has no such resource. Found with or
   * without a trailing slash, as Entra finds first-party resources by either form (MSAL.NET #894); the token's
   * `aud` is still the form requested, which the caller keeps. Graph is known by its audience in the
   * configured cloud only: a tenant of one cloud cannot get tokens for another cloud's Graph.
   */
  findResource(resource: string): string | undefined {
    const wanted = resource.replace(/\/$/, "").toLowerCase();
    return [
      ...WELL_KNOWN_RESOURCES,
      ...this.extraResources,
      this.config.graph.audience,
      ...this.config.resources,
    ].find((r) => r.replace(/\/$/, "").toLowerCase() === wanted);
  }
}

import {
  DEFAULT_CLIENT_ID,
  DEFAULT_TENANT_ID,
  EmulatorConfigError,
  TOKEN_EXCHANGE_AUDIENCE,
  resolveConfig,
  resolveEntraSettings,
  type EmulatorConfigInput,
  type EntraSettings,
} from "./emulator-config.js";

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const SECOND_TENANT = "11111111-2222-4333-8444-555555555555";
const OTHER_CLIENT = "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee";

/** The start of the one-line message of an EmulatorConfigError about `path`. */
function at(path: string): string {
  return `Invalid emulator configuration at ${path}: `;
}

/** The error `fn` throws, for checking its fields. */
function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error("expected a throw");
}

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

describe("resolveConfig defaults", () => {
  it("makes one tenant, one application, one vault and the kubelet service account when given nothing", () => {
    const config = resolveConfig();

    expect(config.tenants).toEqual([
      { id: DEFAULT_TENANT_ID, displayName: "Contoso (emulated)", domains: ["contoso.onmicrosoft.com"] },
    ]);
    expect(config.applications).toHaveLength(1);
    expect(config.vaults).toHaveLength(1);
    expect(config.serviceAccount).toEqual({
      namespace: "default",
      name: "workload-identity-sa",
      audience: TOKEN_EXCHANGE_AUDIENCE,
      lifetimeSeconds: 3600,
      rotateAtFraction: 0.8,
    });
    expect(config.issuerPath).toBe("/");
    expect(config.resources).toEqual([]);
    expect(config.faults).toEqual([]);
    expect(config.ports).toEqual({ issuer: 0, entra: 0, graph: 0, admin: 0, proxy: 0 });
    expect(config.entra).toEqual({
      accessTokenLifetimeSeconds: 3599,
      refreshInSeconds: null,
      federatedErrorStyle: "per-claim",
      clockSkewSeconds: 0,
      descriptionSeparator: "space",
    });
  });

  it("federates the default application with the default service account for the token-exchange audience", () => {
    const [app] = resolveConfig().applications;

    expect(app).toEqual({
      clientId: DEFAULT_CLIENT_ID,
      displayName: "workload-identity-demo",
      tenantId: DEFAULT_TENANT_ID,
      objectId: expect.stringMatching(GUID) as unknown,
      federatedIdentityCredentials: [
        {
          name: "kubernetes-federated-credential",
          subject: "system:serviceaccount:default:workload-identity-sa",
          audiences: ["api://AzureADTokenExchange"],
        },
      ],
      graphRoles: ["Organization.Read.All"],
    });
    expect(app?.federatedIdentityCredentials[0]).not.toHaveProperty("issuer");
  });

  it("makes the quickstart-kv vault holding my-secret=Hello! readable by the default client id", () => {
    expect(resolveConfig().vaults).toEqual([
      {
        name: "quickstart-kv",
        tenantId: DEFAULT_TENANT_ID,
        secrets: { "my-secret": "Hello!" },
        readers: [DEFAULT_CLIENT_ID],
        port: 0,
      },
    ]);
  });

  it("derives the default federated subject from the configured service account", () => {
    const config = resolveConfig({ serviceAccount: { namespace: "payments", name: "api" } });

    expect(config.applications[0]?.federatedIdentityCredentials[0]?.subject).toBe(
      "system:serviceaccount:payments:api",
    );
  });

  it("lets the default vault readers be the first application's client id", () => {
    const config = resolveConfig({ applications: [{ clientId: OTHER_CLIENT }, {}] });

    expect(config.vaults[0]?.readers).toEqual([OTHER_CLIENT]);
  });

  it("gives each resolution of an application without objectId a fresh GUID", () => {
    const first = resolveConfig().applications[0]?.objectId;
    const second = resolveConfig().applications[0]?.objectId;

    expect(first).toMatch(GUID);
    expect(second).toMatch(GUID);
    expect(first).not.toBe(second);
  });

  it("names federated credentials without a name by their index", () => {
    const config = resolveConfig({
      applications: [{ federatedIdentityCredentials: [{ subject: "a" }, { subject: "b", name: "named" }] }],
    });

    expect(config.applications[0]?.federatedIdentityCredentials.map((f) => f.name)).toEqual([
      "federated-credential-0",
      "named",
    ]);
  });

  it("keeps explicit values, including a custom issuer on a federated credential", () => {
    const config = resolveConfig({
      tenants: [{ id: SECOND_TENANT, displayName: "Fabrikam", domains: ["fabrikam.example"] }],
      applications: [
        {
          clientId: OTHER_CLIENT,
          objectId: "99999999-8888-4777-8666-555555555555",
          federatedIdentityCredentials: [
            {
              name: "gh",
              issuer: "https://token.actions.githubusercontent.com",
              subject: "repo:o/r:ref:refs/heads/main",
              audiences: ["custom"],
            },
          ],
          graphRoles: [],
        },
      ],
      issuerPath: "/oidc/cluster-1/",
      ports: { issuer: 65535, entra: 1, graph: 0, admin: 8080 },
      resources: ["api://my-api"],
    });

    expect(config.tenants[0]?.id).toBe(SECOND_TENANT);
    expect(config.applications[0]).toEqual({
      clientId: OTHER_CLIENT,
      displayName: "workload-identity-demo",
      tenantId: SECOND_TENANT,
      objectId: "99999999-8888-4777-8666-555555555555",
      federatedIdentityCredentials: [
        {
          name: "gh",
          issuer: "https://token.actions.githubusercontent.com",
          subject: "repo:o/r:ref:refs/heads/main",
          audiences: ["custom"],
        },
      ],
      graphRoles: [],
    });
    expect(config.vaults[0]?.tenantId).toBe(SECOND_TENANT);
    expect(config.issuerPath).toBe("/oidc/cluster-1/");
    expect(config.ports).toEqual({ issuer: 65535, entra: 1, graph: 0, admin: 8080, proxy: 0 });
    expect(config.resources).toEqual(["api://my-api"]);
  });

  it("accepts applications and vaults in any configured tenant", () => {
    const config = resolveConfig({
      tenants: [{}, { id: SECOND_TENANT }],
      applications: [{ tenantId: SECOND_TENANT }],
      vaults: [{ tenantId: SECOND_TENANT }],
    });

    expect(config.applications[0]?.tenantId).toBe(SECOND_TENANT);
    expect(config.vaults[0]?.tenantId).toBe(SECOND_TENANT);
  });

  it("accepts GUIDs in upper case", () => {
    expect(
      resolveConfig({ applications: [{ clientId: OTHER_CLIENT.toUpperCase() }] }).applications[0]?.clientId,
    ).toBe(OTHER_CLIENT.toUpperCase());
  });

  it("never mutates its input", () => {
    const input: EmulatorConfigInput = {
      tenants: [{ id: DEFAULT_TENANT_ID, domains: ["contoso.example"] }],
      applications: [
        { federatedIdentityCredentials: [{ subject: "system:serviceaccount:a:b" }], graphRoles: ["X"] },
      ],
      serviceAccount: { lifetimeSeconds: 600 },
      entra: { clockSkewSeconds: 5 },
      vaults: [{ name: "kv-one", secrets: { s: "v" } }],
      faults: [{ endpoint: "token", status: 503 }],
      ports: { admin: 9000 },
      resources: ["api://x"],
    };
    const before = structuredClone(input);

    // Frozen, so any write into the input throws instead of passing silently.
    resolveConfig(deepFreeze(input));

    expect(input).toEqual(before);
  });

  it("returns vault secrets and readers that are copies of the input's", () => {
    const secrets = { s: "v" };
    const readers = [DEFAULT_CLIENT_ID];
    const vault = resolveConfig({ vaults: [{ secrets, readers }] }).vaults[0];

    vault?.readers.push(OTHER_CLIENT);
    if (vault) vault.secrets.t = "w";

    expect(readers).toEqual([DEFAULT_CLIENT_ID]);
    expect(secrets).toEqual({ s: "v" });
  });
});

describe("resolveConfig validation", () => {
  const cases: [string, string, EmulatorConfigInput][] = [
    ["a tenant id that is not a GUID", "tenants[0].id", { tenants: [{ id: "contoso" }] }],
    ["the second tenant's id not being a GUID", "tenants[1].id", { tenants: [{}, { id: "1234" }] }],
    ["no tenants", "tenants", { tenants: [] }],
    ["an empty tenant domain", "tenants[0].domains[0]", { tenants: [{ domains: [""] }] }],
    [
      "a client id that is not a GUID",
      "applications[0].clientId",
      { applications: [{ clientId: "my-app" }] },
    ],
    [
      "a GUID with a stray character",
      "applications[0].clientId",
      { applications: [{ clientId: `${DEFAULT_CLIENT_ID}x` }] },
    ],
    ["no applications", "applications", { applications: [] }],
    [
      "an application in an unknown tenant",
      "applications[0].tenantId",
      { applications: [{ tenantId: SECOND_TENANT }] },
    ],
    [
      "a federated credential without a subject",
      "applications[0].federatedIdentityCredentials[0].subject",
      { applications: [{ federatedIdentityCredentials: [{ name: "x" }] }] },
    ],
    ["an issuer path without a leading slash", "issuerPath", { issuerPath: "issuer/" }],
    ["an issuer path without a trailing slash", "issuerPath", { issuerPath: "/issuer" }],
    ["an empty issuer path", "issuerPath", { issuerPath: "" }],
    [
      "a rotation fraction of 0",
      "serviceAccount.rotateAtFraction",
      { serviceAccount: { rotateAtFraction: 0 } },
    ],
    [
      "a rotation fraction of 1",
      "serviceAccount.rotateAtFraction",
      { serviceAccount: { rotateAtFraction: 1 } },
    ],
    [
      "a negative rotation fraction",
      "serviceAccount.rotateAtFraction",
      { serviceAccount: { rotateAtFraction: -0.5 } },
    ],
    [
      "a rotation fraction above 1",
      "serviceAccount.rotateAtFraction",
      { serviceAccount: { rotateAtFraction: 1.5 } },
    ],
    [
      "a NaN rotation fraction",
      "serviceAccount.rotateAtFraction",
      { serviceAccount: { rotateAtFraction: NaN } },
    ],
    ["a zero token lifetime", "serviceAccount.lifetimeSeconds", { serviceAccount: { lifetimeSeconds: 0 } }],
    [
      "a negative token lifetime",
      "serviceAccount.lifetimeSeconds",
      { serviceAccount: { lifetimeSeconds: -60 } },
    ],
    [
      "an infinite token lifetime",
      "serviceAccount.lifetimeSeconds",
      { serviceAccount: { lifetimeSeconds: Infinity } },
    ],
    [
      "a token lifetime one second beyond a day",
      "serviceAccount.lifetimeSeconds",
      { serviceAccount: { lifetimeSeconds: 86_401 } },
    ],
    [
      "a token lifetime whose rotation delay would overflow a timer",
      "serviceAccount.lifetimeSeconds",
      { serviceAccount: { lifetimeSeconds: 3_000_000 } },
    ],
    [
      "a zero access-token lifetime",
      "entra.accessTokenLifetimeSeconds",
      { entra: { accessTokenLifetimeSeconds: 0 } },
    ],
    ["a negative refresh_in", "entra.refreshInSeconds", { entra: { refreshInSeconds: -1 } }],
    ["a negative clock skew", "entra.clockSkewSeconds", { entra: { clockSkewSeconds: -1 } }],
    [
      "an unknown federated error style",
      "entra.federatedErrorStyle",
      { entra: { federatedErrorStyle: "AADSTS70021" as "aadsts70021" } },
    ],
    [
      "an unknown description separator",
      "entra.descriptionSeparator",
      { entra: { descriptionSeparator: "\r\n" as "crlf" } },
    ],
    ["a vault in an unknown tenant", "vaults[0].tenantId", { vaults: [{ tenantId: SECOND_TENANT }] }],
    ["a vault name of two characters", "vaults[0].name", { vaults: [{ name: "kv" }] }],
    ["a vault name of 25 characters", "vaults[0].name", { vaults: [{ name: `k${"v".repeat(24)}` }] }],
    ["a vault name starting with a digit", "vaults[0].name", { vaults: [{ name: "1vault" }] }],
    ["a vault name ending with a hyphen", "vaults[0].name", { vaults: [{ name: "vault-" }] }],
    ["a vault name with an underscore", "vaults[0].name", { vaults: [{ name: "my_vault" }] }],
    ["a second vault with a bad name", "vaults[1].name", { vaults: [{}, { name: "x.y.z" }] }],
    [
      "two vaults named alike but for case",
      "vaults[].name",
      { vaults: [{ name: "quickstart-kv" }, { name: "QuickStart-KV" }] },
    ],
    ["a secret name with an underscore", "vaults[0].secrets", { vaults: [{ secrets: { my_secret: "x" } }] }],
    ["a secret name with a space", "vaults[0].secrets", { vaults: [{ secrets: { "my secret": "x" } }] }],
    ["an empty secret name", "vaults[0].secrets", { vaults: [{ secrets: { "": "x" } }] }],
    [
      "a secret name of 128 characters",
      "vaults[0].secrets",
      { vaults: [{ secrets: { ["s".repeat(128)]: "x" } }] },
    ],
    ["an empty secret value", "vaults[0].secrets.my-secret", { vaults: [{ secrets: { "my-secret": "" } }] }],
    ["a negative port", "ports.issuer", { ports: { issuer: -1 } }],
    ["a port above 65535", "ports.entra", { ports: { entra: 65536 } }],
    ["a fractional port", "ports.graph", { ports: { graph: 80.5 } }],
    ["a NaN port", "ports.admin", { ports: { admin: NaN } }],
    ["an empty resource", "resources[1]", { resources: ["api://a", ""] }],
  ];

  it.each(cases)("rejects %s, naming %s", (_what, path, input) => {
    expect(() => resolveConfig(input)).toThrow(EmulatorConfigError);
    expect(() => resolveConfig(input)).toThrow(at(path));
  });

  it("gives its errors the stable code ERR_EMULATOR_CONFIG and the name EmulatorConfigError", () => {
    expect(thrownBy(() => resolveConfig({ issuerPath: "x" }))).toMatchObject({
      code: "ERR_EMULATOR_CONFIG",
      name: "EmulatorConfigError",
    });
  });

  it("quotes the offending value in the message", () => {
    expect(() => resolveConfig({ issuerPath: "/no-trailing-slash" })).toThrow(
      'Invalid emulator configuration at issuerPath: "/no-trailing-slash" must start and end with "/"',
    );
    expect(() => resolveConfig({ vaults: [{}, { name: "Quickstart-KV" }] })).toThrow(
      '"Quickstart-KV" appears twice',
    );
  });

  it("names the token lifetime's range and the value given, on one line", () => {
    const message = (
      thrownBy(() => resolveConfig({ serviceAccount: { lifetimeSeconds: 3_000_000 } })) as Error
    ).message;

    expect(message).toBe(
      "Invalid emulator configuration at serviceAccount.lifetimeSeconds: must be a number of seconds above 0 and at most 86400 (a day, the longest the Workload Identity webhook projects), not 3000000",
    );
    expect(() => resolveConfig({ serviceAccount: { lifetimeSeconds: "3600" as unknown as number } })).toThrow(
      /at most 86400 \(.*\), not a value of type string$/,
    );
  });

  it("accepts the boundaries of each range", () => {
    expect(() =>
      resolveConfig({
        serviceAccount: { rotateAtFraction: 0.01, lifetimeSeconds: 0.5 },
        entra: { refreshInSeconds: 1, clockSkewSeconds: 0 },
        vaults: [
          { name: "kv1" },
          { name: `k${"v".repeat(23)}`, secrets: { ["s".repeat(127)]: "x", "0-9": "y" } },
        ],
        ports: { issuer: 0, entra: 65535 },
      }),
    ).not.toThrow();
    expect(
      resolveConfig({ serviceAccount: { lifetimeSeconds: 86_400 } }).serviceAccount.lifetimeSeconds,
    ).toBe(86_400);
  });
});

describe("resolveEntraSettings", () => {
  const base: EntraSettings = {
    accessTokenLifetimeSeconds: 600,
    refreshInSeconds: 300,
    federatedErrorStyle: "aadsts70021",
    clockSkewSeconds: 30,
    descriptionSeparator: "crlf",
  };

  it("fills the defaults when there is no base", () => {
    expect(resolveEntraSettings({})).toEqual({
      accessTokenLifetimeSeconds: 3599,
      refreshInSeconds: null,
      federatedErrorStyle: "per-claim",
      clockSkewSeconds: 0,
      descriptionSeparator: "space",
    });
  });

  it("keeps every base value that the patch leaves out", () => {
    expect(resolveEntraSettings({}, base)).toEqual(base);
  });

  it("overrides only the fields the patch sets", () => {
    expect(resolveEntraSettings({ clockSkewSeconds: 0, federatedErrorStyle: "per-claim" }, base)).toEqual({
      accessTokenLifetimeSeconds: 600,
      refreshInSeconds: 300,
      federatedErrorStyle: "per-claim",
      clockSkewSeconds: 0,
      descriptionSeparator: "crlf",
    });
  });

  it("accepts every federated error style and description separator, the older forms included", () => {
    for (const federatedErrorStyle of [
      "per-claim",
      "per-claim-2024",
      "aadsts70021",
      "aadsts70021-2022",
    ] as const) {
      expect(resolveEntraSettings({ federatedErrorStyle }, base).federatedErrorStyle).toBe(
        federatedErrorStyle,
      );
    }
    expect(resolveEntraSettings({ descriptionSeparator: "space" }, base).descriptionSeparator).toBe("space");
    expect(resolveEntraSettings({ descriptionSeparator: "crlf" }).descriptionSeparator).toBe("crlf");
  });

  it("clears refresh_in when the patch sets it to null, but keeps it when the patch omits it", () => {
    expect(resolveEntraSettings({ refreshInSeconds: null }, base).refreshInSeconds).toBeNull();
    expect(resolveEntraSettings({ accessTokenLifetimeSeconds: 60 }, base).refreshInSeconds).toBe(300);
  });

  it("returns a new object and leaves the base untouched", () => {
    const frozen = Object.freeze({ ...base });

    const merged = resolveEntraSettings({ accessTokenLifetimeSeconds: 10 }, frozen);

    expect(merged).not.toBe(frozen);
    expect(frozen).toEqual(base);
  });

  it("validates the merged result, naming the field", () => {
    expect(() => resolveEntraSettings({ accessTokenLifetimeSeconds: -5 }, base)).toThrow(
      at("entra.accessTokenLifetimeSeconds"),
    );
    expect(() => resolveEntraSettings({ refreshInSeconds: 0 }, base)).toThrow(at("entra.refreshInSeconds"));
    expect(() => resolveEntraSettings({ federatedErrorStyle: "strict" as "per-claim" }, base)).toThrow(
      at("entra.federatedErrorStyle"),
    );
    expect(() => resolveEntraSettings({ descriptionSeparator: "tab" as "space" }, base)).toThrow(
      `${at("entra.descriptionSeparator")}must be one of "space", "crlf"`,
    );
    expect(() => resolveEntraSettings({ clockSkewSeconds: NaN }, base)).toThrow(at("entra.clockSkewSeconds"));
  });
});

describe("resolveConfig rejects what would break later", () => {
  it("rejects a clock skew that is not a number, which would turn exp + skew into text", () => {
    expect(() => resolveEntraSettings({ clockSkewSeconds: "30" as unknown as number })).toThrow(
      at("entra.clockSkewSeconds"),
    );
  });

  it("names the exact audience of a federated credential that is empty", () => {
    const input: EmulatorConfigInput = {
      applications: [{ federatedIdentityCredentials: [{ subject: "s", audiences: [""] }] }],
    };
    expect(() => resolveConfig(input)).toThrow(
      at("applications[0].federatedIdentityCredentials[0].audiences[0]"),
    );
  });

  it.each([70000, -5, 1.5])("rejects vault port %p", (port) => {
    expect(() => resolveConfig({ vaults: [{ port }] })).toThrow(at("vaults[0].port"));
  });

  it("rejects a non-string issuerPath with a configuration error", () => {
    expect(() => resolveConfig({ issuerPath: 3 as unknown as string })).toThrow(at("issuerPath"));
  });

  it("rejects an invalid fault rule as a configuration error naming its index", () => {
    const input = {
      faults: [
        { endpoint: "token", status: 503 },
        { endpoint: "nowhere", status: 503 },
      ],
    };
    expect(() => resolveConfig(input as EmulatorConfigInput)).toThrow(at("faults[1]"));
  });

  it("rejects the same tenant id twice and the same client id twice in a tenant", () => {
    expect(() => resolveConfig({ tenants: [{}, {}] })).toThrow(at("tenants[].id"));
    expect(() => resolveConfig({ applications: [{}, {}] })).toThrow(at("applications[].clientId"));
  });

  it("copies the graph roles instead of sharing the caller's array", () => {
    const roles = ["User.Read.All"];
    const config = resolveConfig({ applications: [{ graphRoles: roles }] });
    config.applications[0]?.graphRoles.push("Directory.Read.All");
    expect(roles).toEqual(["User.Read.All"]);
  });
});

describe("realHostnames", () => {
  it("is off unless asked for, and then serves the AKS issuer form under the documented host", () => {
    expect(resolveConfig({}).realHostnames).toBeUndefined();
    expect(resolveConfig({ realHostnames: false }).realHostnames).toBeUndefined();
    expect(resolveConfig({}).issuerPath).toBe("/");

    const config = resolveConfig({ realHostnames: true });
    expect(config.realHostnames).toEqual({ issuerHost: "eastus.oic.prod-aks.azure.com" });
    expect(config.issuerPath).toMatch(new RegExp(`^/${DEFAULT_TENANT_ID}/[0-9a-f-]{36}/$`));
  });

  it("takes an issuer host and keeps a configured issuerPath", () => {
    const config = resolveConfig({
      realHostnames: { issuerHost: "westeurope.oic.prod-aks.azure.com" },
      issuerPath: "/abc/",
      ports: { proxy: 3128 },
    });
    expect(config.realHostnames?.issuerHost).toBe("westeurope.oic.prod-aks.azure.com");
    expect(config.issuerPath).toBe("/abc/");
    expect(config.ports.proxy).toBe(3128);
  });

  it.each([
    ["a URL", { issuerHost: "https://oidc.example/" }],
    ["one label", { issuerHost: "localhost" }],
    ["upper case", { issuerHost: "OIDC.example.com" }],
    ["a number", { issuerHost: 7 }],
  ])("refuses an issuer host that is %s", (_what, realHostnames) => {
    expect(() => resolveConfig({ realHostnames } as EmulatorConfigInput)).toThrow(
      at("realHostnames.issuerHost"),
    );
  });

  it("refuses a value that is neither a boolean nor an object, and a bad proxy port", () => {
    expect(() => resolveConfig({ realHostnames: "yes" } as unknown as EmulatorConfigInput)).toThrow(
      at("realHostnames"),
    );
    expect(() => resolveConfig({ ports: { proxy: 65536 } })).toThrow(at("ports.proxy"));
  });
});

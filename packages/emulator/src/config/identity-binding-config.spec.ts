import { createHash } from "node:crypto";
import {
  DEFAULT_CLIENT_ID,
  DEFAULT_TENANT_ID,
  TOKEN_EXCHANGE_AUDIENCE,
  resolveConfig,
} from "./emulator-config.js";
import { EmulatorConfigError } from "./config-error.js";
import {
  IDENTITY_BINDING_AUDIENCE,
  grants,
  serviceAccountOf,
  type IdentityBindingInput,
} from "./identity-binding-config.js";

const DIRECT_CLIENT = "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee";
const SECOND_TENANT = "11111111-2222-4333-8444-555555555555";

const binding = (identityBinding: IdentityBindingInput = {}) => resolveConfig({ identityBinding });

function problem(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(EmulatorConfigError);
    return (error as Error).message;
  }
  throw new Error("expected a throw");
}

describe("identity-binding mode off", () => {
  it("leaves the configuration as it was: no section, the token-exchange audience, the cluster credential", () => {
    const config = resolveConfig();

    expect("identityBinding" in config).toBe(false);
    expect(config.serviceAccount.audience).toBe(TOKEN_EXCHANGE_AUDIENCE);
    expect(config.applications[0]?.federatedIdentityCredentials).toEqual([
      {
        name: "kubernetes-federated-credential",
        subject: "system:serviceaccount:default:workload-identity-sa",
        audiences: [TOKEN_EXCHANGE_AUDIENCE],
      },
    ]);
  });

  it("is also off for identityBinding: null (a JSON document may spell it so)", () => {
    expect("identityBinding" in resolveConfig({ identityBinding: null })).toBe(false);
  });
});

describe("identity-binding mode defaults ({})", () => {
  it("binds the first application and lets the pod's service account use it", () => {
    const config = binding();

    expect(config.identityBinding?.identities).toEqual([
      { clientId: DEFAULT_CLIENT_ID, tenantId: DEFAULT_TENANT_ID },
    ]);
    expect(config.identityBinding?.allow).toEqual([
      { clientId: DEFAULT_CLIENT_ID, subjects: ["system:serviceaccount:default:workload-identity-sa"] },
    ]);
  });

  it("projects the pod's token for api://AKSIdentityBinding, as the webhook does for a binding pod", () => {
    expect(binding().serviceAccount.audience).toBe(IDENTITY_BINDING_AUDIENCE);
    expect(IDENTITY_BINDING_AUDIENCE).toBe("api://AKSIdentityBinding");
  });

  it("keeps an audience set explicitly, so a test can project the wrong one", () => {
    const config = resolveConfig({
      identityBinding: {},
      serviceAccount: { audience: TOKEN_EXCHANGE_AUDIENCE },
    });

    expect(config.serviceAccount.audience).toBe(TOKEN_EXCHANGE_AUDIENCE);
  });

  it("gives the bound identity one federated credential, AKS's, for its binding issuer and not the cluster's", () => {
    expect(binding().applications[0]?.federatedIdentityCredentials).toEqual([
      {
        name: "aks-identity-binding",
        subject: DEFAULT_CLIENT_ID,
        audiences: [TOKEN_EXCHANGE_AUDIENCE],
        identityBinding: true,
      },
    ]);
  });

  it("names the proxy like AKS: a 64-digit SHA-256 label under .ests.aks", () => {
    const expected = createHash("sha256").update("identity-bindingworkload-identity-emulator").digest("hex");

    expect(binding().identityBinding?.sniName).toBe(`${expected}.ests.aks`);
  });

  it("serves the proxy at the root, rotates its CA daily, and listens on any free ports", () => {
    expect(binding().identityBinding).toMatchObject({
      basePath: "/",
      caRotationSeconds: 86_400,
      port: 0,
      issuerPort: 0,
    });
  });
});

describe("identity-binding mode beside direct federation", () => {
  const config = resolveConfig({
    applications: [{}, { clientId: DIRECT_CLIENT, displayName: "direct" }],
    identityBinding: { identities: [{ clientId: DEFAULT_CLIENT_ID }] },
  });

  it("leaves an unbound application its cluster credential", () => {
    expect(config.applications[1]?.federatedIdentityCredentials).toEqual([
      {
        name: "kubernetes-federated-credential",
        subject: "system:serviceaccount:default:workload-identity-sa",
        audiences: [TOKEN_EXCHANGE_AUDIENCE],
      },
    ]);
  });

  it("adds AKS's credential to a bound application's explicit ones", () => {
    const explicit = resolveConfig({
      applications: [
        { federatedIdentityCredentials: [{ name: "mine", subject: "system:serviceaccount:a:b" }] },
      ],
      identityBinding: {},
    });

    expect(explicit.applications[0]?.federatedIdentityCredentials.map((f) => f.name)).toEqual([
      "mine",
      "aks-identity-binding",
    ]);
  });

  it("binds only the application of the named tenant when a client id is in two tenants", () => {
    const twoTenants = resolveConfig({
      tenants: [{}, { id: SECOND_TENANT, domains: ["fabrikam.onmicrosoft.com"] }],
      applications: [{}, { tenantId: SECOND_TENANT }],
      identityBinding: { identities: [{ clientId: DEFAULT_CLIENT_ID, tenantId: SECOND_TENANT }] },
    });

    expect(twoTenants.applications.map((a) => a.federatedIdentityCredentials[0]?.name)).toEqual([
      "kubernetes-federated-credential",
      "aks-identity-binding",
    ]);
    expect(twoTenants.identityBinding?.identities).toEqual([
      { clientId: DEFAULT_CLIENT_ID, tenantId: SECOND_TENANT },
    ]);
  });
});

describe("identity-binding validation", () => {
  it.each<[string, IdentityBindingInput, string]>([
    [
      "an identity no application has",
      { identities: [{ clientId: DIRECT_CLIENT }] },
      "identityBinding.identities[0]",
    ],
    [
      "a client id that is no GUID",
      { identities: [{ clientId: "my-app" }] },
      "identityBinding.identities[0].clientId",
    ],
    ["no identities at all", { identities: [] }, "identityBinding.identities"],
    [
      "a grant without subjects",
      { allow: [{ clientId: DEFAULT_CLIENT_ID, subjects: [] }] },
      "identityBinding.allow[0].subjects",
    ],
    [
      "a subject that is no service account",
      { allow: [{ clientId: DEFAULT_CLIENT_ID, subjects: ["system:serviceaccount:default"] }] },
      "identityBinding.allow[0].subjects[0]",
    ],
    ["a single-label server name", { sniName: "proxy" }, "identityBinding.sniName"],
    ["an upper-case server name", { sniName: "Proxy.ests.aks" }, "identityBinding.sniName"],
    ["an IP address as server name", { sniName: "10.0.0.1" }, "identityBinding.sniName"],
    ["a base path without a leading slash", { basePath: "base" }, "identityBinding.basePath"],
    ["a base path with a query", { basePath: "/base?x=1" }, "identityBinding.basePath"],
    ["a base path with a double slash", { basePath: "/a//b" }, "identityBinding.basePath"],
    ["a malformed percent-encoding", { basePath: "/a%zz" }, "identityBinding.basePath"],
    ["a rotation of zero seconds", { caRotationSeconds: 0 }, "identityBinding.caRotationSeconds"],
    [
      "a rotation beyond a timer's reach",
      { caRotationSeconds: 3_000_000 },
      "identityBinding.caRotationSeconds",
    ],
    ["a port out of range", { port: 70_000 }, "identityBinding.port"],
  ])("refuses %s, naming the path", (_name, input, path) => {
    expect(problem(() => binding(input))).toMatch(
      new RegExp(`^Invalid emulator configuration at ${path.replace(/[[\].]/g, "\\$&")}: `),
    );
  });

  it("refuses a section that is no object, as a JSON document could hold", () => {
    const input = JSON.parse('{"identityBinding": true}') as Parameters<typeof resolveConfig>[0];

    expect(problem(() => resolveConfig(input))).toMatch(
      /^Invalid emulator configuration at identityBinding: must be an object/,
    );
  });

  it("refuses a client id bound in two tenants without a tenantId", () => {
    const message = problem(() =>
      resolveConfig({
        tenants: [{}, { id: SECOND_TENANT, domains: ["fabrikam.onmicrosoft.com"] }],
        applications: [{}, { tenantId: SECOND_TENANT }],
        identityBinding: {},
      }),
    );

    expect(message).toContain("set tenantId");
  });

  it("accepts a base path with a trailing slash and drops the slash", () => {
    expect(binding({ basePath: "/token/proxy/" }).identityBinding?.basePath).toBe("/token/proxy");
  });

  it("accepts null as on-demand rotation only", () => {
    expect(binding({ caRotationSeconds: null }).identityBinding?.caRotationSeconds).toBeNull();
  });

  it("accepts a grant for an identity no binding names (the proxy refuses it at request time)", () => {
    expect(
      binding({ allow: [{ clientId: DIRECT_CLIENT, subjects: ["system:serviceaccounts"] }] }).identityBinding
        ?.allow,
    ).toEqual([{ clientId: DIRECT_CLIENT, subjects: ["system:serviceaccounts"] }]);
  });
});

describe("service accounts and grants", () => {
  it("reads the namespace and name from a service account token's subject", () => {
    expect(serviceAccountOf("system:serviceaccount:prod:api")).toEqual(["prod", "api"]);
    expect(serviceAccountOf("system:serviceaccount:prod")).toBeUndefined();
    expect(serviceAccountOf("user@example.com")).toBeUndefined();
  });

  it.each([
    ["the service account itself", "system:serviceaccount:prod:api", true],
    ["its namespace's service accounts", "system:serviceaccounts:prod", true],
    ["every service account", "system:serviceaccounts", true],
    ["another account of its namespace", "system:serviceaccount:prod:web", false],
    ["another namespace's service accounts", "system:serviceaccounts:dev", false],
  ])("a grant to %s covers prod/api: %s", (_name, subject, expected) => {
    expect(grants([subject], "prod", "api")).toBe(expected);
  });
});

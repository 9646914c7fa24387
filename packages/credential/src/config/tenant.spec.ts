import { CredentialUnavailableError } from "../errors/errors.js";
import { tenantForRequest, type TenantPolicy } from "./tenant.js";

const CONFIGURED = "72f988bf-86f1-41af-91ab-2d7cd011db47";
const OTHER = "11111111-2222-3333-4444-555555555555";

function policy(allowed: string[], multiTenantDisabled = false): TenantPolicy {
  return { configured: CONFIGURED, allowed, multiTenantDisabled };
}

/** What `run` throws; fails the test when it returns instead. */
function thrownBy(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error("expected a throw, but the call returned");
}

describe("tenantForRequest", () => {
  it.each([
    ["no tenant is requested", undefined],
    ["the requested tenant is empty", ""],
    ["the configured tenant is requested", CONFIGURED],
    ["the configured tenant is requested in another case", CONFIGURED.toUpperCase()],
  ])("gives the configured tenant when %s, whatever is allowed", (_case, requested) => {
    expect(tenantForRequest(policy([]), requested)).toBe(CONFIGURED);
  });

  it("gives an additionally allowed tenant when it is requested", () => {
    expect(tenantForRequest(policy(["contoso.com", OTHER]), OTHER)).toBe(OTHER);
  });

  it("matches the allowed list case-insensitively and keeps the requested spelling", () => {
    expect(tenantForRequest(policy(["Contoso.onmicrosoft.com"]), "contoso.ONMICROSOFT.com")).toBe(
      "contoso.ONMICROSOFT.com",
    );
  });

  it('gives any valid requested tenant when "*" is allowed', () => {
    expect(tenantForRequest(policy(["*"]), OTHER)).toBe(OTHER);
    expect(tenantForRequest(policy(["fabrikam.com", "*"]), "contoso.com")).toBe("contoso.com");
  });

  it("refuses a tenant that is not allowed with ERR_TENANT_NOT_ALLOWED, naming it and the setting that allows it", () => {
    const error = thrownBy(() => tenantForRequest(policy(["fabrikam.com"]), OTHER));

    expect(error).toBeInstanceOf(CredentialUnavailableError);
    expect(error).toMatchObject({
      name: "CredentialUnavailableError",
      code: "ERR_TENANT_NOT_ALLOWED",
      message: expect.stringContaining(`"${OTHER}"`),
    });
    expect((error as Error).message).toContain("additionallyAllowedTenants");
    expect((error as Error).message).toContain("AZURE_ADDITIONALLY_ALLOWED_TENANTS");
    expect((error as Error).message).not.toMatch(/[\r\n]/);
  });

  it("refuses any other tenant when nothing is additionally allowed", () => {
    expect(() => tenantForRequest(policy([]), "contoso.com")).toThrow(CredentialUnavailableError);
  });

  it.each(["contoso.com/../evil", "tenant id", "a?b", "tenant#1", "tenant\n", ".", "..", "-"])(
    'refuses the requested tenant %j, which is not a tenant id or domain, even with "*"',
    (requested) => {
      expect(thrownBy(() => tenantForRequest(policy(["*"]), requested))).toMatchObject({
        name: "CredentialUnavailableError",
        code: "ERR_INVALID_CONFIGURATION",
        message: expect.stringContaining('may contain only letters, digits, "-" and "."'),
      });
    },
  );

  it("gives the configured tenant for any request when AZURE_IDENTITY_DISABLE_MULTITENANTAUTH is set, as @azure/identity does", () => {
    expect(tenantForRequest(policy(["*"], true), OTHER)).toBe(CONFIGURED);
    expect(tenantForRequest(policy([], true), "contoso.com")).toBe(CONFIGURED);
  });
});

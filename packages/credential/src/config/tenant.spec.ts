import { CredentialUnavailableError } from "../errors/errors.js";
import { tenantForRequest } from "./tenant.js";

const CONFIGURED = "72f988bf-86f1-41af-91ab-2d7cd011db47";
const OTHER = "11111111-2222-3333-4444-555555555555";

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
    expect(tenantForRequest(CONFIGURED, [], requested)).toBe(CONFIGURED);
  });

  it("gives an additionally allowed tenant when it is requested", () => {
    expect(tenantForRequest(CONFIGURED, ["contoso.com", OTHER], OTHER)).toBe(OTHER);
  });

  it("matches the allowed list case-insensitively and keeps the requested spelling", () => {
    expect(tenantForRequest(CONFIGURED, ["Contoso.onmicrosoft.com"], "contoso.ONMICROSOFT.com")).toBe(
      "contoso.ONMICROSOFT.com",
    );
  });

  it('gives any valid requested tenant when "*" is allowed', () => {
    expect(tenantForRequest(CONFIGURED, ["*"], OTHER)).toBe(OTHER);
    expect(tenantForRequest(CONFIGURED, ["fabrikam.com", "*"], "contoso.com")).toBe("contoso.com");
  });

  it("refuses a tenant that is not allowed with ERR_TENANT_NOT_ALLOWED, naming it and the setting that allows it", () => {
    const error = thrownBy(() => tenantForRequest(CONFIGURED, ["fabrikam.com"], OTHER));

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
    expect(() => tenantForRequest(CONFIGURED, [], "contoso.com")).toThrow(CredentialUnavailableError);
  });

  it.each(["contoso.com/../evil", "tenant id", "a?b", "tenant#1", "tenant\n", ".", "..", "-"])(
    'refuses the requested tenant %j, which is not a tenant id or domain, even with "*"',
    (requested) => {
      expect(thrownBy(() => tenantForRequest(CONFIGURED, ["*"], requested))).toMatchObject({
        name: "CredentialUnavailableError",
        code: "ERR_INVALID_CONFIGURATION",
        message: expect.stringContaining('may contain only letters, digits, "-" and "."'),
      });
    },
  );
});

import { CredentialUnavailableError } from "../errors/errors.js";
import type { WorkloadIdentityCredentialOptions } from "./options.js";
import { resolveConfig } from "./resolve-config.js";

const CLIENT_ID = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
const TENANT_ID = "72f988bf-86f1-41af-91ab-2d7cd011db47";
const TOKEN_FILE = "/var/run/secrets/azure/tokens/azure-identity-token";

/** What the Workload Identity webhook injects into a labelled pod. */
const WEBHOOK_ENV = Object.freeze({
  AZURE_CLIENT_ID: CLIENT_ID,
  AZURE_TENANT_ID: TENANT_ID,
  AZURE_FEDERATED_TOKEN_FILE: TOKEN_FILE,
  AZURE_AUTHORITY_HOST: "https://login.microsoftonline.com/",
});

function env(overrides: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return { ...WEBHOOK_ENV, ...overrides };
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

function configError(options: WorkloadIdentityCredentialOptions, environment = env()): unknown {
  return thrownBy(() => resolveConfig(options, environment));
}

const ONE_LINE = expect.not.stringMatching(/[\r\n]/);

describe("resolveConfig", () => {
  it("reads the webhook's environment and fills in the defaults", () => {
    expect(resolveConfig({}, env())).toEqual({
      clientId: CLIENT_ID,
      tenantId: TENANT_ID,
      tokenFilePath: TOKEN_FILE,
      authorityHost: "https://login.microsoftonline.com/",
      additionallyAllowedTenants: [],
      retry: {
        maxRetries: 4,
        initialDelayMs: 300,
        maxDelayMs: 10_000,
        maxRetryAfterMs: 60_000,
        attemptTimeoutMs: 15_000,
      },
      timeoutMs: 60_000,
      federatedCredentialPropagationMs: 60_000,
      loggingEnabled: true,
      multiTenantDisabled: false,
      logAccountIdentifiers: false,
      supportLogging: false,
      warnings: [],
      tokenProxy: undefined,
      notes: [],
    });
  });

  describe("an explicit option wins over its environment variable", () => {
    it("clientId over AZURE_CLIENT_ID", () => {
      const explicit = "ffffffff-eeee-4ddd-8ccc-bbbbbbbbbbbb";
      expect(resolveConfig({ clientId: explicit }, env()).clientId).toBe(explicit);
    });

    it("tenantId over AZURE_TENANT_ID", () => {
      expect(resolveConfig({ tenantId: "contoso.onmicrosoft.com" }, env()).tenantId).toBe(
        "contoso.onmicrosoft.com",
      );
    });

    it("tokenFilePath over AZURE_FEDERATED_TOKEN_FILE", () => {
      const explicit = "/var/run/secrets/azure/wi/token/azure-identity-token";
      expect(resolveConfig({ tokenFilePath: explicit }, env()).tokenFilePath).toBe(explicit);
    });

    it("authorityHost over AZURE_AUTHORITY_HOST", () => {
      expect(resolveConfig({ authorityHost: "https://login.microsoftonline.us/" }, env()).authorityHost).toBe(
        "https://login.microsoftonline.us/",
      );
    });
  });

  it("uses the options alone when the environment is empty", () => {
    const config = resolveConfig({ clientId: CLIENT_ID, tenantId: TENANT_ID, tokenFilePath: TOKEN_FILE }, {});

    expect(config).toMatchObject({ clientId: CLIENT_ID, tenantId: TENANT_ID, tokenFilePath: TOKEN_FILE });
  });

  it("trims whitespace around environment values and options", () => {
    const config = resolveConfig(
      { tokenFilePath: `  ${TOKEN_FILE}\n` },
      env({ AZURE_CLIENT_ID: ` ${CLIENT_ID}\n`, AZURE_TENANT_ID: `\t${TENANT_ID} ` }),
    );

    expect(config).toMatchObject({ clientId: CLIENT_ID, tenantId: TENANT_ID, tokenFilePath: TOKEN_FILE });
  });

  describe("a required setting that is missing", () => {
    it.each([
      ["AZURE_CLIENT_ID", "clientId"],
      ["AZURE_TENANT_ID", "tenantId"],
      ["AZURE_FEDERATED_TOKEN_FILE", "tokenFilePath"],
    ])(
      "%s unset and no %s option: CredentialUnavailableError naming the variable, option, label and annotation",
      (variable, option) => {
        const error = configError({}, env({ [variable]: undefined }));

        expect(error).toBeInstanceOf(CredentialUnavailableError);
        expect(error).toMatchObject({
          name: "CredentialUnavailableError",
          code: "ERR_MISSING_CONFIGURATION",
          message: ONE_LINE,
        });
        const { message } = error as Error;
        expect(message).toContain(`${variable} is not set`);
        expect(message).toContain(`no ${option} option`);
        expect(message).toContain('azure.workload.identity/use: "true"');
        expect(message).toContain("azure.workload.identity/client-id");
      },
    );

    it.each([
      ["AZURE_CLIENT_ID", ""],
      ["AZURE_CLIENT_ID", "   "],
      ["AZURE_TENANT_ID", ""],
      ["AZURE_TENANT_ID", " \n"],
      ["AZURE_FEDERATED_TOKEN_FILE", ""],
      ["AZURE_FEDERATED_TOKEN_FILE", "\t"],
    ])("%s set to %j counts as missing and says it is empty", (variable, value) => {
      const error = configError({}, env({ [variable]: value }));

      expect(error).toBeInstanceOf(CredentialUnavailableError);
      expect(error).toMatchObject({
        name: "CredentialUnavailableError",
        code: "ERR_MISSING_CONFIGURATION",
        message: expect.stringContaining(`${variable} is empty`),
      });
      expect((error as Error).message).toContain("azure.workload.identity/use");
      expect((error as Error).message).toContain("azure.workload.identity/client-id");
    });

    it("reports the client id first when nothing is configured", () => {
      expect(configError({}, {})).toMatchObject({ message: expect.stringContaining("AZURE_CLIENT_ID") });
    });
  });

  it.each([
    ["clientId", ""],
    ["tenantId", "  "],
    ["tokenFilePath", ""],
  ] as const)(
    "treats an empty %s option as not given and falls back to the environment, as every Azure SDK does",
    (option, value) => {
      const fromEnvironment = resolveConfig({}, env());
      expect(resolveConfig({ [option]: value }, env())[option]).toBe(fromEnvironment[option]);
    },
  );

  it.each([
    ["clientId", "AZURE_CLIENT_ID"],
    ["tenantId", "AZURE_TENANT_ID"],
    ["tokenFilePath", "AZURE_FEDERATED_TOKEN_FILE"],
  ] as const)("says both are empty when the %s option and %s are", (option, variable) => {
    expect(configError({ [option]: "" }, env({ [variable]: undefined }))).toMatchObject({
      name: "CredentialUnavailableError",
      code: "ERR_MISSING_CONFIGURATION",
      message: expect.stringContaining(`${variable} is not set and an empty ${option} option was given`),
    });
  });

  it("falls back from an empty authorityHost option to AZURE_AUTHORITY_HOST", () => {
    expect(
      resolveConfig({ authorityHost: "" }, env({ AZURE_AUTHORITY_HOST: "https://login.microsoftonline.us" }))
        .authorityHost,
    ).toBe("https://login.microsoftonline.us/");
  });

  it.each([
    ["clientId", 42],
    ["tenantId", { id: "x" }],
    ["tokenFilePath", true],
  ])("refuses a %s option that is not a string (plain JavaScript)", (option, value) => {
    expect(configError({ [option]: value })).toMatchObject({
      code: "ERR_INVALID_CONFIGURATION",
      message: expect.stringContaining(`the ${option} option must be a string`),
    });
  });

  describe("client id", () => {
    it.each([
      "my-app",
      "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4",
      "{0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d}",
      "0a1b2c3d4e5f4a6b8c7d9e0f1a2b3c4d",
    ])(
      "accepts %j, which is not a GUID, with a warning naming it (every Azure SDK accepts any client id)",
      (clientId) => {
        const config = resolveConfig({ clientId }, env());

        expect(config.clientId).toBe(clientId);
        expect(config.warnings).toEqual([
          expect.stringContaining(`the client id ${JSON.stringify(clientId)} is not a GUID`),
        ]);
      },
    );

    it("gives no warning for a GUID", () => {
      expect(resolveConfig({}, env()).warnings).toEqual([]);
    });

    it("accepts an upper-case GUID", () => {
      expect(resolveConfig({ clientId: CLIENT_ID.toUpperCase() }, env()).clientId).toBe(
        CLIENT_ID.toUpperCase(),
      );
    });
  });

  describe("tenant", () => {
    it.each([TENANT_ID, "contoso.onmicrosoft.com", "contoso-dev.example.co.uk"])("accepts %j", (tenantId) => {
      expect(resolveConfig({}, env({ AZURE_TENANT_ID: tenantId })).tenantId).toBe(tenantId);
    });

    it.each([
      "contoso.onmicrosoft.com/evil",
      "../common",
      "tenant id",
      "a?b=c",
      "tenant#x",
      "tenänt",
      ".",
      "..",
      "-",
      ".-.",
    ])(
      "rejects %j: characters outside [0-9a-zA-Z-.], or no letter or digit (a dot segment would leave the authority's path)",
      (tenantId) => {
        expect(configError({}, env({ AZURE_TENANT_ID: tenantId }))).toMatchObject({
          name: "CredentialUnavailableError",
          code: "ERR_INVALID_CONFIGURATION",
          message: expect.stringContaining('may contain only letters, digits, "-" and "."'),
        });
      },
    );
  });

  describe("authority host", () => {
    it("defaults to the public cloud when neither the option nor AZURE_AUTHORITY_HOST is set", () => {
      expect(resolveConfig({}, env({ AZURE_AUTHORITY_HOST: undefined })).authorityHost).toBe(
        "https://login.microsoftonline.com/",
      );
    });

    it("defaults to the public cloud when AZURE_AUTHORITY_HOST is blank", () => {
      expect(resolveConfig({}, env({ AZURE_AUTHORITY_HOST: "  " })).authorityHost).toBe(
        "https://login.microsoftonline.com/",
      );
    });

    it.each([
      ["https://login.microsoftonline.us", "https://login.microsoftonline.us/"],
      ["https://login.chinacloudapi.cn/", "https://login.chinacloudapi.cn/"],
      ["https://127.0.0.1:8443", "https://127.0.0.1:8443/"],
      ["https://login.example/adfs", "https://login.example/adfs/"],
      ["https://LOGIN.MicrosoftOnline.com", "https://login.microsoftonline.com/"],
    ])("normalises %j to %j (https, one trailing slash)", (given, expected) => {
      expect(resolveConfig({}, env({ AZURE_AUTHORITY_HOST: given })).authorityHost).toBe(expected);
    });

    it.each([
      ["over http", "http://login.microsoftonline.com/", "must use https"],
      ["with a query", "https://login.microsoftonline.com/?x=1", "must not have a query or fragment"],
      ["with a fragment", "https://login.microsoftonline.com/#top", "must not have a query or fragment"],
      ["with credentials", "https://user:pass@login.microsoftonline.com/", "must not contain credentials"],
      ["that is not a URL", "login.microsoftonline.com", "is not a URL"],
    ])("rejects an authority host %s", (_case, authorityHost, problem) => {
      expect(configError({ authorityHost })).toMatchObject({
        name: "CredentialUnavailableError",
        code: "ERR_INVALID_CONFIGURATION",
        message: expect.stringContaining(problem),
      });
    });

    it("rejects an authority host from AZURE_AUTHORITY_HOST just as from the option", () => {
      expect(
        configError({}, env({ AZURE_AUTHORITY_HOST: "http://login.microsoftonline.com/" })),
      ).toMatchObject({
        code: "ERR_INVALID_CONFIGURATION",
        message: expect.stringContaining("must use https"),
      });
    });

    it.each([
      ["a signed query", "https://login.example/?sig=S3cret", "must not have a query or fragment"],
      ["a signed query over http", "http://login.example/?sig=S3cret", "must use https"],
      ["a fragment", "https://login.example/#S3cret", "must not have a query or fragment"],
    ])("does not repeat %s of a refused authority host", (_case, authorityHost, problem) => {
      const error = configError({ authorityHost }) as Error;
      expect(error.message).toContain(problem);
      expect(error.message).not.toContain("S3cret");
    });

    it("does not repeat the password of an https authority host with credentials", () => {
      expect(configError({ authorityHost: "https://admin:Hunter2-S3cret@login.example/" })).toMatchObject({
        message: expect.not.stringContaining("Hunter2-S3cret"),
      });
    });
  });

  describe("additionally allowed tenants", () => {
    it("splits AZURE_ADDITIONALLY_ALLOWED_TENANTS on semicolons, trimming and dropping blanks", () => {
      const config = resolveConfig(
        {},
        env({
          AZURE_ADDITIONALLY_ALLOWED_TENANTS: " fabrikam.com ;;  ; *;11111111-2222-3333-4444-555555555555; ",
        }),
      );

      expect(config.additionallyAllowedTenants).toEqual([
        "fabrikam.com",
        "*",
        "11111111-2222-3333-4444-555555555555",
      ]);
    });

    it("takes the option alone when it is given: the environment never widens an explicit allow-list", () => {
      const config = resolveConfig(
        { additionallyAllowedTenants: ["contoso.com", ""] },
        env({ AZURE_ADDITIONALLY_ALLOWED_TENANTS: "fabrikam.com;*" }),
      );

      expect(config.additionallyAllowedTenants).toEqual(["contoso.com"]);
    });

    it("takes an empty option as an explicit empty list, not as absent", () => {
      expect(
        resolveConfig({ additionallyAllowedTenants: [] }, env({ AZURE_ADDITIONALLY_ALLOWED_TENANTS: "*" }))
          .additionallyAllowedTenants,
      ).toEqual([]);
    });

    it("reads AZURE_ADDITIONALLY_ALLOWED_TENANTS when the option is absent", () => {
      expect(
        resolveConfig({}, env({ AZURE_ADDITIONALLY_ALLOWED_TENANTS: "fabrikam.com; contoso.com" }))
          .additionallyAllowedTenants,
      ).toEqual(["fabrikam.com", "contoso.com"]);
    });

    it("refuses an additionallyAllowedTenants that is not an array (plain JavaScript)", () => {
      expect(
        configError({
          additionallyAllowedTenants: "contoso.com",
        } as unknown as WorkloadIdentityCredentialOptions),
      ).toMatchObject({
        code: "ERR_INVALID_CONFIGURATION",
        message: expect.stringContaining("must be an array"),
      });
    });

    it("is empty when the variable is blank and no option is given", () => {
      expect(
        resolveConfig({}, env({ AZURE_ADDITIONALLY_ALLOWED_TENANTS: " ; " })).additionallyAllowedTenants,
      ).toEqual([]);
    });
  });

  describe("retry and timeout", () => {
    it("takes the retry options and timeout as given, zero retries included", () => {
      const config = resolveConfig(
        {
          retryOptions: { maxRetries: 0, initialDelayMs: 50, maxDelayMs: 2_000 },
          timeoutMs: 5_000,
          loggingEnabled: false,
        },
        env(),
      );

      expect(config.retry).toEqual({
        maxRetries: 0,
        initialDelayMs: 50,
        maxDelayMs: 2_000,
        maxRetryAfterMs: 60_000,
        attemptTimeoutMs: 2_500, // half the whole call, so a hung attempt leaves time for another
      });
      expect(config.timeoutMs).toBe(5_000);
      expect(config.loggingEnabled).toBe(false);
    });

    it("defaults each retry option it is not given", () => {
      expect(resolveConfig({ retryOptions: { maxRetries: 1 } }, env()).retry).toEqual({
        maxRetries: 1,
        initialDelayMs: 300,
        maxDelayMs: 10_000,
        maxRetryAfterMs: 60_000,
        attemptTimeoutMs: 15_000,
      });
    });

    it.each([["timeoutMs"], ["initialDelayMs"], ["maxDelayMs"]])(
      "refuses a %s beyond setTimeout's limit, which Node would turn into 1 ms",
      (option) => {
        const options =
          option === "timeoutMs" ? { timeoutMs: 2 ** 31 } : { retryOptions: { [option]: 2 ** 31 } };
        expect(configError(options)).toMatchObject({
          code: "ERR_INVALID_CONFIGURATION",
          message: expect.stringContaining("at most 2147483647"),
        });
      },
    );

    it.each(["common", "organizations", "consumers"])("refuses %s, which names no tenant", (tenantId) => {
      expect(configError({ tenantId })).toMatchObject({
        code: "ERR_INVALID_CONFIGURATION",
        message: expect.stringContaining("is not a tenant"),
      });
    });

    const invalidNumbers: [string, number][] = [
      ["negative", -1],
      ["NaN", Number.NaN],
      ["infinite", Number.POSITIVE_INFINITY],
      ["a string", "3" as unknown as number],
    ];

    it.each(
      (["maxRetries", "initialDelayMs", "maxDelayMs"] as const).flatMap((option) =>
        invalidNumbers.map(([kind, value]) => [option, kind, value] as const),
      ),
    )("rejects retryOptions.%s when %s", (option, _kind, value) => {
      expect(configError({ retryOptions: { [option]: value } })).toMatchObject({
        name: "CredentialUnavailableError",
        code: "ERR_INVALID_CONFIGURATION",
        message: expect.stringContaining(`retryOptions.${option} must be a number >= 0`),
      });
    });

    it.each(invalidNumbers)("rejects timeoutMs when %s", (_kind, timeoutMs) => {
      expect(configError({ timeoutMs })).toMatchObject({
        code: "ERR_INVALID_CONFIGURATION",
        message: expect.stringContaining("timeoutMs must be a number >= 0"),
      });
    });

    it("rejects a timeout of 0, which would fail every call", () => {
      expect(configError({ timeoutMs: 0 })).toMatchObject({
        code: "ERR_INVALID_CONFIGURATION",
        message: expect.stringContaining("timeoutMs must be greater than 0"),
      });
    });
  });

  it("gives every configuration error a one-line message starting with the credential's name", () => {
    const errors = [
      configError({}, {}),
      configError({ tenantId: "../common" }),
      configError({ authorityHost: "http://x/" }),
      configError({ timeoutMs: -1 }),
    ];

    for (const error of errors) {
      expect(error).toMatchObject({
        message: expect.stringMatching(/^WorkloadIdentityCredential: [^\r\n]+$/),
      });
    }
  });

  it("neither mutates nor keeps the caller's options and environment", () => {
    const tenants = Object.freeze(["fabrikam.com"]);
    const options = Object.freeze({
      clientId: ` ${CLIENT_ID} `,
      authorityHost: "https://login.microsoftonline.us",
      additionallyAllowedTenants: tenants as string[],
      retryOptions: Object.freeze({ maxRetries: 2 }),
    });
    const environment = Object.freeze(env({ AZURE_ADDITIONALLY_ALLOWED_TENANTS: "contoso.com" }));
    const before = structuredClone(options);

    const config = resolveConfig(options, environment);

    expect(options).toEqual(before);
    expect(config.additionallyAllowedTenants).toEqual(["fabrikam.com"]);
    expect(config.additionallyAllowedTenants).not.toBe(tenants);
    expect(tenants).toEqual(["fabrikam.com"]);
  });
});

describe("resolveConfig keeps messages safe and on one line", () => {
  it.each(["https://login.microsoftonline.com/?", "https://login.microsoftonline.com/#"])(
    "rejects a bare query or fragment in %s",
    (authorityHost) => {
      expect(configError({ authorityHost })).toMatchObject({
        code: "ERR_INVALID_CONFIGURATION",
        message: expect.stringContaining("query or fragment"),
      });
    },
  );

  it.each([
    "http://admin:S3cret@login.microsoftonline.com/",
    "https://admin:S3cret@login.microsoftonline.com/?x=1",
    "user:S3cret@login.microsoftonline.com",
    "https://user:p/S3cret@login.microsoftonline.com/",
    "https://user:p#S3cret@login.microsoftonline.com/",
  ])("never echoes credentials in the authority host %s", (authorityHost) => {
    const error = configError({ authorityHost }) as Error;
    expect(error.message).toContain("must not contain credentials");
    expect(error.message).not.toContain("S3cret");
  });

  it.each([-1, Number.NaN, 2 ** 31])("refuses federatedCredentialPropagationMs %s", (value) => {
    expect(configError({ federatedCredentialPropagationMs: value })).toMatchObject({
      code: "ERR_INVALID_CONFIGURATION",
      message: expect.stringContaining("federatedCredentialPropagationMs"),
    });
  });

  it("takes federatedCredentialPropagationMs 0, which turns the propagation wait off", () => {
    expect(
      resolveConfig({ federatedCredentialPropagationMs: 0 }, env()).federatedCredentialPropagationMs,
    ).toBe(0);
  });

  it("requires a whole number of retries", () => {
    expect(configError({ retryOptions: { maxRetries: 1.5 } })).toMatchObject({
      message: expect.stringContaining("whole number"),
    });
  });

  it("escapes a newline in a bad tenant instead of breaking the message", () => {
    expect(configError({ tenantId: "evil\nline2" })).toMatchObject({ message: ONE_LINE });
  });
});

describe("resolveConfig reads @azure/identity's options", () => {
  it("takes retryDelayInMs and maxRetryDelayInMs as the backoff delays", () => {
    const { retry } = resolveConfig(
      { retryOptions: { maxRetries: 2, retryDelayInMs: 800, maxRetryDelayInMs: 4_000 } },
      env(),
    );

    expect(retry).toMatchObject({ maxRetries: 2, initialDelayMs: 800, maxDelayMs: 4_000 });
  });

  it("lets the @azure/identity names win over this package's, with a warning naming each loser", () => {
    const config = resolveConfig(
      { retryOptions: { retryDelayInMs: 800, initialDelayMs: 50, maxRetryDelayInMs: 4_000, maxDelayMs: 9 } },
      env(),
    );

    expect(config.retry).toMatchObject({ initialDelayMs: 800, maxDelayMs: 4_000 });
    expect(config.warnings).toEqual([
      expect.stringContaining("retryOptions.initialDelayMs is ignored: retryOptions.retryDelayInMs"),
      expect.stringContaining("retryOptions.maxDelayMs is ignored: retryOptions.maxRetryDelayInMs"),
    ]);
  });

  it("names the option it refuses by the name that was given", () => {
    expect(configError({ retryOptions: { retryDelayInMs: -1 } })).toMatchObject({
      message: expect.stringContaining("retryOptions.retryDelayInMs must be a number >= 0"),
    });
  });

  it("reads loggingOptions", () => {
    const config = resolveConfig(
      { loggingOptions: { allowLoggingAccountIdentifiers: true, enableUnsafeSupportLogging: true } },
      env(),
    );

    expect(config).toMatchObject({ logAccountIdentifiers: true, supportLogging: true, warnings: [] });
  });

  it("accepts disableInstanceDiscovery silently: no discovery request is ever made", () => {
    expect(resolveConfig({ disableInstanceDiscovery: false }, env()).warnings).toEqual([]);
  });

  it("warns about each pipeline option it does not use", () => {
    const config = resolveConfig(
      { httpClient: {}, proxyOptions: { host: "http://proxy" }, allowInsecureConnection: true },
      env(),
    );

    expect(config.warnings).toEqual([
      expect.stringContaining("the httpClient option (from @azure/identity) is not used"),
      expect.stringContaining("the proxyOptions option (from @azure/identity) is not used"),
      expect.stringContaining("the allowInsecureConnection option (from @azure/identity) is not used"),
    ]);
  });

  it.each([
    ["true", true],
    ["1", true],
    ["false", true],
    ["", false],
    [undefined, false],
  ])(
    "reads AZURE_IDENTITY_DISABLE_MULTITENANTAUTH=%j as @azure/identity does (any value set: %s)",
    (value, disabled) => {
      expect(
        resolveConfig({}, env({ AZURE_IDENTITY_DISABLE_MULTITENANTAUTH: value })).multiTenantDisabled,
      ).toBe(disabled);
    },
  );
});

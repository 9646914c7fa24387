import { parseGoInt } from "./go-int.js";
import { parseWebhookVersion, WEBHOOK_VERSIONS } from "./webhook-version.js";

describe("parseGoInt", () => {
  it.each([
    ["3600", 64, 3600n],
    ["+3600", 64, 3600n],
    ["-1", 64, -1n],
    ["007", 32, 7n],
    ["2147483647", 32, 2147483647n],
    ["9223372036854775807", 64, 9223372036854775807n],
  ] as const)("parses %s as Go's ParseInt(s, 10, %i) does", (value, bits, parsed) => {
    expect(parseGoInt(value, bits)).toBe(parsed);
  });

  it.each([
    ["", 64],
    [" 3600", 64],
    ["3600 ", 64],
    ["1h", 64],
    ["0x10", 64],
    ["3.6e3", 64],
    ["2147483648", 32],
    ["9223372036854775808", 64],
  ] as const)("refuses %j, as Go's ParseInt(s, 10, %i) does", (value, bits) => {
    expect(parseGoInt(value, bits)).toBeUndefined();
  });
});

describe("webhook versions", () => {
  it("accepts 1.6, v1.6.0, 1.5 and v1.5.1, and nothing it does not reproduce", () => {
    expect(["1.6", "v1.6.0", "1.6.1", "1.5", "v1.5.1"].map(parseWebhookVersion)).toEqual([
      "1.6",
      "1.6",
      "1.6",
      "1.5",
      "1.5",
    ]);
    expect(["1.4", "2.0", "latest", "v1"].map(parseWebhookVersion)).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });

  it("names v1.6's volume as buildVolumeName does: the prefix and the first 30 hex digits of the pod name's SHA-256", () => {
    // sha256("keyvault-quickstart") = 9d968cdc1d53f31870f0f158920633...
    expect(WEBHOOK_VERSIONS["1.6"].volumeName("keyvault-quickstart")).toBe(
      "azure-workload-identity-reserved-9d968cdc1d53f31870f0f158920633",
    );
    expect(WEBHOOK_VERSIONS["1.6"].volumeName("keyvault-quickstart")).toHaveLength(63);
    expect(WEBHOOK_VERSIONS["1.5"].volumeName("anything")).toBe("azure-identity-token");
  });

  it("puts the token file inside the mount path in both releases", () => {
    for (const version of Object.values(WEBHOOK_VERSIONS)) {
      expect(version.tokenFile.startsWith(`${version.mountPath}/`)).toBe(true);
    }
  });
});

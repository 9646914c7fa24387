import { pemBlocks } from "./pem-blocks.js";

describe("pemBlocks", () => {
  it("returns every block with its label, in order, ignoring text around them", () => {
    const pem = [
      "comment before",
      "-----BEGIN EC PARAMETERS-----",
      "BggqhkjOPQMBBw==",
      "-----END EC PARAMETERS-----",
      "-----BEGIN PUBLIC KEY-----",
      "AAAA",
      "-----END PUBLIC KEY-----",
      "",
    ].join("\n");

    expect(pemBlocks(pem)).toEqual([
      {
        label: "EC PARAMETERS",
        text: "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----",
      },
      { label: "PUBLIC KEY", text: "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----" },
    ]);
  });

  it("reads files with Windows line endings", () => {
    expect(pemBlocks("-----BEGIN PUBLIC KEY-----\r\nAAAA\r\n-----END PUBLIC KEY-----\r\n")).toHaveLength(1);
  });

  it("finds nothing in a file without PEM, or with a BEGIN whose END does not match", () => {
    expect(pemBlocks("ssh-rsa AAAAB3Nza...")).toEqual([]);
    expect(pemBlocks("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PRIVATE KEY-----")).toEqual([]);
  });
});

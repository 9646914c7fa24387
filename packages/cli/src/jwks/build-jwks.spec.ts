import { generateKeyPairSync } from "node:crypto";
import { join } from "node:path";
import { buildJwks, buildJwksFromFiles, formatJwks } from "./build-jwks.js";
import { keyIdOf } from "./key-id.js";

describe("buildJwks", () => {
  it("lists one JWK per key, in order", () => {
    const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const ec = generateKeyPairSync("ec", { namedCurve: "P-384" });

    const jwks = buildJwks([rsa.publicKey, ec.publicKey]);

    expect(jwks.keys.map((k) => [k.kid, k.alg])).toEqual([
      [keyIdOf(rsa.publicKey), "RS256"],
      [keyIdOf(ec.publicKey), "ES384"],
    ]);
  });

  it("lists a key given twice (as private and as public key) once", () => {
    const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });

    expect(buildJwks([privateKey, publicKey]).keys).toHaveLength(1);
  });

  it("is empty for no keys", () => {
    expect(buildJwks([])).toEqual({ keys: [] });
  });
});

describe("buildJwksFromFiles and formatJwks", () => {
  it("prints azwi's JWKS for azwi's test key, two-space indented with a final newline", async () => {
    const jwks = await buildJwksFromFiles([join(__dirname, "fixtures", "azwi-public-key.pem")]);
    const text = formatJwks(jwks);

    expect(text.endsWith("}\n")).toBe(true);
    expect(text.split("\n").slice(0, 5)).toEqual([
      "{",
      '  "keys": [',
      "    {",
      '      "use": "sig",',
      '      "kty": "RSA",',
    ]);
    expect(JSON.parse(text)).toEqual({
      keys: [expect.objectContaining({ kid: "2A3FPpix2keOV1SGPQiM0_wVemz4XOIgQyJJnpu5sPE", e: "AQAB" })],
    });
  });
});

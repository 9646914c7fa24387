import { X509Certificate } from "node:crypto";
import { CA, EXPIRED_SERVER_CERT, SERVER_CERT } from "../test-support/tls.js";
import {
  describeValidity,
  distinguishedName,
  factsOf,
  parsePemCertificates,
  validityAt,
} from "./certificates.js";

const ca = new X509Certificate(CA);
const expired = new X509Certificate(EXPIRED_SERVER_CERT);
const FROM = Date.parse(ca.validFrom);
const TO = Date.parse(ca.validTo);

describe("parsePemCertificates", () => {
  it("finds each certificate in a bundle, whatever surrounds them", () => {
    const { certificates, unparsable } = parsePemCertificates(`# bundle\n${CA}\nnoise\n${SERVER_CERT}`);

    expect(certificates.map((c) => c.subject)).toEqual([
      "CN=Doctor spec token proxy CA",
      "CN=proxy.identity-binding.test",
    ]);
    expect(unparsable).toBe(0);
  });

  it("counts CERTIFICATE blocks that do not parse, and finds nothing in other text", () => {
    const damaged = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----";

    expect(parsePemCertificates(`${damaged}\n${CA}`)).toMatchObject({ unparsable: 1 });
    expect(parsePemCertificates(`${damaged}\n${CA}`).certificates).toHaveLength(1);
    expect(parsePemCertificates("not PEM at all")).toEqual({ certificates: [], unparsable: 0 });
  });
});

describe("factsOf", () => {
  it("gives names, dates as ISO 8601 and the fingerprint, never the key", () => {
    const facts = factsOf(new X509Certificate(SERVER_CERT));

    expect(facts).toEqual({
      subject: "CN=proxy.identity-binding.test",
      subjectAltName: "DNS:proxy.identity-binding.test",
      issuer: "CN=Doctor spec token proxy CA",
      validFrom: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/),
      validTo: expect.stringMatching(/^2126-/),
      fingerprint256: expect.stringMatching(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/),
    });
  });

  it("leaves out a subjectAltName the certificate does not have", () => {
    expect(factsOf(ca)).not.toHaveProperty("subjectAltName");
  });
});

describe("validity", () => {
  it("is valid between its dates, expired after, not yet valid before", () => {
    expect(validityAt(ca, FROM + 1000)).toBe("valid");
    expect(validityAt(ca, TO)).toBe("expired");
    expect(validityAt(ca, FROM - 1000)).toBe("not yet valid");
    expect(validityAt(expired, Date.now())).toBe("expired");
  });

  it("describes each case with the instant and how far it is", () => {
    expect(describeValidity(ca, TO - 90_000)).toBe(`valid until ${new Date(TO).toISOString()} (in 1m 30s)`);
    expect(describeValidity(expired, Date.parse("2021-01-02T00:00:00Z"))).toBe(
      "expired 1d ago (2021-01-01T00:00:00.000Z)",
    );
    expect(describeValidity(ca, FROM - 3_600_000)).toBe(
      `not valid until ${new Date(FROM).toISOString()} (in 1h)`,
    );
  });
});

describe("distinguishedName", () => {
  it("puts OpenSSL's one-entry-per-line name on one line", () => {
    expect(distinguishedName("C=US\nO=Example\nCN=proxy\n")).toBe("C=US, O=Example, CN=proxy");
  });
});

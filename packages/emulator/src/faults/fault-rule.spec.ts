import { ENDPOINTS, FaultRuleError, parseFaultRule } from "./fault-rule.js";

describe("parseFaultRule", () => {
  it.each([null, undefined, "token", 503])("rejects %p because a rule must be an object", (input) => {
    expect(() => parseFaultRule(input)).toThrow(new FaultRuleError("A fault rule must be an object."));
  });

  it("rejects an unknown endpoint and lists the known ones", () => {
    expect(() => parseFaultRule({ endpoint: "tokens", status: 500 })).toThrow(
      `Unknown fault endpoint "tokens"; use one of ${ENDPOINTS.join(", ")} or "*".`,
    );
  });

  it("rejects a rule without an endpoint", () => {
    expect(() => parseFaultRule({ status: 500 })).toThrow('Unknown fault endpoint "undefined"');
  });

  it.each([...ENDPOINTS, "*"])("accepts the endpoint %s", (endpoint) => {
    expect(parseFaultRule({ endpoint, status: 503 })).toEqual({ endpoint, status: 503 });
  });

  it("rejects a rule with no effect", () => {
    expect(() => parseFaultRule({ endpoint: "token", first: 1 })).toThrow(
      "A fault rule needs status, latencyMs, reset or hang.",
    );
    expect(() => parseFaultRule({ endpoint: "token", reset: false, hang: false })).toThrow(FaultRuleError);
  });

  it.each([{ status: 500 }, { latencyMs: 0 }, { reset: true }, { hang: true }])(
    "accepts %p as an effect",
    (effect) => {
      expect(() => parseFaultRule({ endpoint: "jwks", ...effect })).not.toThrow();
    },
  );

  it.each([99, 600, 503.5, "503"])("rejects the status %p", (status) => {
    expect(() => parseFaultRule({ endpoint: "token", status })).toThrow(/is not an HTTP status code/);
  });

  it.each([100, 429, 599])("accepts the status %p", (status) => {
    expect(parseFaultRule({ endpoint: "token", status }).status).toBe(status);
  });

  it.each(["retryAfterSeconds", "latencyMs", "first", "startAfterMs", "durationMs"])(
    "rejects a negative, infinite or non-numeric %s",
    (key) => {
      for (const value of [-1, Infinity, NaN, "5"]) {
        expect(() => parseFaultRule({ endpoint: "token", status: 500, [key]: value })).toThrow(
          `Fault ${key} must be a number >= 0.`,
        );
      }
    },
  );

  it("refuses a latencyMs beyond setTimeout's limit, which Node would turn into 1 ms, and names the range and value", () => {
    expect(() => parseFaultRule({ endpoint: "token", latencyMs: 2 ** 31 })).toThrow(
      new FaultRuleError(
        "Fault latencyMs must be at most 2147483647 ms (about 24.8 days; hang never answers), not 2147483648.",
      ),
    );
    expect(() => parseFaultRule({ endpoint: "token", latencyMs: 3_000_000_000 })).toThrow(FaultRuleError);
    expect(parseFaultRule({ endpoint: "token", latencyMs: 2 ** 31 - 1 }).latencyMs).toBe(2 ** 31 - 1);
  });

  it.each(["retryAfterSeconds", "startAfterMs", "durationMs"])(
    "accepts a %s beyond setTimeout's limit, since it is only sent or compared, never a timer's delay",
    (key) => {
      expect(parseFaultRule({ endpoint: "token", status: 503, [key]: 2 ** 31 })).toMatchObject({
        [key]: 2 ** 31,
      });
    },
  );

  it.each([-1, 100.5, "50"])("rejects the percentage %p", (percent) => {
    expect(() => parseFaultRule({ endpoint: "token", status: 500, percent })).toThrow(
      "Fault percent must be between 0 and 100.",
    );
  });

  it("returns a copy with every field kept", () => {
    const input = {
      endpoint: "keyvault",
      status: 429,
      retryAfterSeconds: 2,
      latencyMs: 10,
      first: 3,
      percent: 50,
      startAfterMs: 0,
      durationMs: 1000,
    };

    const rule = parseFaultRule(input);

    expect(rule).toEqual(input);
    expect(rule).not.toBe(input);
  });

  it("gives its errors the stable code ERR_EMULATOR_FAULT", () => {
    let thrown: unknown;
    try {
      parseFaultRule({});
    } catch (error) {
      thrown = error;
    }

    expect(thrown).toBeInstanceOf(FaultRuleError);
    expect(thrown).toMatchObject({ code: "ERR_EMULATOR_FAULT", name: "FaultRuleError" });
  });
});

describe("fault bodies", () => {
  it("accepts a body with a status and a content type", () => {
    expect(
      parseFaultRule({ endpoint: "token", status: 200, body: "<html>", contentType: "text/html" }),
    ).toMatchObject({
      body: "<html>",
      contentType: "text/html",
    });
  });

  it("refuses a body without a status, and a content type that is not a string", () => {
    expect(() => parseFaultRule({ endpoint: "token", latencyMs: 1, body: "x" })).toThrow(
      "A fault body needs a status.",
    );
    expect(() => parseFaultRule({ endpoint: "token", status: 200, body: "x", contentType: 3 })).toThrow(
      "contentType",
    );
  });
});

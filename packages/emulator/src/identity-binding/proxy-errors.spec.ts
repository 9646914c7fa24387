import { ProxyRefusals, proxyRefusalReply, type ProxyRefusal } from "./proxy-errors.js";

const CLIENT = "0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0";

describe("proxyRefusalReply", () => {
  const reply = proxyRefusalReply(ProxyRefusals.notAllowed("prod", "api", CLIENT), {
    separator: "space",
    correlationId: "corr-1",
  });
  const body = reply.body as Record<string, unknown>;

  it("keeps the real status: 403 for a service account that may not use the identity", () => {
    expect(reply.status).toBe(403);
  });

  it("has Entra's fields in Entra's order, and no AADSTS code (Entra refused nothing)", () => {
    expect(Object.keys(body)).toEqual([
      "error",
      "error_description",
      "error_codes",
      "timestamp",
      "trace_id",
      "correlation_id",
      "error_uri",
    ]);
    expect(body.error).toBe("unauthorized_client");
    expect(body.error_codes).toEqual([]);
    expect(body.error_description).not.toMatch(/AADSTS/);
    expect(body.error_uri).toBe("https://learn.microsoft.com/azure/aks/identity-bindings");
  });

  it("says who refused and names the ClusterRole that fixes it, then Entra's trace tail", () => {
    expect(body.error_description).toMatch(
      new RegExp(
        `^AKS identity binding token proxy: service account 'prod/api' may not use managed identity '${CLIENT}': ` +
          `bind it to a ClusterRole granting verb 'use-managed-identity' on apiGroup 'cid.wi.aks.azure.com', resource '${CLIENT}'\\. ` +
          "Trace ID: [0-9a-f-]{36} Correlation ID: corr-1 Timestamp: \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}Z$",
      ),
    );
    expect(body.correlation_id).toBe("corr-1");
    expect(reply.headers?.["client-request-id"]).toBe("corr-1");
  });

  it("separates the tail with CRLF when Entra's settings say so", () => {
    const crlf = proxyRefusalReply(ProxyRefusals.badSignature(), { separator: "crlf" });

    expect((crlf.body as { error_description: string }).error_description).toContain("\r\nTrace ID: ");
  });

  it.each<[string, ProxyRefusal, number, string]>([
    ["a bad signature", ProxyRefusals.badSignature(), 401, "invalid_client"],
    ["another issuer", ProxyRefusals.wrongIssuer("a", "b"), 401, "invalid_client"],
    ["another audience", ProxyRefusals.wrongAudience("a", "b"), 401, "invalid_client"],
    ["an expired token", ProxyRefusals.outsideLifetime(10, 0, 5), 401, "invalid_client"],
    ["no service account", ProxyRefusals.notServiceAccount("x"), 401, "invalid_client"],
    ["an unbound identity", ProxyRefusals.notBound(CLIENT), 400, "unauthorized_client"],
    ["Entra down", ProxyRefusals.entraUnreachable(502, "ECONNREFUSED"), 502, "temporarily_unavailable"],
    ["Entra silent", ProxyRefusals.entraUnreachable(504, "no answer"), 504, "temporarily_unavailable"],
  ])("answers %s with its status and error", (_name, refusal, status, error) => {
    const answer = proxyRefusalReply(refusal, { separator: "space" });

    expect([answer.status, (answer.body as { error: string }).error]).toEqual([status, error]);
  });
});

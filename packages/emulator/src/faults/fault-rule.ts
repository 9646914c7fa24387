// What a fault rule says: where it applies, what it does, and when.

/** Endpoints a fault can target. */
export const ENDPOINTS = [
  "token",
  "openid-configuration",
  "instance-discovery",
  "entra-keys",
  "issuer-discovery",
  "jwks",
  "keyvault",
  "graph",
  "token-proxy",
  "token-proxy-metadata",
  "binding-issuer-discovery",
  "binding-jwks",
] as const;
export type Endpoint = (typeof ENDPOINTS)[number];

export interface FaultRule {
  /** Assigned when the rule is added; used to remove it. */
  id?: string;
  endpoint: Endpoint | "*";
  /** Answer with this status instead of the real answer. */
  status?: number;
  /** Adds `Retry-After` (seconds) to an injected status. */
  retryAfterSeconds?: number;
  /**
   * The body of the injected status instead of the service's own error shape: a string is sent as it is,
   * anything else as JSON. With `status: 200` this fakes a malformed success (HTML, empty, no access_token...).
   */
  body?: unknown;
  /** Content type of `body` (default: text/plain for a string, application/json otherwise). */
  contentType?: string;
  /** Delay before answering (really or with the injected status). */
  latencyMs?: number;
  /** Destroy the connection without an answer. */
  reset?: boolean;
  /** Never answer (until the emulator closes). */
  hang?: boolean;
  /** Apply to the first N matching requests only. */
  first?: number;
  /** Apply to this percentage (0-100) of matching requests. */
  percent?: number;
  /** Start this long after the rule is added. */
  startAfterMs?: number;
  /** Stop this long after it starts. */
  durationMs?: number;
}

/** setTimeout's longest delay; Node fires a longer one after 1 ms, which would make latency no latency at all. */
const MAX_TIMER_DELAY_MS = 2_147_483_647;

export class FaultRuleError extends Error {
  readonly code = "ERR_EMULATOR_FAULT";
  constructor(message: string) {
    super(message);
    this.name = "FaultRuleError";
  }
}

/** Validates a rule from JSON or code, returning a copy. */
export function parseFaultRule(input: unknown): FaultRule {
  if (typeof input !== "object" || input === null)
    throw new FaultRuleError("A fault rule must be an object.");
  const rule = { ...(input as Record<string, unknown>) } as FaultRule & Record<string, unknown>;
  if (rule.endpoint !== "*" && !ENDPOINTS.includes(rule.endpoint)) {
    throw new FaultRuleError(
      `Unknown fault endpoint "${rule.endpoint}"; use one of ${ENDPOINTS.join(", ")} or "*".`,
    );
  }
  const effects = [
    rule.status !== undefined,
    rule.reset === true,
    rule.hang === true,
    rule.latencyMs !== undefined,
  ];
  if (!effects.some(Boolean))
    throw new FaultRuleError("A fault rule needs status, latencyMs, reset or hang.");
  if (
    rule.status !== undefined &&
    !(Number.isInteger(rule.status) && rule.status >= 100 && rule.status <= 599)
  ) {
    throw new FaultRuleError(`Fault status ${String(rule.status)} is not an HTTP status code.`);
  }
  for (const key of ["retryAfterSeconds", "latencyMs", "first", "startAfterMs", "durationMs"] as const) {
    const value = rule[key];
    if (value !== undefined && !(typeof value === "number" && value >= 0 && Number.isFinite(value))) {
      throw new FaultRuleError(`Fault ${key} must be a number >= 0.`);
    }
  }
  // Only latencyMs becomes a timer's delay; retryAfterSeconds is only sent, startAfterMs and durationMs compared.
  if (rule.latencyMs !== undefined && rule.latencyMs > MAX_TIMER_DELAY_MS) {
    throw new FaultRuleError(
      `Fault latencyMs must be at most ${MAX_TIMER_DELAY_MS} ms (about 24.8 days; hang never answers), not ${rule.latencyMs}.`,
    );
  }
  if (rule.body !== undefined && rule.status === undefined)
    throw new FaultRuleError("A fault body needs a status.");
  if (rule.contentType !== undefined && typeof rule.contentType !== "string") {
    throw new FaultRuleError("Fault contentType must be a string.");
  }
  if (
    rule.percent !== undefined &&
    !(typeof rule.percent === "number" && rule.percent >= 0 && rule.percent <= 100)
  ) {
    throw new FaultRuleError("Fault percent must be between 0 and 100.");
  }
  return rule;
}

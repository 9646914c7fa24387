// Decodes the token's header and claims (never verifying them: that is Entra's job) and checks what the
// federated credential must match: the issuer (exactly, trailing slash included), the subject and the audience.
import { decodeProtectedHeader, type JWTPayload, type ProtectedHeaderParameters } from "jose";
import { show } from "../../lib/one-line.js";
import { audienceModeMismatch, type ExpectedAudience } from "../expected-audience.js";
import type { CheckResult } from "../types.js";

const SUBJECT = /^system:serviceaccount:([^:]+):([^:]+)$/;
const FIX_FILE = "the token file should hold the pod's projected service-account token";

export interface ClaimsOutcome {
  result: CheckResult;
  /** The `iss` claim, when it is a URL the issuer checks can fetch from. */
  issuer?: string;
  kid?: string;
}

export function checkClaims(token: string, payload: JWTPayload, expected: ExpectedAudience): ClaimsOutcome {
  const header = headerOf(token);
  const kid = typeof header.kid === "string" ? header.kid : undefined;
  const problems: { message: string; fix: string }[] = [];
  const seen: string[] = [];
  const details: Record<string, unknown> = {
    header: { alg: header.alg, kid: header.kid, typ: header.typ },
    claims: payload,
    expectedAudience: expected,
  };

  const issuer = typeof payload.iss === "string" && isUrl(payload.iss) ? payload.iss : undefined;
  if (issuer === undefined) {
    problems.push({ message: `iss ${show(payload.iss)} is not a URL`, fix: FIX_FILE });
  } else {
    const slash = issuer.endsWith("/");
    details.issuerTrailingSlash = slash;
    seen.push(
      `iss ${show(issuer)} (${slash ? 'ends with "/": the federated credential\'s issuer must too' : 'no trailing "/": the federated credential\'s issuer must have none either'})`,
    );
  }

  const subject = SUBJECT.exec(typeof payload.sub === "string" ? payload.sub : "");
  if (subject === null) {
    problems.push({
      message: `sub ${show(payload.sub)} is not system:serviceaccount:<namespace>:<service account>`,
      fix: FIX_FILE,
    });
  } else {
    const [, namespace = "", serviceAccount = ""] = subject;
    Object.assign(details, { namespace, serviceAccount });
    seen.push(
      `sub ${show(payload.sub)} (namespace ${show(namespace)}, service account ${show(serviceAccount)})`,
    );
  }

  const aud: unknown = payload.aud;
  const audiences = Array.isArray(aud) ? aud.map(String) : typeof aud === "string" ? [aud] : [];
  const why = `${show(expected.audience)} (${expected.reason})`;
  if (!audiences.includes(expected.audience)) {
    const mode = audienceModeMismatch(expected, audiences);
    problems.push({
      message: `aud ${show(payload.aud)} lacks the expected ${why}${mode === undefined ? "" : `: ${mode.message}`}`,
      fix:
        mode?.fix ??
        `project the token with the audience ${show(expected.audience)} (the Workload Identity webhook's audience setting) and give the federated credential the same one; if the federated credential expects another, pass it with --audience`,
    });
  } else {
    seen.push(`aud ${show(audiences.join(", "))}, holding the expected ${why}`);
  }
  seen.push(`${show(header.alg)} kid ${show(kid)}`);

  const result: CheckResult =
    problems.length === 0
      ? { id: "claims", status: "pass", message: seen.join("; "), details }
      : {
          id: "claims",
          status: "fail",
          code: "ERR_CLAIMS",
          message: problems.map((p) => p.message).join("; "),
          fix: [...new Set(problems.map((p) => p.fix))].join("; "),
          details,
        };
  return { result, ...(issuer === undefined ? {} : { issuer }), ...(kid === undefined ? {} : { kid }) };
}

function headerOf(token: string): ProtectedHeaderParameters {
  try {
    return decodeProtectedHeader(token);
  } catch {
    return {};
  }
}

function isUrl(value: string): boolean {
  try {
    new URL(value);
    return true;
  } catch {
    return false;
  }
}

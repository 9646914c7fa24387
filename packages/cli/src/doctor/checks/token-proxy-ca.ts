// Checks the identity binding's CA, the only one TLS to the token proxy trusts: where it comes from (the projected
// file, which rotates, or inline), that the file is readable, how many certificates it holds, and their dates.
import type { X509Certificate } from "node:crypto";
import { readFile } from "node:fs/promises";
import {
  describeValidity,
  distinguishedName,
  factsOf,
  parsePemCertificates,
  validityAt,
} from "../../lib/certificates.js";
import { ownership, uid } from "../../lib/file-access.js";
import { oneLine } from "../../lib/one-line.js";
import { AZURE_KUBERNETES_CA_DATA, AZURE_KUBERNETES_CA_FILE, bindingValue } from "../identity-binding.js";
import { skipped, type CheckResult } from "../types.js";

export type TokenProxyCaCode =
  | "ERR_TOKEN_PROXY_CA_UNREADABLE"
  | "ERR_TOKEN_PROXY_CA_INVALID"
  | "ERR_TOKEN_PROXY_CA_EXPIRED"
  | "ERR_TOKEN_PROXY_CA_NOT_YET_VALID";

/** What TLS to the proxy trusts: this CA, or (with no CA variable) the system store, as the credential does. */
export type ProxyTrust =
  | { kind: "ca"; pem: string; variable: typeof AZURE_KUBERNETES_CA_FILE; path: string }
  | { kind: "ca"; pem: string; variable: typeof AZURE_KUBERNETES_CA_DATA }
  | { kind: "system" };

export interface TokenProxyCaOutcome {
  result: CheckResult;
  /** Present when there is something to verify the proxy with: at least one certificate, even an expired one. */
  trust?: ProxyTrust;
}

const RECREATE = "recreate the pod to get the current CA";
const FIX_FILE = `the Workload Identity webhook projects the token proxy's CA next to the token (ca-cert/ca.crt in the same volume): ${RECREATE}, and do not set ${AZURE_KUBERNETES_CA_FILE} by hand`;
const FIX_DATA = `${AZURE_KUBERNETES_CA_DATA} must hold the token proxy's CA certificate in PEM: ${RECREATE}, or use the projected ${AZURE_KUBERNETES_CA_FILE}`;
const FIX_DATES = `check this machine's clock; the token proxy's CA rotates: ${RECREATE} (an inline ${AZURE_KUBERNETES_CA_DATA} never follows a rotation, the projected ${AZURE_KUBERNETES_CA_FILE} does)`;

type Environment = Record<string, string | undefined>;

export async function checkTokenProxyCa(env: Environment, nowMs: number): Promise<TokenProxyCaOutcome> {
  const file = bindingValue(env, AZURE_KUBERNETES_CA_FILE);
  const data = bindingValue(env, AZURE_KUBERNETES_CA_DATA);
  if (file !== undefined && data !== undefined) {
    return {
      result: skipped(
        "token-proxy-ca",
        `${AZURE_KUBERNETES_CA_FILE} and ${AZURE_KUBERNETES_CA_DATA} are both set (see the identity binding line)`,
      ),
    };
  }
  if (file === undefined && data === undefined) {
    return {
      result: skipped(
        "token-proxy-ca",
        `neither ${AZURE_KUBERNETES_CA_FILE} nor ${AZURE_KUBERNETES_CA_DATA} is set: TLS to the token proxy trusts the system store`,
      ),
      trust: { kind: "system" },
    };
  }

  let pem: string;
  let trust: ProxyTrust;
  let where: string;
  const details: Record<string, unknown> = {};
  if (file !== undefined) {
    Object.assign(details, { source: AZURE_KUBERNETES_CA_FILE, path: file });
    try {
      pem = await readFile(file, "utf8");
    } catch (error) {
      return { result: { ...(await unreadable(file, error)), details } };
    }
    trust = { kind: "ca", pem, variable: AZURE_KUBERNETES_CA_FILE, path: file };
    where = `${AZURE_KUBERNETES_CA_FILE} ${oneLine(file)}`;
  } else {
    pem = data ?? "";
    Object.assign(details, { source: AZURE_KUBERNETES_CA_DATA });
    trust = { kind: "ca", pem, variable: AZURE_KUBERNETES_CA_DATA };
    where = `${AZURE_KUBERNETES_CA_DATA} (inline: it cannot follow a rotation)`;
  }

  const { certificates, unparsable } = parsePemCertificates(pem);
  Object.assign(details, {
    certificates: certificates.map(factsOf),
    ...(unparsable === 0 ? {} : { unparsable }),
  });
  const damaged =
    unparsable === 0
      ? ""
      : `, and ${unparsable} CERTIFICATE block${unparsable === 1 ? " that does" : "s that do"} not parse`;
  if (certificates.length === 0) {
    return {
      result: fail(
        "ERR_TOKEN_PROXY_CA_INVALID",
        `${where} holds no PEM certificate${damaged}`,
        file === undefined ? FIX_DATA : FIX_FILE,
        details,
      ),
    };
  }
  const count = `${certificates.length} certificate${certificates.length === 1 ? "" : "s"}${damaged}`;
  const listing = certificates.map((c) => describe(c, nowMs)).join("; ");
  const validities = certificates.map((c) => validityAt(c, nowMs));
  if (!validities.includes("valid")) {
    const code = validities.includes("not yet valid")
      ? "ERR_TOKEN_PROXY_CA_NOT_YET_VALID"
      : "ERR_TOKEN_PROXY_CA_EXPIRED";
    return {
      result: fail(code, `${where}: ${count}, none valid now: ${listing}`, FIX_DATES, details),
      trust,
    };
  }
  return {
    result: { id: "token-proxy-ca", status: "pass", message: `${where}: ${count}: ${listing}`, details },
    trust,
  };
}

function describe(certificate: X509Certificate, nowMs: number): string {
  return `${distinguishedName(certificate.subject)}, ${describeValidity(certificate, nowMs)}`;
}

async function unreadable(path: string, error: unknown): Promise<CheckResult> {
  const code = (error as NodeJS.ErrnoException).code ?? "unreadable";
  const shown = `${AZURE_KUBERNETES_CA_FILE} ${oneLine(path)}`;
  switch (code) {
    case "ENOENT":
      return fail(
        "ERR_TOKEN_PROXY_CA_UNREADABLE",
        `${shown} does not exist (or is a dangling link)`,
        FIX_FILE,
      );
    case "EACCES":
      return fail(
        "ERR_TOKEN_PROXY_CA_UNREADABLE",
        `${shown} is not readable by uid ${uid()}${await ownership(path)}`,
        "set the pod's securityContext.fsGroup so the container user can read the projected volume",
      );
    default:
      return fail("ERR_TOKEN_PROXY_CA_UNREADABLE", `${shown} cannot be read (${code})`, FIX_FILE);
  }
}

function fail(
  code: TokenProxyCaCode,
  message: string,
  fix: string,
  details?: Record<string, unknown>,
): CheckResult {
  return {
    id: "token-proxy-ca",
    status: "fail",
    code,
    message,
    fix,
    ...(details === undefined ? {} : { details }),
  };
}

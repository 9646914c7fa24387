// A TLS handshake with the identity binding's token proxy, set up as the credential sets it up (the server name
// from AZURE_KUBERNETES_SNI_NAME, trusting only the binding's CA), which says which part is wrong when it does not
// verify: the CA, the server name, the certificate's dates, or the proxy not answering at all.
import type { X509Certificate } from "node:crypto";
import { isIP } from "node:net";
import { checkServerIdentity, connect } from "node:tls";
import { describeValidity, factsOf } from "../../lib/certificates.js";
import { oneLine } from "../../lib/one-line.js";
import { redactUrl } from "../../lib/redact-url.js";
import {
  AZURE_KUBERNETES_CA_DATA,
  AZURE_KUBERNETES_CA_FILE,
  AZURE_KUBERNETES_SNI_NAME,
  AZURE_KUBERNETES_TOKEN_PROXY,
} from "../identity-binding.js";
import type { CheckResult } from "../types.js";
import type { ProxyTrust } from "./token-proxy-ca.js";

export type TokenProxyTlsCode =
  | "ERR_TOKEN_PROXY_UNREACHABLE"
  | "ERR_TOKEN_PROXY_HANDSHAKE"
  | "ERR_TOKEN_PROXY_CA_MISMATCH"
  | "ERR_TOKEN_PROXY_SNI_MISMATCH"
  | "ERR_TOKEN_PROXY_CERT_INVALID";

export interface TokenProxyTlsInput {
  /** AZURE_KUBERNETES_TOKEN_PROXY, accepted by the credential (an https URL). */
  url: string;
  sniName: string | undefined;
  trust: ProxyTrust;
  timeoutMs: number;
  nowMs: number;
}

type Handshake =
  | {
      kind: "done";
      protocol: string | null;
      certificate: X509Certificate | undefined;
      /** OpenSSL's verdict on the chain alone (the name is checked apart): undefined when it verifies. */
      chainError: string | undefined;
      /** Why the certificate is not valid for the server name; undefined when it is. */
      nameError: string | undefined;
    }
  | { kind: "failed"; code: string; message: string; connected: boolean };

const FIX_UNREACHABLE = `the token proxy must answer at ${AZURE_KUBERNETES_TOKEN_PROXY} from this pod (AKS runs it at the cluster's API server address): check network policies and egress rules, and that the pod's variables are the webhook's (recreate the pod)`;
const FIX_HANDSHAKE = `something that is not the token proxy answers at ${AZURE_KUBERNETES_TOKEN_PROXY}, or it does not speak TLS there: check the URL's host and port (recreate the pod so the webhook injects the current ones)`;
const FIX_SNI = `${AZURE_KUBERNETES_SNI_NAME} must be the name in the token proxy's certificate: recreate the pod so the webhook injects the current one, and do not set it by hand`;
const FIX_DATES =
  "check this machine's clock; otherwise the token proxy's certificate or its CA has run out: recreate the pod to get the current CA";

export async function checkTokenProxyTls(input: TokenProxyTlsInput): Promise<CheckResult> {
  const url = new URL(input.url);
  // URL keeps an IPv6 host in brackets; sockets take it without.
  const host = url.hostname.replace(/^\[(.*)\]$/, "$1");
  const port = url.port === "" ? 443 : Number(url.port);
  // As Node's https does for the credential: the URL's host is the server name unless it is an IP address.
  const servername = input.sniName ?? (isIP(host) === 0 ? host : undefined);
  const address = url.host;
  const nameShown =
    servername === undefined
      ? "(none: the URL's host is an IP address)"
      : input.sniName === undefined
        ? `${servername} (the URL's host)`
        : `${oneLine(servername)} (${AZURE_KUBERNETES_SNI_NAME})`;
  const to = `TLS to ${address} with server name ${nameShown}`;
  const trusted = trustShown(input.trust);
  const details: Record<string, unknown> = {
    address,
    serverName: servername ?? null,
    trust: input.trust.kind === "ca" ? input.trust.variable : "system",
  };
  const fail = (code: TokenProxyTlsCode, message: string, fix: string): CheckResult => ({
    id: "token-proxy-tls",
    status: "fail",
    code,
    message: oneLine(message),
    fix,
    details,
  });

  const outcome = await handshake(host, port, servername, input.trust, input.timeoutMs);
  if (outcome.kind === "failed") {
    details.error = outcome.code;
    const why = outcome.message.includes(outcome.code)
      ? outcome.message
      : `${outcome.code}: ${outcome.message}`;
    return outcome.connected
      ? fail(
          "ERR_TOKEN_PROXY_HANDSHAKE",
          `${redactUrl(input.url)} accepted the connection, but no TLS handshake completed (${why})`,
          FIX_HANDSHAKE,
        )
      : fail(
          "ERR_TOKEN_PROXY_UNREACHABLE",
          `nothing answers at ${redactUrl(input.url)} (${why})`,
          FIX_UNREACHABLE,
        );
  }
  const { certificate, chainError, nameError, protocol } = outcome;
  if (certificate === undefined) {
    return fail("ERR_TOKEN_PROXY_HANDSHAKE", `${to}: the server sent no certificate`, FIX_HANDSHAKE);
  }
  const facts = factsOf(certificate);
  Object.assign(details, {
    protocol,
    certificate: facts,
    ...(chainError === undefined ? {} : { chainError }),
    ...(nameError === undefined ? {} : { nameError }),
  });
  const seen = `the certificate ${facts.subject}${facts.subjectAltName === undefined ? "" : ` (${facts.subjectAltName})`}, issued by ${facts.issuer}, ${describeValidity(certificate, input.nowMs)},`;
  if (chainError === "CERT_HAS_EXPIRED" || chainError === "CERT_NOT_YET_VALID") {
    const dates = chainError === "CERT_HAS_EXPIRED" ? "expired" : "not yet valid";
    return fail(
      "ERR_TOKEN_PROXY_CERT_INVALID",
      `${to}: ${seen} does not verify: it or its CA is ${dates} (${chainError})`,
      FIX_DATES,
    );
  }
  if (chainError !== undefined) {
    const nameToo = nameError === undefined ? "" : `, and it is not valid for that server name either`;
    return fail(
      "ERR_TOKEN_PROXY_CA_MISMATCH",
      `${to}: ${seen} does not chain to ${trusted} (${chainError})${nameToo}`,
      caFix(input.trust),
    );
  }
  if (nameError !== undefined) {
    return fail(
      "ERR_TOKEN_PROXY_SNI_MISMATCH",
      `${to}: ${seen} chains to ${trusted} but is not valid for that server name`,
      FIX_SNI,
    );
  }
  return {
    id: "token-proxy-tls",
    status: "pass",
    message: oneLine(
      `${to}: ${protocol ?? "TLS"} handshake; ${seen} chains to ${trusted} and is valid for that server name`,
    ),
    details,
  };
}

function handshake(
  host: string,
  port: number,
  servername: string | undefined,
  trust: ProxyTrust,
  timeoutMs: number,
): Promise<Handshake> {
  return new Promise((resolve) => {
    let connected = false;
    // Verification is judged here, not by the socket, so that the certificate can be shown whatever is wrong
    // with it: the chain from OpenSSL's verdict, the name by Node's own rule, applied apart.
    const socket = connect({
      host,
      port,
      ...(servername === undefined ? {} : { servername }),
      ...(trust.kind === "ca" ? { ca: trust.pem } : {}),
      rejectUnauthorized: false,
      checkServerIdentity: () => undefined,
    });
    socket.once("connect", () => {
      connected = true;
    });
    socket.setTimeout(timeoutMs, () => {
      socket.destroy(Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code: "ETIMEDOUT" }));
    });
    socket.once("secureConnect", () => {
      const peer = socket.getPeerCertificate();
      const certificate = socket.getPeerX509Certificate();
      const chainError = socket.authorized ? undefined : String(socket.authorizationError);
      const nameError =
        certificate === undefined ? undefined : checkServerIdentity(servername ?? host, peer)?.message;
      resolve({ kind: "done", protocol: socket.getProtocol(), certificate, chainError, nameError });
      socket.destroy();
    });
    // `on`, not `once`: a socket destroyed after an error may report another, which must not go unhandled.
    socket.on("error", (error: NodeJS.ErrnoException) => {
      resolve({ kind: "failed", code: error.code ?? error.name, message: error.message, connected });
    });
  });
}

function trustShown(trust: ProxyTrust): string {
  if (trust.kind === "system") return "the system trust store (no CA variable is set)";
  return trust.variable === AZURE_KUBERNETES_CA_FILE
    ? `the CA in ${AZURE_KUBERNETES_CA_FILE} ${oneLine(trust.path)}`
    : `the CA in ${AZURE_KUBERNETES_CA_DATA}`;
}

function caFix(trust: ProxyTrust): string {
  if (trust.kind === "system") {
    return `set ${AZURE_KUBERNETES_CA_FILE}: the token proxy's certificate comes from the cluster's own CA, which no system store trusts (recreate the pod so the webhook injects it)`;
  }
  return trust.variable === AZURE_KUBERNETES_CA_FILE
    ? `${AZURE_KUBERNETES_CA_FILE} must be the CA the webhook projects next to the token (ca-cert/ca.crt), which kubelet keeps current: recreate the pod, and do not point the variable elsewhere`
    : `${AZURE_KUBERNETES_CA_DATA} holds another CA than the token proxy's, and an inline CA cannot follow the proxy's CA rotation: recreate the pod to get the current one, or use the projected ${AZURE_KUBERNETES_CA_FILE}`;
}

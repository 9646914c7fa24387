// Answers the proxy's requests (the IMDS token path, /healthz, /readyz) and logs one klog line per request.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Klog } from "@workload-identity/klog";
import { errorAnswerFor } from "./credential-error.js";
import type { CredentialRegistry } from "./credential-registry.js";
import type { ErrorAnswer, ImdsErrorBody } from "./imds-error.js";
import { routeOf, splitTarget } from "./route.js";
import { isGuid, parseTokenRequest } from "./token-request.js";
import { resourceToScope, toImdsResponse, type ImdsTokenResponse } from "./token-response.js";

export interface HandlerContext {
  registry: CredentialRegistry;
  log: Klog;
  /** Epoch milliseconds, for `expires_in`. */
  now: () => number;
}

export function createRequestHandler(
  context: HandlerContext,
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    // Drain any body, so a keep-alive connection stays usable.
    req.resume();
    handle(context, req, res).catch((error: unknown) => {
      context.log.error(
        error,
        "request failed",
        "method",
        req.method,
        "path",
        splitTarget(req.url ?? "/").path,
      );
      if (!res.headersSent) sendJson(res, 500, errorAnswerFor(error, false).body);
      else res.destroy();
    });
  };
}

async function handle(context: HandlerContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const started = performance.now();
  const method = req.method ?? "GET";
  const { path, query } = splitTarget(req.url ?? "/");
  const route = routeOf(path);

  if (route === "healthz" || route === "readyz") {
    if (method !== "GET" && method !== "HEAD") {
      res.writeHead(405, { allow: "GET, HEAD", "content-type": "text/plain" }).end("method not allowed\n");
      return;
    }
    const readiness = route === "healthz" ? { ready: true as const } : context.registry.readiness();
    if (readiness.ready) {
      // Kubelet probes every few seconds: successes stay out of the log.
      sendText(res, 200, "ok\n");
      return;
    }
    sendText(res, 503, `not ready: ${readiness.reason}\n`);
    context.log.warning(
      "not ready",
      "method",
      method,
      "path",
      path,
      "status",
      503,
      "reason",
      readiness.reason,
    );
    return;
  }

  const resource = query.get("resource") ?? "";
  const requested = query.get("client_id") ?? undefined;
  const message = route === "token" ? "token request" : "unknown path";
  const logRequest = (status: number, clientId: string | undefined, failure?: ErrorAnswer) => {
    const fields = [
      "method",
      method,
      "path",
      path,
      "resource",
      resource,
      "clientId",
      clientId ?? "",
      "status",
      status,
      "durationMs",
      Math.round(performance.now() - started),
    ];
    if (failure === undefined) context.log.info(message, ...fields);
    else if (status >= 500) {
      context.log.error(failure.body.error_description, message, ...fields, "code", failure.body.code);
    } else context.log.warning(message, ...fields, "reason", failure.body.error_description);
  };

  if (route === "unknown") {
    const answer = { status: 404, body: { error: "not_found", error_description: `No such path: ${path}` } };
    sendJson(res, answer.status, answer.body);
    logRequest(answer.status, requested, answer);
    return;
  }
  if (method !== "GET") {
    const answer = {
      status: 405,
      body: { error: "invalid_request", error_description: `Method ${method} is not allowed; use GET` },
    };
    sendJson(res, answer.status, answer.body, { allow: "GET" });
    logRequest(answer.status, requested, answer);
    return;
  }

  const parsed = parseTokenRequest(query, req.headers);
  if (!parsed.ok) {
    sendJson(res, parsed.status, parsed.body);
    logRequest(parsed.status, requested, parsed);
    return;
  }
  const { registry } = context;
  const clientId = parsed.request.clientId ?? registry.defaultClientId;
  if (clientId !== undefined && !isGuid(clientId)) {
    context.log.warning(
      "client id is not a GUID; Entra expects the application (client) id of the identity",
      "clientId",
      clientId,
    );
  }
  try {
    const issued = await registry.getToken(clientId, resourceToScope(parsed.request.resource));
    // A credential is only ever made for a client id, so clientId is set here.
    sendJson(res, 200, toImdsResponse(issued, parsed.request.resource, clientId ?? "", context.now()));
    logRequest(200, clientId);
  } catch (error) {
    const answer = errorAnswerFor(error, parsed.request.clientId !== undefined);
    sendJson(res, answer.status, answer.body);
    logRequest(answer.status, clientId, answer);
  }
}

function sendJson(
  res: ServerResponse,
  status: number,
  body: ImdsTokenResponse | ImdsErrorBody,
  headers: Record<string, string> = {},
): void {
  res
    .writeHead(status, {
      "content-type": "application/json; charset=utf-8",
      "cache-control": "no-store",
      ...headers,
    })
    .end(JSON.stringify(body));
}

function sendText(res: ServerResponse, status: number, text: string): void {
  res
    .writeHead(status, { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" })
    .end(text);
}

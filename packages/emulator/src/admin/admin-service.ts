// The loopback admin endpoint: lets other processes (containers, benchmarks) drive faults, settings and rotation.
import type { EntraSettings } from "../config/emulator-config.js";
import type { FaultInjector } from "../faults/fault-injector.js";
import { FaultRuleError } from "../faults/fault-rule.js";
import { EmulatorConfigError } from "../config/emulator-config.js";
import { json, readBody, type Reply } from "../http/reply.js";
import type { Route, RequestContext } from "../http/route.js";
import type { RequestStats } from "../stats/request-stats.js";

export interface AdminDeps {
  faults: FaultInjector;
  stats: RequestStats;
  env: () => Record<string, string>;
  rotate: () => Promise<void>;
  /** Identity-binding mode only. */
  rotateProxyCa?: () => Promise<void>;
  settings: () => EntraSettings;
  updateSettings: (patch: Partial<EntraSettings>) => EntraSettings;
}

export function adminRoutes(deps: AdminDeps): Route[] {
  const route = (method: Route["method"], path: RegExp, handle: Route["handle"]): Route => ({
    method,
    path,
    handle,
  });
  return [
    route("GET", /^\/healthz$/, () => json(200, { status: "ok" })),
    route("GET", /^\/env$/, () => json(200, deps.env())),
    route("GET", /^\/stats$/, () => json(200, { requests: deps.stats.snapshot() })),
    route("DELETE", /^\/stats$/, () => {
      deps.stats.reset();
      return json(204, undefined);
    }),
    route("GET", /^\/faults$/, () => json(200, { faults: deps.faults.list() })),
    route("POST", /^\/faults$/, (ctx) =>
      withJson(ctx, (body) =>
        json(201, { faults: deps.faults.add(...(Array.isArray(body) ? (body as unknown[]) : [body])) }),
      ),
    ),
    route("DELETE", /^\/faults$/, () => {
      deps.faults.clear();
      return json(204, undefined);
    }),
    route("DELETE", /^\/faults\/(?<id>[^/]+)$/, ({ params }) =>
      deps.faults.remove(params.id ?? "")
        ? json(204, undefined)
        : json(404, { error: `no fault with id ${params.id ?? ""}` }),
    ),
    route("POST", /^\/rotate$/, async () => {
      await deps.rotate();
      return json(200, { rotated: true });
    }),
    route("POST", /^\/rotate-proxy-ca$/, async () => {
      if (!deps.rotateProxyCa) {
        return json(409, {
          error:
            "identity-binding mode is off: there is no token proxy CA (add an identityBinding section to the configuration)",
        });
      }
      await deps.rotateProxyCa();
      return json(200, { rotated: true });
    }),
    route("GET", /^\/settings$/, () => json(200, deps.settings())),
    route("PATCH", /^\/settings$/, (ctx) =>
      withJson(ctx, (body) => json(200, deps.updateSettings(body as Partial<EntraSettings>))),
    ),
  ];
}

async function withJson(ctx: RequestContext, use: (body: unknown) => Reply): Promise<Reply> {
  let body: unknown;
  try {
    body = JSON.parse(await readBody(ctx.req));
  } catch {
    return json(400, { error: "The request body must be JSON." });
  }
  try {
    return use(body);
  } catch (error) {
    if (error instanceof FaultRuleError || error instanceof EmulatorConfigError)
      return json(400, { error: error.message });
    throw error;
  }
}

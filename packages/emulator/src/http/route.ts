// A route: a method, a path pattern with named groups, the endpoint it counts as, and its handler.
import type { IncomingMessage } from "node:http";
import type { Endpoint } from "../faults/fault-rule.js";
import type { Reply } from "./reply.js";

export interface RequestContext {
  req: IncomingMessage;
  url: URL;
  params: Record<string, string>;
}

export interface Route {
  method: "GET" | "POST" | "DELETE" | "PATCH";
  /** Matched against the decoded path; named groups become `params`. */
  path: RegExp;
  /** Faults target it by this name; undefined for routes faults never touch (admin). */
  endpoint?: Endpoint;
  handle(ctx: RequestContext): Promise<Reply> | Reply;
}

export function findRoute(
  routes: Route[],
  method: string,
  path: string,
): { route?: Route; params: Record<string, string>; pathMatched: boolean } {
  let pathMatched = false;
  for (const route of routes) {
    const match = route.path.exec(path);
    if (!match) continue;
    pathMatched = true;
    if (route.method === method) return { route, params: { ...match.groups }, pathMatched };
  }
  return { params: {}, pathMatched };
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

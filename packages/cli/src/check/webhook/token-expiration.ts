// The projected token's expirationSeconds: the pod's annotation when it is not empty, else the service account's,
// else 3600; the webhook refuses the pod when the value is not a whole number from 3600 to 86400.
import type { Path } from "../input/manifest-object.js";
import type { ServiceAccountRef } from "../model/service-account.js";
import type { Workload } from "../model/workload.js";
import {
  DEFAULT_TOKEN_EXPIRATION,
  MAX_TOKEN_EXPIRATION,
  MIN_TOKEN_EXPIRATION,
  TOKEN_EXPIRATION_ANNOTATION,
} from "./contract.js";
import { parseGoInt } from "./go-int.js";

export type TokenExpiration =
  /** `source`: "the default" (with a caveat when the account is not in the input), or whose annotation set it. */
  | { ok: true; seconds: number; source: string; fromAnnotation: boolean }
  | {
      ok: false;
      /** The annotation as written, and whose it is ("the pod", "the service account ns/name"). */
      value: unknown;
      source: string;
      /** Where the pod's annotation is written, when it is the pod's. */
      podPath?: Path;
      problem: "not-a-string" | "not-a-number" | "out-of-range";
    };

export function tokenExpiration(workload: Workload, account: ServiceAccountRef): TokenExpiration {
  const podPath = [...workload.templatePath, "metadata", "annotations", TOKEN_EXPIRATION_ANNOTATION];
  const pod = workload.annotations[TOKEN_EXPIRATION_ANNOTATION];
  const own = account.annotations[TOKEN_EXPIRATION_ANNOTATION];
  const where = `the service account ${account.namespace}/${account.name}`;
  // A value that is not a string never reaches the webhook: Kubernetes refuses the object first.
  if (pod !== undefined && typeof pod !== "string") {
    return { ok: false, value: pod, source: "the pod", podPath, problem: "not-a-string" };
  }
  if (own !== undefined && typeof own !== "string") {
    return { ok: false, value: own, source: where, problem: "not-a-string" };
  }
  const chosen =
    pod !== undefined && pod !== ""
      ? { value: pod, source: "the pod", podPath }
      : own !== undefined && own !== ""
        ? { value: own, source: where }
        : undefined;
  if (chosen === undefined) {
    const unknown =
      account.object === undefined ? "; the service account, not in the input, may set another" : "";
    return {
      ok: true,
      seconds: DEFAULT_TOKEN_EXPIRATION,
      source: `the default${unknown}`,
      fromAnnotation: false,
    };
  }
  const parsed = parseGoInt(chosen.value, 64);
  if (parsed === undefined) return { ok: false, ...chosen, problem: "not-a-number" };
  if (parsed < BigInt(MIN_TOKEN_EXPIRATION) || parsed > BigInt(MAX_TOKEN_EXPIRATION)) {
    return { ok: false, ...chosen, problem: "out-of-range" };
  }
  return { ok: true, seconds: Number(parsed), source: chosen.source, fromAnnotation: true };
}

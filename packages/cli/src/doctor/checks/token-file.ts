// Checks the projected token file: exists, readable by this user, a JWT, within its lifetime, rotated by kubelet.
// It is read with the credential's own reader (createAssertionCallback), so the doctor sees what the credential sees.
import { createAssertionCallback, isTokenFileError } from "@workload-identity/credential";
import { decodeJwt, type JWTPayload } from "jose";
import { stat } from "node:fs/promises";
import { dirname, join } from "node:path";
import { relative } from "../../lib/duration.js";
import { ownership, uid } from "../../lib/file-access.js";
import { oneLine } from "../../lib/one-line.js";
import type { CheckResult } from "../types.js";

export interface TokenFileOutcome {
  result: CheckResult;
  /** The token, for the later checks only: never reported. */
  token?: string;
  payload?: JWTPayload;
}

/** kubelet replaces the token at 80% of its lifetime; this much later it is overdue. */
const ROTATION_GRACE_SECONDS = 120;
const FIX_PATH = "point AZURE_FEDERATED_TOKEN_FILE (or --token-file) at the projected service-account token";
const FIX_ROTATION =
  "kubelet replaces the token at 80% of its lifetime: check the node's clock and that the token volume is not mounted with subPath (such mounts are never updated)";

export async function checkTokenFile(path: string, nowMs: number): Promise<TokenFileOutcome> {
  const shown = oneLine(path);
  let token: string;
  try {
    token = await createAssertionCallback(path)();
  } catch (error) {
    return { result: await readFailure(path, error) };
  }
  let payload: JWTPayload;
  try {
    payload = decodeJwt(token);
  } catch {
    const message = `${shown} has three base64url parts but no JSON claims`;
    return { result: fail("ERR_TOKEN_FILE_NOT_A_JWT", message, FIX_PATH) };
  }

  const rotation = await lastRotation(path);
  const rotated = rotation === undefined ? "" : `; rotated ${relative(rotation.atMs, nowMs)}`;
  const details: Record<string, unknown> = {
    path,
    bytes: Buffer.byteLength(token),
    ...instant("issuedAt", payload.iat),
    ...instant("notBefore", payload.nbf),
    ...instant("expiresAt", payload.exp),
    ...(rotation === undefined
      ? {}
      : { lastRotatedAt: new Date(rotation.atMs).toISOString(), rotatedFrom: rotation.from }),
  };
  const outcome = (result: CheckResult): TokenFileOutcome => ({
    result: { ...result, details },
    token,
    payload,
  });

  const { exp, nbf, iat } = payload;
  if (typeof exp !== "number") {
    return outcome(fail("ERR_TOKEN_NO_EXPIRY", `${shown} holds a JWT without exp${rotated}`, FIX_PATH));
  }
  const expiry = `${relative(exp * 1000, nowMs)} (${iso(exp)})`;
  if (exp * 1000 <= nowMs) {
    return outcome(
      fail("ERR_TOKEN_EXPIRED", `${shown} holds a JWT that expired ${expiry}${rotated}`, FIX_ROTATION),
    );
  }
  if (typeof nbf === "number" && nbf * 1000 > nowMs) {
    const message = `${shown} holds a JWT not valid until ${iso(nbf)} (${relative(nbf * 1000, nowMs)})`;
    return outcome(
      fail("ERR_TOKEN_NOT_YET_VALID", message, "check the clocks of the node and of this machine"),
    );
  }
  const message = `${shown}: a JWT readable by uid ${uid()}, expires ${expiry}${rotated}`;
  if (typeof iat === "number" && exp > iat) {
    const dueAt = iat + 0.8 * (exp - iat) + ROTATION_GRACE_SECONDS;
    if (nowMs > dueAt * 1000) {
      const fraction = Math.round(((nowMs / 1000 - iat) / (exp - iat)) * 100);
      const warning = `${message}; ${fraction}% of its lifetime is gone and kubelet has not replaced it`;
      return outcome({
        id: "token-file",
        status: "warn",
        code: "ERR_TOKEN_NOT_ROTATED",
        message: warning,
        fix: FIX_ROTATION,
      });
    }
  }
  return outcome({ id: "token-file", status: "pass", message });
}

async function readFailure(path: string, error: unknown): Promise<CheckResult> {
  if (!isTokenFileError(error)) {
    return fail("ERR_TOKEN_FILE_UNREADABLE", `${oneLine(path)}: ${oneLine(String(error))}`, FIX_PATH);
  }
  switch (error.code) {
    case "ERR_TOKEN_FILE_NOT_FOUND":
      return fail(
        error.code,
        `${oneLine(path)} does not exist (or is a dangling link)`,
        'check AZURE_FEDERATED_TOKEN_FILE, and label the pod template azure.workload.identity/use: "true" so the webhook mounts the projected token',
      );
    case "ERR_TOKEN_FILE_PERMISSION_DENIED":
      return fail(
        error.code,
        `${oneLine(path)} is not readable by uid ${uid()}${await ownership(path)}`,
        "set the pod's securityContext.fsGroup so the container user can read the projected token (Kubernetes 1.18 writes it 0600)",
      );
    default:
      // The credential's messages are one line, name the file and never quote its content.
      return fail(error.code, error.message.replace(/\.$/, ""), FIX_PATH);
  }
}

/** kubelet swaps the `..data` symlink at each rotation; its target's mtime is when that happened. */
async function lastRotation(path: string): Promise<{ atMs: number; from: "..data" | "file" } | undefined> {
  try {
    return { atMs: (await stat(join(dirname(path), "..data"))).mtimeMs, from: "..data" };
  } catch {
    try {
      return { atMs: (await stat(path)).mtimeMs, from: "file" };
    } catch {
      return undefined;
    }
  }
}

function fail(code: string, message: string, fix: string): CheckResult {
  return { id: "token-file", status: "fail", code, message, fix };
}

/** An instant as ISO 8601; a claim out of Date's range is shown as the number it is. */
function iso(seconds: number): string {
  const date = new Date(seconds * 1000);
  return Number.isNaN(date.getTime()) ? String(seconds) : date.toISOString();
}

function instant(name: string, seconds: unknown): Record<string, string> {
  return typeof seconds === "number" && Number.isFinite(seconds) ? { [name]: iso(seconds) } : {};
}

// --probe: asks a running proxy's /readyz until it answers 200 or time runs out (for a postStart hook).
import { get } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";

export interface ProbeOptions {
  /** e.g. http://127.0.0.1:8000/readyz */
  url: string;
  /** How long to keep trying. */
  timeoutMs: number;
  /** Pause between tries (default 250 ms). */
  intervalMs?: number;
}

export type ProbeResult =
  { ready: true; attempts: number } | { ready: false; attempts: number; reason: string };

/** Plain node:http: loopback needs no proxy handling, and a postStart hook should start fast. */
export async function probeReadiness(options: ProbeOptions): Promise<ProbeResult> {
  const intervalMs = options.intervalMs ?? 250;
  const deadline = Date.now() + options.timeoutMs;
  let attempts = 0;
  for (;;) {
    attempts += 1;
    let reason: string;
    try {
      const answer = await getOnce(options.url, Math.max(1, Math.min(2000, deadline - Date.now())));
      if (answer.status === 200) return { ready: true, attempts };
      reason = `${options.url} answered ${answer.status}: ${answer.body.trim().replace(/\s+/g, " ")}`;
    } catch (error) {
      reason = `${options.url} did not answer: ${error instanceof Error ? error.message : String(error)}`;
    }
    if (Date.now() + intervalMs >= deadline) return { ready: false, attempts, reason };
    await sleep(intervalMs);
  }
}

function getOnce(url: string, timeoutMs: number): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = get(url, { timeout: timeoutMs, agent: false }, (response) => {
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => {
        if (body.length < 2000) body += chunk;
      });
      response.on("end", () => {
        resolve({ status: response.statusCode ?? 0, body });
      });
      response.on("error", reject);
    });
    request.on("timeout", () => {
      request.destroy(new Error(`no answer within ${timeoutMs} ms`));
    });
    request.on("error", reject);
  });
}

// Measurement: the IMDS proxy's resident memory under requests that name random client ids (any process in
// the pod can send them; Entra refuses each one). The proxy runs as its CLI, as in the sidecar; its RSS is
// read from /proc before and after.
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import { createServer } from "node:net";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { podEnvironment } from "../lib/child-process.mjs";
import { REPO_DIR } from "../lib/paths.mjs";
import { progress } from "../lib/progress.mjs";
import { redact } from "../lib/redact.mjs";
import { formatMiB } from "../report/format.mjs";
import { cell, row } from "../report/row.mjs";

const CLI = join(REPO_DIR, "packages/imds-proxy/dist/esm/cli.js");
const TOKEN_PATH = "/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://vault.azure.net";
const CONCURRENCY = 16;

/** @param {{ options: import("../cli/options.mjs").Options, env: Record<string, string> }} context */
export async function measureImdsProxyMemory({ options, env }) {
  const { requests } = options.imdsProxyMemory;
  const port = await freePort();
  const child = spawn(process.execPath, [CLI, `--proxy-port=${port}`], {
    env: podEnvironment(env),
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr.setEncoding("utf8").on("data", (chunk) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  const base = `http://127.0.0.1:${port}`;
  try {
    await waitUntilReady(base, () => stderr);
    // The pod's own identity first, as an app would use it: that credential is kept.
    const own = await fetch(`${base}${TOKEN_PATH}`, { headers: { Metadata: "true" } });
    if (own.status !== 200) throw new Error(`the pod's identity got HTTP ${own.status}`);
    const startRss = await rssOf(child.pid);
    progress(`IMDS proxy: ${requests} requests naming random client ids`);
    /** @type {Record<number, number>} */
    const statuses = {};
    let sent = 0;
    const worker = async () => {
      while (sent < requests) {
        sent += 1;
        const response = await fetch(`${base}${TOKEN_PATH}&client_id=${randomUUID()}`, {
          headers: { Metadata: "true" },
        });
        await response.arrayBuffer();
        statuses[response.status] = (statuses[response.status] ?? 0) + 1;
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    const endRss = await rssOf(child.pid);
    const r = row("Memory", `IMDS proxy RSS: after start / after ${requests} random client ids`, (id) =>
      id === "ours" ? cell(endRss, `${formatMiB(startRss)} / ${formatMiB(endRss)}`) : undefined,
    );
    r.raw = { startRss, endRss, statuses };
    return {
      rows: [r],
      notes: [
        `The IMDS proxy row: workload-identity-imds-proxy as a child process; ${requests} token requests (${CONCURRENCY} at a time), each naming a random client id that Entra refuses (answers: ${JSON.stringify(statuses)}); RSS from /proc. The sidecar manifest limits the proxy to 128 Mi.`,
      ],
    };
  } finally {
    child.kill("SIGTERM");
  }
}

/** @param {number | undefined} pid */
async function rssOf(pid) {
  const status = await readFile(`/proc/${String(pid)}/status`, "utf8");
  const kib = /^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1];
  if (kib === undefined) throw new Error(`no VmRSS for process ${String(pid)}`);
  return Number(kib) * 1024;
}

/** @param {string} base @param {() => string} stderr */
async function waitUntilReady(base, stderr) {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    try {
      if ((await fetch(`${base}/healthz`)).status === 200) return;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  throw new Error(`the IMDS proxy did not start: ${redact(stderr())}`);
}

/** @returns {Promise<number>} */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => {
        if (address === null || typeof address === "string") reject(new Error("no port"));
        else resolve(address.port);
      });
    });
  });
}

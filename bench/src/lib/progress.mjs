// Progress on stderr (stdout carries the results table): which step is running, and time since the start.
import { performance } from "node:perf_hooks";

const startedAt = performance.now();

/** @param {string} message */
export function progress(message) {
  process.stderr.write(`[bench ${elapsed()}] ${message}\n`);
}

function elapsed() {
  const seconds = Math.floor((performance.now() - startedAt) / 1000);
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
}

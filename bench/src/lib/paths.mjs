// Where the benchmark's own files and the repository's samples are.
import { fileURLToPath } from "node:url";

/** @param {string} relative to bench/src */
export function srcPath(relative) {
  return fileURLToPath(new URL(relative, new URL("../", import.meta.url)));
}

export const BENCH_DIR = fileURLToPath(new URL("../../", import.meta.url));
export const REPO_DIR = fileURLToPath(new URL("../../../", import.meta.url));

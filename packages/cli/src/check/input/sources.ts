// The texts to check, from the command line's operands: files, directories (searched for .yaml and .yml files,
// recursively, in name order) and "-" for standard input.
import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { oneLine } from "../../lib/one-line.js";
import type { InputProblem } from "./input-problem.js";

export const STDIN_NAME = "(stdin)";

export interface Source {
  /** The path as given or as found under a directory operand, or "(stdin)". */
  name: string;
  text: string;
  /** Named on the command line (or stdin), rather than found in a directory: an empty one is an error. */
  named: boolean;
  /** A file path usable in CI annotations; undefined for stdin. */
  file?: string;
}

const MANIFEST_FILE = /\.ya?ml$/i;

/** The sources, and the problems met reading them, in one list in the order the operands name them. */
export async function readSources(
  operands: readonly string[],
  readStdin: () => Promise<string>,
): Promise<(Source | InputProblem)[]> {
  const found: (Source | InputProblem)[] = [];
  for (const operand of operands) {
    if (operand === "-") {
      found.push({ name: STDIN_NAME, text: await readStdin(), named: true });
      continue;
    }
    let isDirectory: boolean;
    try {
      isDirectory = (await stat(operand)).isDirectory();
    } catch (error) {
      found.push({ source: oneLine(operand), message: `cannot read it (${errorCode(error)})` });
      continue;
    }
    if (!isDirectory) {
      const text = await readText(operand, found);
      if (text !== undefined) found.push({ name: operand, text, named: true, file: operand });
      continue;
    }
    const files = await manifestFiles(operand, found);
    if (files.length === 0) {
      found.push({ source: oneLine(operand), message: "no .yaml or .yml files in this directory" });
    }
    for (const file of files) {
      const text = await readText(file, found);
      if (text !== undefined) found.push({ name: file, text, named: false, file });
    }
  }
  return found;
}

export function isSource(entry: Source | InputProblem): entry is Source {
  return "text" in entry;
}

/** The .yaml and .yml files under `dir`, depth first in name order. Symbolic links to directories are not followed. */
async function manifestFiles(dir: string, found: (Source | InputProblem)[]): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    found.push({ source: oneLine(dir), message: `cannot read the directory (${errorCode(error)})` });
    return [];
  }
  const files: string[] = [];
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...(await manifestFiles(path, found)));
    else if (MANIFEST_FILE.test(entry.name) && (entry.isFile() || (await isFile(path)))) files.push(path);
  }
  return files;
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

async function readText(path: string, found: (Source | InputProblem)[]): Promise<string | undefined> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    found.push({ source: oneLine(path), message: `cannot read it (${errorCode(error)})` });
    return undefined;
  }
}

function errorCode(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? String(error);
}

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

export async function readSources(
  operands: readonly string[],
  readStdin: () => Promise<string>,
): Promise<{ sources: Source[]; problems: InputProblem[] }> {
  const sources: Source[] = [];
  const problems: InputProblem[] = [];
  for (const operand of operands) {
    if (operand === "-") {
      sources.push({ name: STDIN_NAME, text: await readStdin(), named: true });
      continue;
    }
    let isDirectory: boolean;
    try {
      isDirectory = (await stat(operand)).isDirectory();
    } catch (error) {
      problems.push({ source: oneLine(operand), message: `cannot read it (${errorCode(error)})` });
      continue;
    }
    if (!isDirectory) {
      const text = await readText(operand, problems);
      if (text !== undefined) sources.push({ name: operand, text, named: true, file: operand });
      continue;
    }
    const files = await manifestFiles(operand, problems);
    if (files.length === 0) {
      problems.push({ source: oneLine(operand), message: "no .yaml or .yml files in this directory" });
    }
    for (const file of files) {
      const text = await readText(file, problems);
      if (text !== undefined) sources.push({ name: file, text, named: false, file });
    }
  }
  return { sources, problems };
}

/** The .yaml and .yml files under `dir`, depth first in name order. Symbolic links to directories are not followed. */
async function manifestFiles(dir: string, problems: InputProblem[]): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    problems.push({ source: oneLine(dir), message: `cannot read the directory (${errorCode(error)})` });
    return [];
  }
  const found: string[] = [];
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...(await manifestFiles(path, problems)));
    else if (MANIFEST_FILE.test(entry.name) && (entry.isFile() || (await isFile(path)))) found.push(path);
  }
  return found;
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

async function readText(path: string, problems: InputProblem[]): Promise<string | undefined> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    problems.push({ source: oneLine(path), message: `cannot read it (${errorCode(error)})` });
    return undefined;
  }
}

function errorCode(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? String(error);
}

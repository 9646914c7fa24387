// Who may read a file, for messages about one this process could not read.
import { stat } from "node:fs/promises";

/** " (mode 0600, owner 0:0)", or "" when the file cannot be stat'ed either. */
export async function ownership(path: string): Promise<string> {
  try {
    const info = await stat(path);
    return ` (mode ${(info.mode & 0o777).toString(8).padStart(4, "0")}, owner ${info.uid}:${info.gid})`;
  } catch {
    return "";
  }
}

/** This process's user id, as the report names it ("?" where there is none, on Windows). */
export function uid(): string {
  return String(process.getuid?.() ?? "?");
}

// Writes files the way kubelet's AtomicWriter does, so readers see a complete old or new set, never a mix:
//   dir/..2026_11_22_20_55_18.1234567/<file>   the payload of one generation
//   dir/..data -> ..2026_11_22_20_55_18.1234567 swapped by rename(2), which is atomic
//   dir/<file> -> ..data/<file>                 the stable path applications open
// A nested path ("token/azure-identity-token", as the Workload Identity webhook v1.6 projects it) is linked by its
// first segment, as kubelet does: dir/token -> ..data/token.
import { chmod, mkdir, mkdtemp, readlink, rename, rm, symlink, writeFile, lstat } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

const DATA_DIR = "..data";
const DATA_DIR_TMP = "..data_tmp";

/**
 * @param files relative paths ("a" or "a/b") and their contents
 * @param onSwap called right after `..data` points at the new generation, before anything else is awaited: what
 *   must change at the instant readers see the new files (the token proxy's certificate) happens there.
 */
export async function writeAtomically(
  dir: string,
  files: Record<string, string>,
  mode = 0o644,
  onSwap?: () => void,
): Promise<void> {
  await mkdir(dir, { recursive: true });
  const previous = await readlinkIfExists(join(dir, DATA_DIR));

  const generation = await mkdtemp(join(dir, `..${timestamp(new Date())}.`));
  await chmod(generation, 0o755);
  for (const [name, content] of Object.entries(files)) {
    const path = join(generation, name);
    if (dirname(name) !== ".") {
      await mkdir(dirname(path), { recursive: true });
      await chmod(dirname(path), 0o755);
    }
    await writeFile(path, content, { mode });
    await chmod(path, mode); // writeFile's mode is filtered by the umask
  }

  await rm(join(dir, DATA_DIR_TMP), { force: true });
  await symlink(basename(generation), join(dir, DATA_DIR_TMP));
  await rename(join(dir, DATA_DIR_TMP), join(dir, DATA_DIR));
  onSwap?.();

  for (const top of new Set(Object.keys(files).map((name) => name.split("/")[0] ?? name))) {
    const link = join(dir, top);
    if (!(await exists(link))) await symlink(join(DATA_DIR, top), link);
  }
  if (previous !== undefined && previous !== basename(generation)) {
    await rm(join(dir, previous), { recursive: true, force: true });
  }
}

/** kubelet's layout: `2006_01_02_15_04_05` in UTC. */
function timestamp(date: Date): string {
  const p = (n: number) => String(n).padStart(2, "0");
  return `${date.getUTCFullYear()}_${p(date.getUTCMonth() + 1)}_${p(date.getUTCDate())}_${p(date.getUTCHours())}_${p(date.getUTCMinutes())}_${p(date.getUTCSeconds())}`;
}

async function readlinkIfExists(path: string): Promise<string | undefined> {
  try {
    return await readlink(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch {
    return false;
  }
}

// CI check that turbo's cache tells the truth (issue 10). Run it on a clean checkout, before anything is built:
//   1. one package lints alone: `turbo run lint --filter=@workload-identity/credential` builds the package
//      first (attw and publint pack its dist);
//   2. a change to tsconfig.base.json misses klog's build cache, an edit under scripts/containers/ does not;
//   3. every task that runs tsc has for inputs exactly the files its tsconfigs compile, the tsconfigs they
//      extend and the scripts it runs; every file under the paths eslint is given (src, bin) is an input of
//      its lint task, and no lint task reads a file outside its package that is not an input.
// Files edited for check 2 are put back byte for byte (and their mtime) before it exits, even on a signal.
import { execFile } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { constants } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import ts from "typescript";

const started = performance.now();
const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const turboBin = join(root, "node_modules", ".bin", "turbo");
const run = promisify(execFile);
const failures = [];
const check = (ok, message) => {
  console.log(`${ok ? "ok  " : "FAIL"} ${message}`);
  if (!ok) failures.push(message);
};

async function turbo(args) {
  const { stdout } = await run(turboBin, ["run", ...args], { cwd: root, maxBuffer: 256 * 1024 * 1024 });
  return stdout;
}
async function dryRun(args) {
  return JSON.parse(await turbo([...args, "--dry=json"])).tasks;
}
const task = (tasks, id) => {
  const found = tasks.find((t) => t.taskId === id);
  if (!found) throw new Error(`turbo planned no ${id}`);
  return found;
};

// --- 1. lint one package alone ---------------------------------------------------------------------------
const credential = "@workload-identity/credential";
const lintArgs = ["lint", `--filter=${credential}`];
const clean = !existsSync(join(root, "packages/credential/dist"));
const lintTask = task(await dryRun(lintArgs), `${credential}#lint`);
check(
  lintTask.dependencies.includes(`${credential}#build`),
  `${credential}#lint runs after ${credential}#build`,
);
try {
  // --force: the lint runs, it is not replayed from a cache.
  await turbo([...lintArgs, "--force", "--output-logs=errors-only"]);
  check(true, `turbo run ${lintArgs.join(" ")} passes (${clean ? "on a clean tree" : "dist already built"})`);
} catch (error) {
  process.stdout.write(`${error.stdout ?? ""}${error.stderr ?? ""}`);
  check(
    false,
    `turbo run ${lintArgs.join(" ")} failed (${clean ? "on a clean tree" : "dist already built"})`,
  );
}

// --- 2. what klog's build cache answers to ----------------------------------------------------------------
const klogBuild = ["build", "--filter=@workload-identity/klog"];
const edits = new Map(); // path -> { original, edited, mtime }
function edit(path) {
  const abs = join(root, path);
  const original = readFileSync(abs);
  const edited = Buffer.concat([original, Buffer.from("\n")]);
  edits.set(abs, { original, edited, mtime: statSync(abs).mtime });
  writeFileSync(abs, edited);
}
function restore() {
  for (const [abs, { original, edited, mtime }] of edits) {
    if (readFileSync(abs).equals(edited)) {
      writeFileSync(abs, original);
      utimesSync(abs, mtime, mtime);
    } else {
      console.error(`${relative(root, abs)} changed while this check ran; left as it is`);
    }
    edits.delete(abs);
  }
}
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.on(signal, () => {
    restore();
    process.exit(128 + constants.signals[signal]);
  });
}
async function klogCache(editPath) {
  try {
    if (editPath) edit(editPath);
    return task(await dryRun(klogBuild), "@workload-identity/klog#build");
  } finally {
    restore();
  }
}

let base = await klogCache();
if (base.cache.status !== "HIT") {
  await turbo([...klogBuild, "--output-logs=errors-only"]);
  base = await klogCache();
}
check(base.cache.status === "HIT", `klog#build is cached (${base.hash})`);
for (const [path, shouldMiss] of [
  ["tsconfig.base.json", true],
  ["scripts/containers/podman.mjs", false],
  ["scripts/finish-build.mjs", true],
]) {
  const after = await klogCache(path);
  const missed = after.hash !== base.hash;
  const outcome = `${after.cache.status}, ${missed ? `hash ${after.hash}` : "same hash"}`;
  check(
    missed === shouldMiss,
    `a change to ${path} ${shouldMiss ? "misses" : "still hits"} klog#build's cache (${outcome})`,
  );
}

// --- 3. inputs are the files each command reads -----------------------------------------------------------
function tsconfigReads(project) {
  const host = {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => {
      throw new Error(ts.flattenDiagnosticMessageText(d.messageText, " "));
    },
  };
  const parsed = ts.getParsedCommandLineOfConfigFile(project, undefined, host);
  if (!parsed) throw new Error(`cannot read ${project}`);
  return [project, ...(parsed.options.configFile?.extendedSourceFiles ?? []), ...parsed.fileNames];
}
function filesUnder(path) {
  if (!existsSync(path)) return [];
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}
const show = (paths) => paths.map((path) => relative(root, path)).join(", ");
const tasks = (await dryRun(["build", "typecheck", "lint"])).filter((t) => t.command !== "<NONEXISTENT>");
const wrong = [];
for (const t of tasks) {
  const dir = join(root, t.directory);
  const inputs = new Set(Object.keys(t.inputs).map((path) => resolve(dir, path)));
  const reads = new Set([join(dir, "package.json")]); // turbo hashes it whatever the inputs say
  for (const [, script] of t.command.matchAll(/\bnode (\S+\.[cm]?js)\b/g)) reads.add(resolve(dir, script));
  const projects = [...t.command.matchAll(/\btsc -p (\S+)/g)].map(([, project]) => resolve(dir, project));
  for (const project of projects) for (const path of tsconfigReads(project)) reads.add(path);
  const eslint = t.command.match(/\beslint((?: [^\s&|;]+)*)/);
  if (eslint) {
    // eslint reads the root config, every file under the paths it is given, and, for typed rules, the
    // package's tsconfig.json and what it extends.
    reads.add(join(root, "eslint.config.mjs"));
    const targets = eslint[1].split(" ").filter((arg) => arg !== "" && !arg.startsWith("-"));
    for (const target of targets) for (const path of filesUnder(resolve(dir, target))) reads.add(path);
    const tsconfig = join(dir, "tsconfig.json");
    if (existsSync(tsconfig)) for (const path of tsconfigReads(tsconfig)) reads.add(path);
  }
  if (!eslint && projects.length === 0) continue;
  const missing = [...reads].filter((path) => !inputs.has(path));
  const extra = [...inputs].filter(
    (path) => !reads.has(path) && (!eslint || relative(dir, path).startsWith("..")),
  );
  if (missing.length > 0) wrong.push(`${t.taskId} reads what is not among its inputs: ${show(missing)}`);
  if (extra.length > 0) wrong.push(`${t.taskId} has inputs it does not read: ${show(extra)}`);
}
check(wrong.length === 0, `${tasks.length} build, typecheck and lint tasks: inputs are the files they read`);
for (const line of wrong) console.log(`       ${line}`);

const seconds = ((performance.now() - started) / 1000).toFixed(1);
if (failures.length > 0) {
  console.error(
    `\n${failures.length} build cache check(s) failed in ${seconds} s: see turbo.json's inputs and dependsOn`,
  );
  process.exit(1);
}
console.log(`build cache checks passed in ${seconds} s`);

// `npm run test:consumer`: the published packages as a user installs them. Builds them (turbo, cached), packs
// credential, cli, emulator, imds-proxy and klog, installs the tarballs beside the current Azure SDK in a scratch
// app outside the workspace, and checks from there (README.md beside this file). Uses the node and npm on PATH;
// prints one ok / not ok line per check and "N passed, N failed", exits 1 on any failure or on no check at all,
// and appends its totals to $TEST_SUMMARY_FILE as the jest runs do.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { constants, tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { createRunner, seconds } from "../containers/runner.mjs";

const repoDir = fileURLToPath(new URL("../..", import.meta.url));
const appSources = fileURLToPath(new URL("app/", import.meta.url));
const PACKAGES = ["credential", "cli", "emulator", "imds-proxy", "klog"].map(
  (name) => `@workload-identity/${name}`,
);
// What an app on the current Azure SDK has, with the TypeScript it compiles with.
const APP_DEPENDENCIES = [
  "@azure/identity@^4.14.1",
  "@azure/keyvault-secrets@^4.12.0",
  "@azure/logger",
  "@azure/core-auth",
  "typescript@~5.9.3",
  "@types/node@^22",
];
// One copy each, shared by the app's Azure SDK and the credential: two loggers would ignore the app's
// setLogLevel, and the credential's spans would not join the SDK's tracing.
const ONE_COPY = ["@azure/logger", "@azure/core-auth", "@azure/core-tracing"];
const BINS = ["workload-identity", "workload-identity-emulator", "workload-identity-imds-proxy"];
const SCOPE = "https://vault.azure.net/.default";
const TYPESCRIPT = [
  { flavour: "node16, ES module (.mts)", file: "consumer.mts", module: "node16", moduleResolution: "node16" },
  { flavour: "node16, CommonJS (.cts)", file: "consumer.cts", module: "node16", moduleResolution: "node16" },
  { flavour: "bundler (.ts)", file: "consumer.ts", module: "esnext", moduleResolution: "bundler" },
];

// npm run hands its scripts the workspace's settings as npm_* variables (npm_config_local_prefix among them):
// an npm started with them would install into the workspace instead of the scratch app.
const npmEnv = withoutVariables(process.env, (name) => name.startsWith("npm_") || name === "INIT_CWD");
// The apps get the emulator's environment and nothing Azure- or proxy-related from the caller's.
const APP_EXCLUDED =
  /^(AZURE_|NODE_EXTRA_CA_CERTS$|KEYVAULT_URL$|SECRET_NAME$|GRAPH_ENDPOINT$|(https?|no|all)_proxy$)/i;
const appBaseEnv = withoutVariables(npmEnv, (name) => APP_EXCLUDED.test(name));

const { check, fail, finish } = createRunner("consumer");
const timings = [];
const started = Date.now();
const workDir = mkdtempSync(join(tmpdir(), "workload-identity-consumer-"));
const tarballDir = join(workDir, "tarballs");
const appDir = join(workDir, "app");
const running = new Set(); // child processes: npm, tsc, the apps, the emulator
let emulator;

function cleanUp() {
  for (const child of running) child.kill("SIGKILL");
  rmSync(workDir, { recursive: true, force: true });
}
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.once(signal, () => {
    cleanUp();
    process.exit(128 + constants.signals[signal]);
  });
}

try {
  assert.ok(
    relative(repoDir, workDir).startsWith(".."),
    `the scratch app must be outside the workspace, and ${workDir} is inside ${repoDir}: set TMPDIR elsewhere`,
  );

  const BUILD = "the five packages build (turbo run build, cached)";
  await phase("build", () =>
    check(BUILD, async () => {
      const filters = PACKAGES.map((name) => `--filter=${name}`);
      const turbo = join(repoDir, "node_modules", ".bin", "turbo");
      succeeded(
        await run(turbo, ["run", "build", "--output-logs=errors-only", ...filters], { cwd: repoDir }),
      );
    }),
  );

  const PACK = "npm pack makes a tarball of each package";
  const tarballs = await phase("pack", () =>
    check(
      PACK,
      async () => {
        mkdirSync(tarballDir);
        const workspaces = PACKAGES.map((name) => `--workspace=${name}`);
        const args = ["pack", "--json", `--pack-destination=${tarballDir}`, ...workspaces];
        const packed = JSON.parse(succeeded(await run("npm", args, { cwd: repoDir, env: npmEnv })).stdout);
        assert.deepEqual(packed.map((p) => p.name).sort(), [...PACKAGES].sort());
        return packed.map((p) => join(tarballDir, p.filename));
      },
      { needs: [BUILD] },
    ),
  );

  const INSTALL = `a scratch app outside the workspace installs the tarballs with ${APP_DEPENDENCIES.join(" ")}`;
  await phase("install", () =>
    check(
      INSTALL,
      async () => {
        mkdirSync(appDir);
        writeFileSync(
          join(appDir, "package.json"),
          `${JSON.stringify({ name: "consumer-app", version: "0.0.0", private: true }, null, 2)}\n`,
        );
        const args = ["install", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error"];
        succeeded(
          await run("npm", [...args, ...tarballs, ...APP_DEPENDENCIES], {
            cwd: appDir,
            env: npmEnv,
            timeoutMs: 300_000,
          }),
        );
      },
      { needs: [PACK] },
    ),
  );
  prepareApp();

  await phase("npm ls", async () => {
    await check(
      "cli and imds-proxy use the packed @workload-identity/credential: one copy, from its tarball",
      async () => {
        const copies = await copiesOf("@workload-identity/credential");
        assert.equal(copies.length, 1, `copies: ${JSON.stringify(copies)}`);
        assert.match(copies[0].resolved ?? "", /^file:.*\.tgz$/, `resolved from ${copies[0].resolved}`);
        assert.deepEqual(copies[0].usedBy.sort(), [
          "@workload-identity/cli",
          "@workload-identity/imds-proxy",
        ]);
      },
      { needs: [INSTALL] },
    );
    for (const name of ONE_COPY) {
      await check(
        `one ${name} in the tree, shared by the app's Azure SDK and the credential`,
        async () => {
          const copies = await copiesOf(name);
          assert.equal(copies.length, 1, `${copies.length} copies: ${JSON.stringify(copies)}`);
          assert.ok(
            copies[0].usedBy.includes("@workload-identity/credential"),
            "the credential does not use it",
          );
          assert.ok(
            copies[0].usedBy.some((user) => user.startsWith("@azure/")),
            `no Azure SDK package uses it, only ${copies[0].usedBy.join(", ")}`,
          );
        },
        { needs: [INSTALL] },
      );
    }
  });

  const secretValue = randomBytes(16).toString("hex");
  const EMULATOR = "the installed emulator's bin starts and prints the pod environment as JSON (--json)";
  const emulatorEnv = await phase("emulator start", () =>
    check(EMULATOR, () => startEmulator(secretValue), { needs: [INSTALL] }),
  );

  await phase("apps", async () => {
    for (const [flavour, script, loads] of [
      ["ES module app", "keyvault.mjs", "import"],
      ["CommonJS app", "keyvault.cjs", "require"],
    ]) {
      const RUNS = `${flavour}: loads @workload-identity/credential with ${loads} and reports`;
      const report = await check(RUNS, () => runApp(script, emulatorEnv), { needs: [EMULATOR] });
      await check(
        `${flavour}: getToken("${SCOPE}") returns a token from the emulated Entra`,
        () => {
          assert.equal(report.tokenError, undefined, `getToken failed: ${JSON.stringify(report.tokenError)}`);
          assert.ok(report.token.length > 0, "empty token");
          assert.ok(report.token.expiresInSeconds > 60, `expires in ${report.token.expiresInSeconds} s`);
        },
        { needs: [RUNS] },
      );
      await check(
        `${flavour}: SecretClient from @azure/keyvault-secrets reads the emulated vault's secret with the credential`,
        () => {
          assert.equal(
            report.secretError,
            undefined,
            `getSecret failed: ${JSON.stringify(report.secretError)}`,
          );
          const expected = createHash("sha256").update(secretValue).digest("hex");
          assert.equal(report.secretSha256, expected, "the secret read is not the one the vault holds");
        },
        { needs: [RUNS] },
      );
      await check(
        `${flavour}: the app's setLogLevel("info") turns the credential's logs on, and its AzureLogger.log override receives them`,
        () => {
          const shown = `lines:\n${report.lines.join("\n")}`;
          assert.equal(report.linesBeforeSetLogLevel, 0, `logged before setLogLevel; ${shown}`);
          assert.ok(
            report.lines.some((l) =>
              /^azure:workload-identity:info WorkloadIdentityCredential configured/.test(l),
            ),
            `no "WorkloadIdentityCredential configured" line at info; ${shown}`,
          );
          assert.ok(
            report.lines.some((l) =>
              l.startsWith(`azure:workload-identity:info Token acquired for ${SCOPE}`),
            ),
            `no "Token acquired" line at info; ${shown}`,
          );
        },
        { needs: [RUNS] },
      );
      await check(
        `${flavour}: no access token, projected token or secret in the log lines`,
        () => {
          assert.ok(report.lines.length > 0, "no log line was captured: nothing to look in");
          const found = `${report.leaked.join(", ")} found in the log lines (masked here)`;
          assert.deepEqual(report.leaked, [], `${found}:\n${report.lines.join("\n")}`);
        },
        { needs: [RUNS] },
      );
    }
  });

  await phase("typescript", () =>
    Promise.all(
      TYPESCRIPT.map(({ flavour, file, module, moduleResolution }) =>
        check(
          `TypeScript, strict, skipLibCheck false, ${flavour}: the credential and its types compile with SecretClient`,
          async () => {
            const project = join(appDir, `tsconfig.${file}.json`);
            const compilerOptions = {
              module,
              moduleResolution,
              target: "es2022",
              strict: true,
              skipLibCheck: false,
              noEmit: true,
              types: ["node"],
            };
            writeFileSync(project, JSON.stringify({ compilerOptions, files: [file] }, null, 2));
            const tsc = join(appDir, "node_modules", "typescript", "bin", "tsc");
            succeeded(await run(process.execPath, [tsc, "-p", project], { cwd: appDir, env: appBaseEnv }));
          },
          { needs: [INSTALL] },
        ),
      ),
    ),
  );

  await phase("bins", async () => {
    for (const bin of BINS) {
      await check(
        `npx ${bin} --help, in the scratch app, prints the usage and exits 0`,
        async () => {
          // --no: never download a package of that name if the bin is not linked.
          const result = succeeded(
            await run("npx", ["--no", "--", bin, "--help"], { cwd: appDir, env: npmEnv }),
          );
          assert.match(result.stdout, new RegExp(`^Usage: ${bin} `), `stdout:\n${result.stdout}`);
        },
        { needs: [INSTALL] },
      );
    }
  });

  await phase("emulator stop", () =>
    check(
      "the installed emulator exits 0 on SIGTERM",
      async () => {
        const exited = exitOf(emulator, 10_000);
        emulator.kill("SIGTERM");
        assert.deepEqual(await exited, { code: 0, signal: null });
      },
      { needs: [EMULATOR] },
    ),
  );
} catch (error) {
  fail("consumer test harness", error);
} finally {
  await phase("clean up", cleanUp);
}

const npmVersion = (await run("npm", ["--version"], { cwd: tmpdir() })).stdout.trim();
console.log(
  `\n${process.version}, npm ${npmVersion}: ${timings.map(([name, ms]) => `${name} ${seconds(ms)}`).join(", ")};` +
    ` total ${seconds(Date.now() - started)}`,
);
process.exitCode = finish();

// --- helpers ------------------------------------------------------------------------------------------------

async function phase(name, fn) {
  const begun = Date.now();
  try {
    return await fn();
  } finally {
    timings.push([name, Date.now() - begun]);
  }
}

function withoutVariables(env, excluded) {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !excluded(name)));
}

/** Tracks `child` until it exits, so a failure or a signal never leaves it running. */
function tracked(child) {
  running.add(child);
  child.once("exit", () => running.delete(child));
  return child;
}

/** Resolves with how the child exited, or with "still running" after `ms`. */
function exitOf(child, ms) {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      resolve({ code: child.exitCode, signal: child.signalCode });
      return;
    }
    const timer = setTimeout(() => resolve(`still running after ${seconds(ms)}`), ms);
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal });
    });
  });
}

/** Runs a command to its end; resolves with its exit and output (a timeout kills it and counts as a failure). */
function run(command, args, { cwd, env = npmEnv, timeoutMs = 120_000 }) {
  return new Promise((resolve, reject) => {
    const child = tracked(spawn(command, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] }));
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    const timer = setTimeout(() => {
      stderr += `\n(killed after ${seconds(timeoutMs)})`;
      child.kill("SIGKILL");
    }, timeoutMs);
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ command: [command, ...args].join(" "), code, signal, stdout, stderr });
    });
  });
}

/** The result when the command exited 0; else an error quoting the end of its output. */
function succeeded(result) {
  if (result.code === 0) return result;
  const tail = (text) => text.trim().split("\n").slice(-30).join("\n");
  throw new Error(
    `${result.command} exited ${result.code ?? result.signal}\n--- stdout\n${tail(result.stdout)}\n--- stderr\n${tail(result.stderr)}`,
  );
}

/** The app's own files: the two apps, what they share, and the TypeScript consumer in each flavour. */
function prepareApp() {
  if (!existsSync(appDir)) return;
  for (const file of ["keyvault.mjs", "keyvault.cjs", "exercise.cjs"]) {
    copyFileSync(join(appSources, file), join(appDir, file));
  }
  for (const { file } of TYPESCRIPT) copyFileSync(join(appSources, "consumer.ts"), join(appDir, file));
}

/** Every installed copy of `name` (by path) with its version, where it came from, and the packages using it. */
async function copiesOf(name) {
  const result = await run("npm", ["ls", name, "--all", "--json", "--long"], { cwd: appDir, env: npmEnv });
  // npm ls exits 1 when it finds a problem anywhere in the tree (a peer range, say); its JSON is whole either way.
  const tree = JSON.parse(result.stdout);
  const copies = new Map();
  const walk = (node, parent) => {
    for (const [depName, dep] of Object.entries(node.dependencies ?? {})) {
      if (depName === name && dep.path) {
        const copy = copies.get(dep.path) ?? { version: dep.version, resolved: dep.resolved, usedBy: [] };
        if (parent !== undefined && !copy.usedBy.includes(parent)) copy.usedBy.push(parent);
        copies.set(dep.path, copy);
      }
      walk(dep, depName);
    }
  };
  walk(tree, undefined);
  if (copies.size === 0) throw new Error(`npm ls found no ${name}: ${result.stderr.trim()}`);
  return [...copies].map(([path, copy]) => ({ path: relative(appDir, path), ...copy }));
}

/** Starts node_modules/.bin/workload-identity-emulator with one vault holding `secret`; resolves with its --json. */
async function startEmulator(secret) {
  const config = join(workDir, "emulator.json");
  writeFileSync(
    config,
    JSON.stringify({ vaults: [{ name: "consumer-kv", secrets: { "consumer-secret": secret } }] }),
  );
  const bin = join(appDir, "node_modules", ".bin", "workload-identity-emulator");
  const args = ["--config", config, "--state-dir", join(workDir, "emulator-state"), "--json"];
  emulator = tracked(spawn(bin, args, { cwd: appDir, env: appBaseEnv, stdio: ["ignore", "pipe", "pipe"] }));
  let stdout = "";
  let stderr = "";
  emulator.stderr.on("data", (chunk) => (stderr += chunk));
  const env = await new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no environment within 30 s; stderr:\n${stderr}`)),
      30_000,
    );
    emulator.on("exit", (code) => reject(new Error(`the emulator exited ${code}; stderr:\n${stderr}`)));
    emulator.stdout.on("data", (chunk) => {
      stdout += chunk;
      try {
        const parsed = JSON.parse(stdout);
        clearTimeout(timer);
        resolve(parsed);
      } catch {
        // Not all of it yet.
      }
    });
  });
  assert.equal(env.SECRET_NAME, "consumer-secret");
  assert.match(env.KEYVAULT_URL, /^https:\/\/127\.0\.0\.1:\d+\/$/);
  assert.ok(existsSync(env.NODE_EXTRA_CA_CERTS), `no CA at NODE_EXTRA_CA_CERTS ${env.NODE_EXTRA_CA_CERTS}`);
  assert.ok(existsSync(env.AZURE_FEDERATED_TOKEN_FILE), `no token file at ${env.AZURE_FEDERATED_TOKEN_FILE}`);
  for (const name of ["AZURE_CLIENT_ID", "AZURE_TENANT_ID", "AZURE_AUTHORITY_HOST"])
    assert.ok(env[name], name);
  return env;
}

/** Runs one of the apps with the emulator's environment; resolves with its report. */
async function runApp(script, env) {
  const result = succeeded(
    await run(process.execPath, [script], { cwd: appDir, env: { ...appBaseEnv, ...env } }),
  );
  const report = JSON.parse(result.stdout.trim().split("\n").pop());
  assert.ok(Array.isArray(report.lines), `no report: ${result.stdout}`);
  return report;
}

// `npm run bench`: our credential side by side with @azure/identity and msal-node against the emulator.
// The short measurements run one after another (they time things); the long scenarios run together at the
// end (one call per second each). The table goes to stdout and bench/results/; progress to stderr.
import { MEASUREMENTS, parseOptions, UsageError, USAGE } from "./cli/options.mjs";
import { Emulators } from "./lib/emulators.mjs";
import { credentialBuildTime, machine, packageVersions } from "./lib/machine.mjs";
import { progress } from "./lib/progress.mjs";
import { redact } from "./lib/redact.mjs";
import { measureColdBurst } from "./measures/cold-burst.mjs";
import { measureFaults } from "./measures/faults.mjs";
import { measureFirstToken } from "./measures/first-token.mjs";
import { measureImdsProxyMemory } from "./measures/imds-proxy-memory.mjs";
import { measureImport } from "./measures/import.mjs";
import { measureOutage } from "./measures/outage.mjs";
import { measureSamples } from "./measures/samples.mjs";
import { measureSoak } from "./measures/soak.mjs";
import { measureThroughput } from "./measures/throughput.mjs";
import { renderMarkdown } from "./report/markdown.mjs";
import { writeResults } from "./report/results.mjs";

/** Measurement name -> its function; `long` ones run concurrently, each on its own emulators. */
const RUNNERS = {
  import: { measure: measureImport },
  "first-token": { measure: measureFirstToken },
  throughput: { measure: measureThroughput },
  "cold-burst": { measure: measureColdBurst },
  faults: { measure: measureFaults },
  "imds-proxy-memory": { measure: measureImdsProxyMemory },
  samples: { measure: measureSamples },
  outage: { measure: measureOutage, long: true },
  soak: { measure: measureSoak, long: true },
};

async function main() {
  let options;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`${error.message ? `${error.message}\n` : ""}${USAGE}\n`);
    process.exit(error.message ? 2 : 0);
  }
  const selected = MEASUREMENTS.filter((name) => options.only.has(name));
  progress(`${options.quick ? "quick" : "full"} run, ${options.rounds} rounds: ${selected.join(", ")}`);

  const buildTime = credentialBuildTime();
  const emulators = await Emulators.create();
  /** @type {Record<string, Outcome>} */
  const outcomes = {};
  try {
    const emulator = await emulators.start();
    const context = { options, emulators, emulator, env: emulator.env };
    for (const name of selected.filter((n) => !RUNNERS[n].long)) {
      outcomes[name] = await attempt(name, () => RUNNERS[name].measure(context));
    }
    await emulators.stop(emulator);
    const long = selected.filter((n) => RUNNERS[n].long);
    if (long.length > 0) progress(`long scenarios, all implementations at once: ${long.join(", ")}`);
    await Promise.all(
      long.map(async (name) => {
        outcomes[name] = await attempt(name, () => RUNNERS[name].measure(context));
      }),
    );
  } finally {
    await emulators.closeAll();
  }

  const done = selected.map((name) => outcomes[name]).filter((o) => o !== undefined);
  const rebuilt =
    credentialBuildTime() === buildTime
      ? []
      : [
          "The credential's dist/ was rebuilt while this run was going on: the numbers mix two builds; run again.",
        ];
  /** @type {import("./report/results.mjs").Results} */
  const results = {
    generatedAt: new Date().toISOString(),
    mode: options.quick ? "quick: scaled-down, not comparable with a full run" : "full",
    rounds: options.rounds,
    measurements: selected,
    machine: machine(),
    packages: packageVersions(),
    rows: done.flatMap((o) => o.rows),
    notes: [...rebuilt, ...done.flatMap((o) => o.notes)],
    tables: done.flatMap((o) => o.tables ?? []),
    raw: Object.fromEntries(selected.map((name) => [name, outcomes[name]?.raw])),
  };
  const markdown = renderMarkdown(results);
  const dir = await writeResults(results, markdown);
  process.stdout.write(markdown);
  progress(`done; results in ${dir}`);
}

/**
 * What a measurement returns: rows of the main table, notes under it, tables of its own, the raw numbers.
 * @typedef {{
 *   rows: import("./report/row.mjs").Row[],
 *   notes: string[],
 *   tables?: import("./report/results.mjs").Table[],
 *   raw?: unknown,
 * }} Outcome
 */

/**
 * A measurement that fails (a child crashed, the emulator refused) becomes a note; the others still run.
 * @param {string} name
 * @param {() => Promise<Outcome>} measure
 */
async function attempt(name, measure) {
  try {
    return await measure();
  } catch (error) {
    const message = redact(String(error instanceof Error ? error.message : error)).split("\n")[0] ?? "";
    progress(`${name} failed: ${message}`);
    return { rows: [], notes: [`Measurement "${name}" failed: ${message}`], raw: { error: message } };
  }
}

await main();

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
import { measureIdentityBinding } from "./measures/identity-binding.mjs";
import { measureIdentityBindingSoak } from "./measures/identity-binding-soak.mjs";
import { measureImdsProxyMemory } from "./measures/imds-proxy-memory.mjs";
import { measureImport } from "./measures/import.mjs";
import { measureOutage } from "./measures/outage.mjs";
import { measureSamples } from "./measures/samples.mjs";
import { measureSoak } from "./measures/soak.mjs";
import { measureThroughput } from "./measures/throughput.mjs";
import { renderMarkdown } from "./report/markdown.mjs";
import { writeResults } from "./report/results.mjs";

/**
 * Measurement name -> its parts: `short` ones run one after another; `long` ones run concurrently at the end,
 * each on its own emulators. A measurement with both reports the short part's rows first.
 * @type {Record<string, { short?: Measure, long?: Measure }>}
 */
const RUNNERS = {
  import: { short: measureImport },
  "first-token": { short: measureFirstToken },
  throughput: { short: measureThroughput },
  "cold-burst": { short: measureColdBurst },
  faults: { short: measureFaults },
  "imds-proxy-memory": { short: measureImdsProxyMemory },
  samples: { short: measureSamples },
  outage: { long: measureOutage },
  soak: { long: measureSoak },
  "identity-binding": { short: measureIdentityBinding, long: measureIdentityBindingSoak },
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
  /** @type {Record<string, { short?: Outcome, long?: Outcome }>} */
  const outcomes = Object.fromEntries(selected.map((name) => [name, {}]));
  try {
    const emulator = await emulators.start();
    const context = { options, emulators, emulator, env: emulator.env };
    for (const name of selected) {
      const { short } = RUNNERS[name];
      if (short) outcomes[name].short = await attempt(name, () => short(context));
    }
    await emulators.stop(emulator);
    const long = selected.filter((n) => RUNNERS[n].long);
    if (long.length > 0) progress(`long scenarios, all implementations at once: ${long.join(", ")}`);
    await Promise.all(
      long.map(async (name) => {
        outcomes[name].long = await attempt(name, () => RUNNERS[name].long(context));
      }),
    );
  } finally {
    await emulators.closeAll();
  }

  const done = selected.map((name) => combine(outcomes[name])).filter((o) => o !== undefined);
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
    raw: Object.fromEntries(selected.map((name) => [name, combine(outcomes[name])?.raw])),
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

/** @typedef {(context: any) => Promise<Outcome>} Measure */

/**
 * One outcome from a measurement's parts: rows, notes and tables in order; the raw numbers as they are for one
 * part, else `{ short, long }`.
 * @param {{ short?: Outcome, long?: Outcome }} parts
 * @returns {Outcome | undefined}
 */
function combine({ short, long }) {
  if (short === undefined || long === undefined) return short ?? long;
  return {
    rows: [...short.rows, ...long.rows],
    notes: [...short.notes, ...long.notes],
    tables: [...(short.tables ?? []), ...(long.tables ?? [])],
    raw: { short: short.raw, long: long.raw },
  };
}

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

// The command line: --quick, --rounds N, --only a,b; resolved into the settings every measurement reads.

/** Measurement names, in the order they run. */
export const MEASUREMENTS = [
  "import",
  "first-token",
  "throughput",
  "cold-burst",
  "faults",
  "imds-proxy-memory",
  "outage",
  "soak",
  "identity-binding",
  "samples",
];

export const USAGE = `Usage: npm run bench -- [--quick] [--rounds N] [--only ${MEASUREMENTS.join(",")}]
  --quick     fewer rounds, shorter passes, and the outage and both soak scenarios scaled down to about 30 s
  --rounds N  rounds of each short measurement (medians are reported); default 5, or 2 with --quick
  --only L    run only the named measurements (comma-separated)`;

export class UsageError extends Error {}

/**
 * @param {string[]} argv the arguments after the script
 */
export function parseOptions(argv) {
  let quick = false;
  let rounds;
  let only = MEASUREMENTS;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] ?? "";
    const [flag, inline] = arg.startsWith("--") && arg.includes("=") ? arg.split(/=(.*)/s) : [arg, undefined];
    const value = () => inline ?? argv[++i] ?? "";
    if (flag === "--quick") quick = true;
    else if (flag === "--rounds") {
      const raw = value();
      rounds = Number(raw);
      if (!(Number.isInteger(rounds) && rounds >= 1))
        throw new UsageError(`--rounds needs a whole number >= 1, got "${raw}".`);
    } else if (flag === "--only") {
      only = value()
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean);
      const unknown = only.filter((name) => !MEASUREMENTS.includes(name));
      if (only.length === 0 || unknown.length > 0) {
        throw new UsageError(
          `--only takes names from ${MEASUREMENTS.join(", ")}; unknown: "${unknown.join(",")}".`,
        );
      }
    } else if (flag === "--help" || flag === "-h") throw new UsageError("");
    else throw new UsageError(`Unknown argument "${arg}".`);
  }
  return settings(quick, rounds ?? (quick ? 2 : 5), new Set(only));
}

/**
 * Every duration and scale a measurement uses. The long scenarios are compressed with --quick: every
 * lifetime, window and interval multiplied by the same factor, so their shape stays the same.
 * @param {boolean} quick @param {number} rounds @param {Set<string>} only
 */
function settings(quick, rounds, only) {
  return {
    quick,
    rounds,
    only,
    throughput: { durationMs: quick ? 250 : 1000, concurrency: 100, warmupMs: quick ? 300 : 1000 },
    coldBurst: { calls: 200 },
    imdsProxyMemory: { requests: quick ? 2000 : 8000 },
    outage: { scale: quick ? { to: 30, of: 240 } : { to: 1, of: 1 } },
    soak: { scale: quick ? { to: 30, of: 180 } : { to: 1, of: 1 } },
    identityBinding: { soakScale: quick ? { to: 30, of: 60 } : { to: 1, of: 1 } },
  };
}

/** @typedef {ReturnType<typeof parseOptions>} Options */

// Child: the first-token probe with marks, run with `--require ./breakdown/instrument.cjs`, which records the
// phases inside the packages. argv: implementation id, scope. Times count from the process's time origin.
import { send } from "./report.cjs";

const breakdown = /** @type {any} */ (globalThis)[Symbol.for("workload-identity.bench.breakdown")];
if (breakdown === undefined) throw new Error("run with --require bench/src/probes/breakdown/instrument.cjs");
breakdown.mark("probe:start");
const adapter = (await import(`../impl/${process.argv[2] ?? ""}.cjs`)).default;
breakdown.mark("import:start");
const pkg = await import(adapter.packageName);
breakdown.mark("import:end");
const credential = adapter.create(pkg);
breakdown.mark("getToken:start");
await credential.getToken(process.argv[3] ?? "");
breakdown.mark("getToken:end");
send({ type: "result", timeline: breakdown.timeline });

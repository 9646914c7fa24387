// Child: runs one workload (../workloads/<name>.mjs) against one implementation loaded with import().
// argv: implementation id, workload name, JSON parameters. The workload's summary is the result.
import { send } from "./report.cjs";

const [id = "", workload = "", json = "{}"] = process.argv.slice(2);
const adapter = (await import(`../impl/${id}.cjs`)).default;
const credential = adapter.create(await import(adapter.packageName));
const { run } = await import(`../workloads/${workload}.mjs`);
send({ type: "result", ...(await run(credential, JSON.parse(json), send)) });
// MSAL and @azure/identity may keep sockets or timers alive; the measurement is over.
process.exit(0);

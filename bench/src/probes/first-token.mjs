// Child: process start to the first token, loading the implementation with import().
// argv: implementation id, scope. performance.now() counts from the process's time origin (its start).
import { performance } from "node:perf_hooks";
import { send } from "./report.cjs";

const adapter = (await import(`../impl/${process.argv[2] ?? ""}.cjs`)).default;
const pkg = await import(adapter.packageName);
const loadedMs = performance.now();
await adapter.create(pkg).getToken(process.argv[3] ?? "");
send({ type: "result", firstTokenMs: performance.now(), loadedMs });

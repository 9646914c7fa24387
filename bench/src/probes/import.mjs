// Child: the time and resident memory one implementation's package adds when loaded with import().
// argv: implementation id.
import { performance } from "node:perf_hooks";
import { send } from "./report.cjs";

const adapter = (await import(`../impl/${process.argv[2] ?? ""}.cjs`)).default;
const rssBefore = process.memoryUsage.rss();
const startedAt = performance.now();
await import(adapter.packageName);
const importMs = performance.now() - startedAt;
send({ type: "result", importMs, rssBytes: process.memoryUsage.rss() - rssBefore });

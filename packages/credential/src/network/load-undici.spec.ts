import { importUndiciLeavingGlobalDispatcher } from "./load-undici.js";

const V1 = Symbol.for("undici.globalDispatcher.1");

it("loads undici and leaves the global dispatcher the application had (NODE_USE_ENV_PROXY's, say) in place", async () => {
  const global = globalThis as unknown as Record<symbol, unknown>;
  const applications = { dispatch: () => true, marker: "the application's dispatcher" };
  const had = Object.getOwnPropertyDescriptor(globalThis, V1);
  if (had === undefined) {
    // As Node 22's bundled undici defines it for NODE_USE_ENV_PROXY=1: writable, not configurable.
    Object.defineProperty(globalThis, V1, { value: applications, writable: true, configurable: false });
  } else {
    global[V1] = applications;
  }

  const undici = await importUndiciLeavingGlobalDispatcher();

  expect(typeof undici.ProxyAgent).toBe("function");
  expect(global[V1]).toBe(applications);
});

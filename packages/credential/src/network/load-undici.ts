// Loads the undici package for proxied requests without letting it take over the application's fetch. undici 8,
// when first loaded, installs an Agent of its own as Node's global dispatcher if it finds none of its own version:
// on Node 22 that replaces the EnvHttpProxyAgent that NODE_USE_ENV_PROXY=1 put there, and from then on every
// fetch() in the application ignores HTTPS_PROXY (found with the emulator's real-hostname mode: the Graph sample
// failed with ENOTFOUND after the credential's first proxied token request). Node 24 and undici 7 keep it.

/** The global dispatchers Node's bundled undici and the undici package read. */
const GLOBAL_DISPATCHERS = [Symbol.for("undici.globalDispatcher.1"), Symbol.for("undici.globalDispatcher.2")];

export async function importUndiciLeavingGlobalDispatcher(): Promise<typeof import("undici")> {
  const global = globalThis as unknown as Record<symbol, unknown>;
  const before = GLOBAL_DISPATCHERS.map((symbol) => [symbol, global[symbol]] as const);
  try {
    return await import("undici");
  } finally {
    for (const [symbol, dispatcher] of before) {
      // undici defines them writable but not configurable: put back what was there; one that was not stays.
      if (dispatcher !== undefined && global[symbol] !== dispatcher) {
        try {
          global[symbol] = dispatcher;
        } catch {
          // Made read-only by someone else: theirs to keep.
        }
      }
    }
  }
}

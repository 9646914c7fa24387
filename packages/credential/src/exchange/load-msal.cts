// msal-node, required: its single-file CommonJS bundle loads in a third of the time of its ES module build (39 ms
// against 136 ms on Node 24, in the bench's first-token breakdown), and its ES build also makes Node load fetch's
// undici through `import ... from "http"`. A .cts file is CommonJS in both of this package's builds, so the ES
// build gets the bundle too. Called at the first exchange, never at import.
//
// The bundle's first lines `require("jsonwebtoken")`, which msal-node uses only to sign certificate assertions
// (never done here: the assertion is the projected token) and which costs about 25 ms with its dependencies
// (semver, lodash.*) before the first token. While msal-node loads, and only if it is not loaded yet, its
// `require("jsonwebtoken")` gets a stand-in that loads the real module at its first use. Nothing else is touched:
// no other module's require sees the stand-in, and require.cache keeps only real modules.
import type * as Msal from "@azure/msal-node";

type Load = (request: string, parent: { filename?: string } | undefined, isMain: boolean) => unknown;

export function loadMsal(): typeof Msal {
  /* eslint-disable @typescript-eslint/no-require-imports -- the point of this file */
  const Module = require("node:module") as unknown as { _load: Load };
  const original = Module._load;
  Module._load = function load(request, parent, isMain) {
    if (request === "jsonwebtoken" && /[\\/]@azure[\\/]msal-node[\\/]/.test(parent?.filename ?? "")) {
      return lazyModule(() => original.call(Module, request, parent, isMain) as object);
    }
    return original.call(Module, request, parent, isMain);
  };
  try {
    return require("@azure/msal-node") as typeof Msal;
  } finally {
    Module._load = original;
  }
  /* eslint-enable @typescript-eslint/no-require-imports */
}

/** An object that becomes `load()`'s module at its first use, whatever is asked of it. */
function lazyModule(load: () => object): object {
  let real: object | undefined;
  const target = () => (real ??= load());
  return new Proxy(
    {},
    {
      get: (_, key) => Reflect.get(target(), key) as unknown,
      has: (_, key) => Reflect.has(target(), key),
      ownKeys: () => Reflect.ownKeys(target()),
      getOwnPropertyDescriptor: (_, key) => {
        const descriptor = Reflect.getOwnPropertyDescriptor(target(), key);
        // A proxy may not report a property of its (empty) target as non-configurable.
        return descriptor === undefined ? undefined : { ...descriptor, configurable: true };
      },
    },
  );
}

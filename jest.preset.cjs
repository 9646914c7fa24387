// Shared jest preset: TypeScript through SWC to CommonJS, node environment, no network but loopback.
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  // CI runs every workspace's suites at once on 2 cores: a spec that loops 10,000 times must not fail on load.
  testTimeout: 30_000,
  transform: {
    "^.+\\.c?ts$": [
      "@swc/jest",
      {
        jsc: { parser: { syntax: "typescript" }, target: "es2022" },
        module: { type: "commonjs" },
      },
    ],
  },
  // Sources import "./module.js" (NodeNext); jest resolves the .ts file (and "./module.cjs" the .cts one).
  moduleNameMapper: { "^(\\.{1,2}/.*)\\.c?js$": "$1" },
  moduleFileExtensions: ["ts", "cts", "js", "cjs", "mjs", "json", "node"],
  testMatch: ["**/*.spec.ts", "**/*.test.ts"],
  testPathIgnorePatterns: ["/node_modules/", "/dist/"],
  setupFiles: [require.resolve("./scripts/jest-block-network.cjs")],
  reporters: ["default", require.resolve("./scripts/jest-summary-reporter.cjs")],
};

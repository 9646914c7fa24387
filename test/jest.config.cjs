// Three projects on one preset: `integration`, which npm test runs (run-jest.cjs picks it when none is named);
// `soak`, which only `npm run test:soak` runs: the suites that run in real time for a minute or more; and
// `peers`, which only `npm run test:peers` runs: clients in other languages, which need Debian packages.
const { existsSync } = require("node:fs");
const { join } = require("node:path");
const { reporters, ...preset } = require("../jest.preset.cjs");

const SOAK_SUITES = [
  "credential-soak.test.ts",
  "credential-identity-binding-soak.test.ts",
  "reliability-load.test.ts",
];
const PEER_SUITES = ["peer-clients.test.ts"];
// A renamed suite would otherwise drop out of its project silently, and into npm test.
for (const name of [...SOAK_SUITES, ...PEER_SUITES]) {
  if (!existsSync(join(__dirname, "src", name))) throw new Error(`jest.config.cjs: no suite src/${name}`);
}
const suites = { ...preset, roots: ["<rootDir>/src"] };

module.exports = {
  reporters,
  // Emulators, child processes and real HTTPS: give each test room, and keep workers few on a 2-core machine.
  testTimeout: 60_000,
  maxWorkers: 2,
  projects: [
    {
      ...suites,
      displayName: "integration",
      testPathIgnorePatterns: [
        ...preset.testPathIgnorePatterns,
        ...[...SOAK_SUITES, ...PEER_SUITES].map((name) => `/src/${name.replaceAll(".", "\\.")}$`),
      ],
    },
    {
      ...suites,
      displayName: "soak",
      testMatch: SOAK_SUITES.map((name) => `<rootDir>/src/${name}`),
    },
    {
      ...suites,
      displayName: "peers",
      testMatch: PEER_SUITES.map((name) => `<rootDir>/src/${name}`),
    },
  ],
};

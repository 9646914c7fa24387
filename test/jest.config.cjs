module.exports = {
  ...require("../jest.preset.cjs"),
  roots: ["<rootDir>/src"],
  // Emulators, child processes and real HTTPS: give each test room, and keep workers few on a 2-core machine.
  testTimeout: 60_000,
  maxWorkers: 2,
};

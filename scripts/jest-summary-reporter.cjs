// Appends each jest run's totals to $TEST_SUMMARY_FILE, so CI can add up every workspace and refuse zero tests.
const { appendFileSync } = require("node:fs");

class SummaryReporter {
  onRunComplete(_contexts, results) {
    const file = process.env.TEST_SUMMARY_FILE;
    if (!file) return;
    const line = {
      cwd: process.cwd(),
      node: process.version,
      passed: results.numPassedTests,
      failed: results.numFailedTests + results.numRuntimeErrorTestSuites,
      skipped: results.numPendingTests + results.numTodoTests,
    };
    appendFileSync(file, `${JSON.stringify(line)}\n`);
  }
}

module.exports = SummaryReporter;

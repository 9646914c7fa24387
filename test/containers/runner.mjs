// A small sequential check runner: named checks, dependencies between them, "N passed, N failed" at the end.
import { appendFileSync } from "node:fs";

/** `suite` names the run in $TEST_SUMMARY_FILE ("containers", "consumer"). */
export function createRunner(suite) {
  const results = new Map();

  /**
   * Runs `fn` as the check `name` unless a check in `needs` did not pass (then it fails without running, so
   * a broken build shows as failed runs rather than vanishing). Resolves with fn's value, or undefined.
   */
  async function check(name, fn, { needs = [] } = {}) {
    const blocker = needs.find((need) => results.get(need) !== "passed");
    if (blocker !== undefined) {
      results.set(name, "failed");
      console.log(`not ok - ${name} (not run: "${blocker}" did not pass)`);
      return undefined;
    }
    const started = Date.now();
    try {
      const value = await fn();
      results.set(name, "passed");
      console.log(`ok - ${name} (${seconds(Date.now() - started)})`);
      return value;
    } catch (error) {
      results.set(name, "failed");
      console.log(`not ok - ${name} (${seconds(Date.now() - started)})`);
      console.log(indent(error instanceof Error ? (error.stack ?? error.message) : String(error)));
      return undefined;
    }
  }

  /** Records a failure that happened outside any check (a crash in setup), so it still counts. */
  function fail(name, error) {
    results.set(name, "failed");
    console.log(`not ok - ${name}`);
    console.log(indent(error instanceof Error ? (error.stack ?? error.message) : String(error)));
  }

  /** Prints the totals, appends them to $TEST_SUMMARY_FILE as the jest runs do, and returns the exit code. */
  function finish() {
    const passed = [...results.values()].filter((r) => r === "passed").length;
    const failed = results.size - passed;
    const file = process.env.TEST_SUMMARY_FILE;
    if (file) {
      const line = {
        cwd: process.cwd(),
        suite,
        node: process.version,
        passed,
        failed,
        skipped: 0,
      };
      appendFileSync(file, `${JSON.stringify(line)}\n`);
    }
    console.log(`\n${passed} passed, ${failed} failed`);
    return failed > 0 || passed === 0 ? 1 : 0;
  }

  return { check, fail, finish };
}

export function seconds(ms) {
  return `${(ms / 1000).toFixed(1)} s`;
}

function indent(text) {
  return text
    .split("\n")
    .map((line) => `    ${line}`)
    .join("\n");
}

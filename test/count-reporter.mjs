// Counts passed and failed tests across every browser session and, at the end of the
// run, writes "N passed, N failed" to the file named by SCHEDULE_TEST_COUNTS (CI reads it).
// A test file that fails to load or errors outside a test counts as one failure.
import { writeFileSync } from 'node:fs';

/** @returns {import('@web/test-runner').Reporter} */
export function countReporter() {
  return {
    onTestRunFinished({ sessions }) {
      let passed = 0;
      let failed = 0;
      const walk = (suite) => {
        for (const test of suite.tests) {
          if (test.skipped) continue;
          if (test.passed) passed += 1;
          else failed += 1;
        }
        for (const child of suite.suites) walk(child);
      };
      for (const session of sessions) {
        if (session.testResults) walk(session.testResults);
        if (session.errors?.length || (!session.passed && !session.testResults)) failed += 1;
      }
      const line = `${passed} passed, ${failed} failed`;
      if (process.env.SCHEDULE_TEST_COUNTS) writeFileSync(process.env.SCHEDULE_TEST_COUNTS, `${line}\n`);
    },
  };
}

// Reading vitest's JSON report honestly (used by run-all.mjs, tested in
// test/unit/support/vitest-summary.test.ts).
//
// vitest reports the tests of a file whose `beforeAll` threw as "skipped" and a file that failed
// to load as a failed file with no tests at all; both are failures here: every test that did not
// run because its file failed counts as failed, and a failed file with no such test counts once.

/**
 * @param {{ testResults?: { name: string, status: string, message?: string,
 *   assertionResults?: { status: string }[] }[] }} json
 * @returns {{ passed: number, failed: number, skipped: number, suiteFailures: string[] }}
 */
export function summarize(json) {
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  const suiteFailures = [];
  for (const file of json.testResults ?? []) {
    const tests = file.assertionResults ?? [];
    const p = tests.filter((a) => a.status === 'passed').length;
    const f = tests.filter((a) => a.status === 'failed').length;
    const rest = tests.length - p - f;
    passed += p;
    failed += f;
    if (file.status === 'failed' && f === 0) {
      // The file failed outside its tests: what did not run failed with it.
      const why = (file.message ?? '').split('\n')[0] || 'a hook or the file itself failed';
      suiteFailures.push(`${file.name}: ${why}`);
      failed += Math.max(1, rest);
    } else {
      skipped += rest;
    }
  }
  return { passed, failed, skipped, suiteFailures };
}

/**
 * The files that took longest, from the report's own start and end times.
 * @param {{ testResults?: { name: string, startTime?: number, endTime?: number }[] }} json
 * @param {number} n
 */
export function slowestFiles(json, n) {
  const cwd = process.cwd() + '/';
  return (json.testResults ?? [])
    .map((f) => ({
      file: f.name.startsWith(cwd) ? f.name.slice(cwd.length) : f.name,
      seconds: ((f.endTime ?? 0) - (f.startTime ?? 0)) / 1000,
    }))
    .sort((a, b) => b.seconds - a.seconds)
    .slice(0, n);
}

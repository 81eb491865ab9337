/**
 * The summary line CI reads: suites that fail outside their tests count as failures. The report
 * shapes below are what vitest 4 writes (captured from a scratch run: a `beforeAll` that throws
 * leaves its tests "skipped" in a failed file; a file that throws on load has no tests at all).
 */
import { describe, expect, it } from 'vitest';
import { slowestFiles, summarize } from '../../support/vitest-summary.mjs';

const beforeAllFailed = {
  name: '/x/a.test.ts',
  status: 'failed',
  message: '',
  assertionResults: [{ status: 'skipped' }, { status: 'skipped' }],
};
const failedToLoad = {
  name: '/x/b.test.ts',
  status: 'failed',
  message: 'load fail\n    at b.test.ts:2',
  assertionResults: [],
};
const healthy = {
  name: '/x/c.test.ts',
  status: 'passed',
  message: '',
  startTime: 1000,
  endTime: 4500,
  assertionResults: [{ status: 'passed' }, { status: 'skipped' }],
};
const oneFailed = {
  name: '/x/d.test.ts',
  status: 'failed',
  message: '',
  startTime: 0,
  endTime: 9000,
  assertionResults: [{ status: 'passed' }, { status: 'failed' }, { status: 'skipped' }],
};

describe('vitest summary', () => {
  it('counts passed, failed and skipped tests of healthy files as reported', () => {
    expect(summarize({ testResults: [healthy, oneFailed] })).toEqual({
      passed: 2,
      failed: 1,
      skipped: 2,
      suiteFailures: [],
    });
  });

  it('counts the tests of a file whose beforeAll failed as failed, not skipped', () => {
    const s = summarize({ testResults: [healthy, beforeAllFailed] });
    expect(s).toMatchObject({ passed: 1, failed: 2, skipped: 1 });
    expect(s.suiteFailures).toEqual(['/x/a.test.ts: a hook or the file itself failed']);
  });

  it('counts a file that failed to load as one failure, with its first message line', () => {
    const s = summarize({ testResults: [failedToLoad] });
    expect(s).toMatchObject({ passed: 0, failed: 1, skipped: 0 });
    expect(s.suiteFailures).toEqual(['/x/b.test.ts: load fail']);
  });

  it('an empty report passes nothing', () => {
    expect(summarize({})).toEqual({
      passed: 0,
      failed: 0,
      skipped: 0,
      suiteFailures: [],
    });
  });

  it('lists the slowest files first, from their start and end times', () => {
    expect(slowestFiles({ testResults: [healthy, oneFailed] }, 1)).toEqual([
      { file: '/x/d.test.ts', seconds: 9 },
    ]);
  });
});

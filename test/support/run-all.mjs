// `npm test`: everything that can run on this machine, in order of cost, then one summary line
// that CI reads. Whatever happens (a step fails, hangs past its deadline, the report is missing
// or unreadable, a suite fails before its tests run), the last line printed is
//   tests: N passed, N failed, N skipped
// and the exit code is non-zero unless every step passed and nothing failed.
//
// Every step runs in its own process group with a deadline; past it, the whole group is killed
// (SIGTERM, then SIGKILL) and the step counts as failed. The whole run has a budget below CI's
// 90-minute cap, so a slow step cannot take the summary line with it.
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { summarize, slowestFiles } from './vitest-summary.mjs';

const MIN = 60_000;
const BUDGET_MS = Number(process.env.SWITCHBOARD_TEST_BUDGET_MS ?? 85 * MIN);
const started = Date.now();
const children = new Set();

let summaryPrinted = false;
function finish(counts, code) {
  if (!summaryPrinted) {
    summaryPrinted = true;
    console.log(
      `\ntests: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`,
    );
  }
  process.exit(code);
}

const killGroup = (child, signal) => {
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
};

// Ctrl-C or CI's own kill: stop the children, still print the line.
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    for (const c of children) killGroup(c, 'SIGKILL');
    console.log(`\nnpm test: interrupted (${sig})`);
    finish({ passed: 0, failed: 1, skipped: 0 }, 1);
  });
}

/** Runs one step with a deadline; resolves to { status, timedOut }. */
function step(label, cmd, args, deadlineMs) {
  const left = BUDGET_MS - (Date.now() - started);
  const ms = Math.max(1000, Math.min(deadlineMs, left));
  console.log(`\n== ${label}: ${cmd} ${args.join(' ')} (deadline ${Math.round(ms / 1000)} s)`);
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: 'inherit', env: process.env, detached: true });
    children.add(child);
    let timedOut = false;
    const t0 = Date.now();
    const timer = setTimeout(() => {
      timedOut = true;
      console.log(`\n${label}: past its deadline of ${Math.round(ms / 1000)} s, killing it`);
      killGroup(child, 'SIGTERM');
      setTimeout(() => killGroup(child, 'SIGKILL'), 10_000).unref();
    }, ms);
    const done = (status) => {
      clearTimeout(timer);
      children.delete(child);
      // Whatever the step left behind in its group goes with it.
      killGroup(child, 'SIGKILL');
      console.log(`== ${label}: ${Math.round((Date.now() - t0) / 1000)} s`);
      resolve({ status, timedOut });
    };
    child.on('error', (err) => {
      console.log(`\n${label}: could not start: ${err.message}`);
      done(127);
    });
    child.on('exit', (code, signal) => done(code ?? (signal ? 128 : 1)));
  });
}

const checks = [
  ['lint', 'npx', ['eslint', '--max-warnings=0', '.'], 15 * MIN],
  ['format', 'npx', ['prettier', '--check', '.'], 5 * MIN],
  ['electron security', 'node', ['electron/scripts/lint-electron.mjs'], 5 * MIN],
  ['typecheck', 'npx', ['tsc', '-b'], 15 * MIN],
  ['build', 'npx', ['vite', 'build', '--logLevel', 'warn'], 10 * MIN],
  ['electron build', 'node', ['electron/scripts/build.mjs'], 5 * MIN],
  // Smoke test of the benchmarks: completes, every figure a positive number, every update seen
  // (not a timing test: the figures are printed, not judged).
  ['bench (quick)', 'npx', ['tsx', 'test/bench/run.ts', '--quick'], 20 * MIN],
];

mkdirSync('.tsbuild', { recursive: true });
const report = '.tsbuild/vitest-report.json';
// A report left by an earlier run must never be read as this run's.
rmSync(report, { force: true });

for (const [label, cmd, args, deadline] of checks) {
  const r = await step(label, cmd, args, deadline);
  if (r.status !== 0) {
    console.log(
      `\n${label} failed (${r.timedOut ? 'deadline' : `exit ${r.status}`}); no tests ran`,
    );
    finish({ passed: 0, failed: 1, skipped: 0 }, 1);
  }
}

const t = await step(
  'tests: unit, integration, e2e',
  'npx',
  ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`],
  75 * MIN,
);
let counts = { passed: 0, failed: 1, skipped: 0 };
if (!existsSync(report)) {
  console.log(`\nvitest wrote no report (${t.timedOut ? 'deadline' : `exit ${t.status}`})`);
} else {
  try {
    const json = JSON.parse(readFileSync(report, 'utf8'));
    const s = summarize(json);
    counts = s;
    for (const f of s.suiteFailures) console.log(`suite failed: ${f}`);
    // vitest failed outside any test or suite (an unhandled error, a killed run).
    if ((t.status !== 0 || t.timedOut) && counts.failed === 0) counts.failed = 1;
    console.log('\nslowest test files (s):');
    for (const f of slowestFiles(json, 12))
      console.log(`  ${f.seconds.toFixed(1).padStart(7)}  ${f.file}`);
  } catch (err) {
    console.log(`\nvitest report unreadable: ${err instanceof Error ? err.message : String(err)}`);
  }
}
finish(counts, t.status === 0 && !t.timedOut && counts.failed === 0 ? 0 : 1);

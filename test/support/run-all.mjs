// `npm test`: everything that can run on this machine, in order of cost, then one summary line
// that CI reads ("N passed, N failed, N skipped").
import { spawnSync } from 'node:child_process';
import { readFileSync, mkdirSync } from 'node:fs';

const run = (label, cmd, args) => {
  console.log(`\n== ${label}: ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: process.env });
  if (r.status !== 0) {
    console.log(`\n${label} failed (exit ${r.status})`);
    console.log('0 passed, 1 failed');
    process.exit(r.status ?? 1);
  }
};

run('lint', 'npx', ['eslint', '--max-warnings=0', '.']);
run('format', 'npx', ['prettier', '--check', '.']);
run('electron security', 'node', ['electron/scripts/lint-electron.mjs']);
run('typecheck', 'npx', ['tsc', '-b']);
run('build', 'npx', ['vite', 'build', '--logLevel', 'warn']);
run('electron build', 'node', ['electron/scripts/build.mjs']);
// Smoke test of the benchmarks: completes, every figure a positive number (not a timing test).
run('bench (quick)', 'npx', ['tsx', 'test/bench/run.ts', '--quick']);

mkdirSync('.tsbuild', { recursive: true });
const report = '.tsbuild/vitest-report.json';
console.log('\n== tests: unit, integration, e2e');
const t = spawnSync(
  'npx',
  ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`],
  {
    stdio: 'inherit',
    env: process.env,
  },
);
let passed = 0;
let failed = 0;
let skipped = 0;
try {
  const r = JSON.parse(readFileSync(report, 'utf8'));
  passed = r.numPassedTests;
  failed = r.numFailedTests;
  skipped = r.numPendingTests + r.numTodoTests;
  if (t.status !== 0 && failed === 0) failed = 1; // a suite failed outside any test
} catch {
  failed = Math.max(failed, 1);
}
console.log(`\ntests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(t.status === 0 && failed === 0 ? 0 : 1);

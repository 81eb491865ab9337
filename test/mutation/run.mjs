// `npm run test:mutation`: applies each hand-written mutant of test/mutation/mutants.mjs in
// turn, runs the unit tests of shared/ against it, and reports which tests kill it. A mutant
// that no test kills "survives" (a hole in the tests); the run exits non-zero if any survives.
// Not part of `npm test` (about ten minutes on two cores). Options: --only TEXT (mutants whose
// file or name contains TEXT), --json FILE (the full result).
//
// Each mutant is written into the working tree and the file is restored right after (and on
// Ctrl-C), so run it on a clean tree: it refuses files with uncommitted changes.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MUTANTS } from './mutants.mjs';

const args = process.argv.slice(2);
const flag = (n) => {
  const i = args.indexOf(n);
  return i >= 0 ? args[i + 1] : undefined;
};
const only = flag('--only');
const jsonOut = flag('--json');
const TESTS = ['test/unit/shared'];
const chosen = MUTANTS.filter((m) => !only || m.file.includes(only) || m.name.includes(only));

const dirty = spawnSync(
  'git',
  ['status', '--porcelain', '--', ...new Set(chosen.map((m) => m.file))],
  {
    encoding: 'utf8',
  },
).stdout.trim();
if (dirty) {
  console.error(`mutation: uncommitted changes in\n${dirty}\ncommit or stash them first`);
  process.exit(2);
}

let restore = null;
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    restore?.();
    process.exit(130);
  });
}

const tmp = mkdtempSync(join(tmpdir(), 'sb-mutation-'));
const report = join(tmp, 'report.json');

/** Runs the tests; returns the names of the failing ones (or why the run failed). */
function runTests() {
  rmSync(report, { force: true });
  const r = spawnSync(
    'npx',
    [
      'vitest',
      'run',
      '--project',
      'unit',
      ...TESTS,
      '--reporter=json',
      `--outputFile.json=${report}`,
    ],
    { encoding: 'utf8', timeout: 5 * 60_000, killSignal: 'SIGKILL' },
  );
  let json;
  try {
    json = JSON.parse(readFileSync(report, 'utf8'));
  } catch {
    return {
      failed: [`(no report: exit ${r.status}${r.error ? `, ${r.error.message}` : ''})`],
      ok: false,
    };
  }
  const failed = [];
  for (const f of json.testResults) {
    const file = f.name.replace(process.cwd() + '/', '').replace('test/unit/shared/', '');
    const bad = f.assertionResults.filter((a) => a.status === 'failed');
    for (const a of bad) failed.push(`${file} › ${a.title}`);
    if (f.status === 'failed' && bad.length === 0) failed.push(`${file} (failed to run)`);
  }
  return { failed, ok: r.status === 0 };
}

const baseline = runTests();
if (!baseline.ok || baseline.failed.length > 0) {
  console.error(`mutation: the tests fail without any mutant:\n${baseline.failed.join('\n')}`);
  process.exit(2);
}

const results = [];
for (const [i, m] of chosen.entries()) {
  const original = readFileSync(m.file, 'utf8');
  const count = original.split(m.find).length - 1;
  if (count !== 1) {
    results.push({ ...m, outcome: 'stale', killedBy: [], note: `snippet found ${count} times` });
    console.log(
      `[${i + 1}/${chosen.length}] STALE    ${m.file}: ${m.name} (snippet found ${count} times)`,
    );
    continue;
  }
  restore = () => writeFileSync(m.file, original);
  writeFileSync(m.file, original.replace(m.find, m.replace));
  let r;
  try {
    r = runTests();
  } finally {
    restore();
    restore = null;
  }
  const outcome = r.failed.length > 0 ? 'killed' : 'survived';
  results.push({ file: m.file, name: m.name, outcome, killedBy: r.failed });
  console.log(
    `[${i + 1}/${chosen.length}] ${outcome.toUpperCase().padEnd(8)} ${m.file}: ${m.name}` +
      (r.failed.length
        ? `  (${r.failed.length} failing: ${r.failed.slice(0, 2).join('; ')}${r.failed.length > 2 ? '; …' : ''})`
        : ''),
  );
}
rmSync(tmp, { recursive: true, force: true });

const killed = results.filter((r) => r.outcome === 'killed').length;
const live = results.filter((r) => r.outcome !== 'stale').length;
console.log(
  `\nmutation score: ${killed} of ${live} killed (${((100 * killed) / Math.max(1, live)).toFixed(0)}%)`,
);
for (const r of results.filter((x) => x.outcome !== 'killed'))
  console.log(`  ${r.outcome}: ${r.file}: ${r.name}`);
if (jsonOut) writeFileSync(jsonOut, JSON.stringify({ tests: TESTS, results }, null, 2));
process.exit(results.some((r) => r.outcome !== 'killed') ? 1 : 0);

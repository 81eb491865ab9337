// `npm run test:mutation`: applies each hand-written mutant of test/mutation/mutants.mjs in
// turn, runs the unit tests of shared/ against it, and reports which tests kill it. A mutant
// that no test kills "survives" (a hole in the tests); the run exits non-zero if any survives.
// Not part of `npm test` (about ten minutes on two cores). Options: --only TEXT (mutants whose
// file or name contains TEXT), --json FILE (the full result).
//
// Each mutant is written into the working tree and the file is restored right after (and on
// Ctrl-C), so run it on a clean tree: it refuses files with uncommitted changes.
import { spawn, spawnSync } from 'node:child_process';
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
// The tests of each file's rules (a mutant is run against these, not the whole suite).
const D = 'test/unit/shared/domain/';
const TESTS = {
  'shared/domain/merge.ts': [
    `${D}merge.test.ts`,
    `${D}merge-nested.test.ts`,
    `${D}merge-state.test.ts`,
    `${D}merge-clocks.test.ts`,
  ],
  'shared/domain/sla.ts': [
    `${D}sla.test.ts`,
    `${D}sla-boundaries.test.ts`,
    `${D}sla-config.test.ts`,
    `${D}sla-records.test.ts`,
  ],
  'shared/domain/sla-config.ts': [`${D}sla-config.test.ts`],
  'shared/domain/sla-records.ts': [`${D}sla-records.test.ts`],
  'shared/domain/state-machine.ts': [
    `${D}transition.test.ts`,
    `${D}transition-rules.test.ts`,
    `${D}merge-state.test.ts`,
    `${D}ticket.test.ts`,
    `${D}offline-moves.test.ts`,
  ],
  'shared/domain/transition.ts': [
    `${D}transition.test.ts`,
    `${D}transition-rules.test.ts`,
    `${D}merge-state.test.ts`,
    `${D}ticket.test.ts`,
    `${D}offline-moves.test.ts`,
  ],
  'shared/queue/filter.ts': [
    'test/unit/shared/queue/queue.test.ts',
    'test/unit/shared/queue/filter.test.ts',
  ],
};
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
let child = null;
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    if (child) process.kill(-child.pid, 'SIGKILL');
    restore?.();
    process.exit(130);
  });
}

const tmp = mkdtempSync(join(tmpdir(), 'sb-mutation-'));
const report = join(tmp, 'report.json');

/** Runs `tests`; returns the names of the failing ones (or why the run failed). */
async function runTests(tests) {
  rmSync(report, { force: true });
  const status = await new Promise((resolve) => {
    child = spawn(
      'npx',
      [
        'vitest',
        'run',
        '--project',
        'unit',
        ...tests,
        '--reporter=json',
        `--outputFile.json=${report}`,
      ],
      { stdio: 'ignore', detached: true },
    );
    const timer = setTimeout(() => process.kill(-child.pid, 'SIGKILL'), 5 * 60_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      child = null;
      resolve(code);
    });
  });
  let json;
  try {
    json = JSON.parse(readFileSync(report, 'utf8'));
  } catch {
    return { failed: [`(no report: exit ${status})`], ok: false };
  }
  const failed = [];
  for (const f of json.testResults) {
    const file = f.name.replace(process.cwd() + '/', '').replace('test/unit/shared/', '');
    const bad = f.assertionResults.filter((a) => a.status === 'failed');
    for (const a of bad) failed.push(`${file} › ${a.title}`);
    if (f.status === 'failed' && bad.length === 0) failed.push(`${file} (failed to run)`);
  }
  return { failed, ok: status === 0 };
}

const baseline = await runTests([...new Set(Object.values(TESTS).flat())]);
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
    r = await runTests(TESTS[m.file] ?? ['test/unit/shared']);
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

/**
 * `npm run test:reliability`: faults survived, roles enforced, nothing lost — the full version of
 * what `npm test` runs briefly. `--quick` for small sizes, `--seed N` to replay a run, `--only
 * NAME`. Prints one row per scenario and exits non-zero if anything failed, was lost or doubled.
 */
import { browserKill } from './scenarios/browser-kill';
import { conflictStorm } from './scenarios/conflict-storm';
import { hostileDocuments } from './scenarios/hostile-documents';
import { httpFuzz } from './scenarios/http-fuzz';
import { load } from './scenarios/load';
import { networkChaos } from './scenarios/network-chaos';
import { offlineMoves } from './scenarios/offline-moves';
import { roleMatrix } from './scenarios/role-matrix';
import { serverKill } from './scenarios/server-kill';
import { mailReliability } from './scenarios/mail';
import type { ScenarioOptions, ScenarioResult } from './types';

const SCENARIOS: readonly [string, (o: ScenarioOptions) => Promise<ScenarioResult>][] = [
  ['role-matrix', roleMatrix],
  ['http-fuzz', httpFuzz],
  ['conflict-storm', conflictStorm],
  ['server-kill', serverKill],
  ['network-chaos', networkChaos],
  ['hostile-documents', hostileDocuments],
  ['browser-kill', browserKill],
  ['offline-moves', offlineMoves],
  ['load', load],
  ['mail', mailReliability],
];

const args = process.argv.slice(2);
const flag = (n: string) => {
  const i = args.indexOf(n);
  return i >= 0 ? args[i + 1] : undefined;
};
const quick = args.includes('--quick');
const seed = Number(flag('--seed') ?? Math.floor(Math.random() * 1_000_000));
const only = flag('--only');
process.stdout.write(
  `reliability: seed ${seed} (${flag('--seed') ? 'given' : 'random'}; replay with --seed ${seed})\n`,
);
const results: ScenarioResult[] = [];
for (const [name, run] of SCENARIOS) {
  if (only && only !== name) continue;
  process.stdout.write(`reliability: ${name} (seed ${seed})…\n`);
  try {
    results.push(await run({ seed, quick, timing: 'judge' }));
  } catch (err) {
    results.push({
      scenario: name,
      iterations: 0,
      failures: 1,
      lost: 0,
      duplicated: 0,
      seeds: [seed],
      notes: [`crashed: ${err instanceof Error ? err.message : String(err)}`],
    });
  }
}
const head = ['scenario', 'iterations', 'failures', 'lost', 'duplicated', 'seeds', 'notes'];
const rows = results.map((r) => [
  r.scenario,
  String(r.iterations),
  String(r.failures),
  String(r.lost),
  String(r.duplicated),
  r.seeds.join(','),
  r.notes.join(' | ').slice(0, 160),
]);
const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const line = (c: string[]) => c.map((x, i) => x.padEnd(w[i]!)).join('  ');
process.stdout.write(`\n${line(head)}\n${w.map((n) => '-'.repeat(n)).join('  ')}\n`);
for (const r of rows) process.stdout.write(`${line(r)}\n`);
process.stdout.write('\n');
for (const r of results) process.stdout.write(`${r.scenario}: ${r.notes.join(' | ')}\n`);
const bad = results.filter((r) => r.failures > 0 || r.lost > 0 || r.duplicated > 0);
process.stdout.write(
  `\nreliability: ${results.length - bad.length} passed, ${bad.length} failed (seed ${seed})\n`,
);
process.exit(bad.length > 0 ? 1 : 0);

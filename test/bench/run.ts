/**
 * `npm run bench`: Switchboard measured against its anchors, side by side, in one run.
 * `--tickets N` (default 100000), `--quick` (small N, a smoke test for CI), `--only NAME`,
 * `--json FILE`. Figures are printed as a table; nothing here is a pass/fail timing test, except
 * that `--quick` fails if a figure is not a positive number.
 */
import { writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { queueQuery } from './scenarios/queue-query';
import { coldSync } from './scenarios/cold-sync';
import { wallboard } from './scenarios/wallboard';
import { fieldDay } from './scenarios/field-day';
import { live } from './scenarios/live';
import { offlinePush } from './scenarios/offline-push';
import { importScenario } from './scenarios/import';
import { mail } from './scenarios/mail';
import type { Figure, Scenario } from './types';

const SCENARIOS: readonly Scenario[] = [
  queueQuery,
  wallboard,
  coldSync,
  live,
  offlinePush,
  fieldDay,
  importScenario,
  mail,
];

const args = process.argv.slice(2);
const flag = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const quick = args.includes('--quick');
const tickets = Number(flag('--tickets') ?? (quick ? 5000 : 100_000));
const only = flag('--only');
const jsonFile = flag('--json');
if (!Number.isInteger(tickets) || tickets < 100) {
  console.error('bench: --tickets must be an integer of at least 100');
  process.exit(2);
}
const chosen = SCENARIOS.filter((s) => !only || s.name === only);
if (chosen.length === 0) {
  console.error(
    `bench: no scenario named ${only}; known: ${SCENARIOS.map((s) => s.name).join(', ')}`,
  );
  process.exit(2);
}

const fmt = (f: Figure): string => {
  const v = f.unit === 'ms' ? f.value.toFixed(2) : f.value.toFixed(f.unit === 's' ? 2 : 1);
  return `${v} ${f.unit}`;
};

const results: { scenario: string; figures: readonly Figure[] }[] = [];
for (const s of chosen) {
  process.stdout.write(`bench: ${s.name} (${tickets} tickets)…\n`);
  results.push({ scenario: s.name, figures: await s.run({ tickets, quick }) });
}

const rows = results.flatMap((r) =>
  r.figures.map((f) => [
    r.scenario,
    f.name,
    fmt(f),
    f.anchor ? `${f.anchor.name}: ${f.anchor.value.toFixed(2)} ${f.unit}` : '',
    f.anchor && f.value > 0
      ? f.anchor.value >= f.value
        ? `${(f.anchor.value / f.value).toFixed(1)}x faster`
        : `${(f.value / f.anchor.value).toFixed(1)}x slower`
      : '',
    f.target ?? '',
  ]),
);
const head = ['scenario', 'figure', 'value', 'anchor', 'ratio', 'target'];
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
process.stdout.write(`\n${line(head)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n`);
for (const r of rows) process.stdout.write(`${line(r)}\n`);

const machine = {
  cores: cpus().length,
  memoryGiB: Math.round(totalmem() / 2 ** 30),
  node: process.version,
};
if (jsonFile)
  writeFileSync(jsonFile, JSON.stringify({ machine, tickets, quick, results }, null, 2));
const bad = results
  .flatMap((r) => r.figures)
  .filter((f) => !(Number.isFinite(f.value) && f.value > 0));
if (bad.length > 0) {
  console.error(
    `bench: ${bad.length} figure(s) are not positive numbers: ${bad.map((b) => b.name).join(', ')}`,
  );
  process.exit(1);
}
process.stdout.write(
  `\nbench: ${rows.length} figures on ${machine.cores} cores, ${machine.memoryGiB} GiB, Node ${machine.node}\n`,
);

// Coverage per folder, from vitest's json-summary (`npm run test:coverage`): statements and
// lines covered in each product folder, two or three levels deep, worst first.
import { existsSync, readFileSync } from 'node:fs';
import { relative } from 'node:path';

const file = process.argv[2] ?? '.tsbuild/coverage/coverage-summary.json';
if (!existsSync(file)) {
  console.error(`coverage-by-folder: no ${file} (did the coverage run finish?)`);
  process.exit(1);
}
const summary = JSON.parse(readFileSync(file, 'utf8'));
const folderOf = (path) => {
  const parts = relative(process.cwd(), path).split('/');
  const depth = parts[0] === 'renderer' || parts[0] === 'server' ? 3 : 2;
  return parts.slice(0, Math.min(depth, parts.length - 1)).join('/');
};
const folders = new Map();
for (const [path, s] of Object.entries(summary)) {
  if (path === 'total') continue;
  const key = folderOf(path);
  const f = folders.get(key) ?? { files: 0, covered: 0, total: 0 };
  f.files += 1;
  f.covered += s.statements.covered;
  f.total += s.statements.total;
  folders.set(key, f);
}
const pct = (c, t) => (t === 0 ? 100 : (100 * c) / t);
const rows = [...folders.entries()].sort(
  ([, a], [, b]) => pct(a.covered, a.total) - pct(b.covered, b.total),
);
const width = Math.max(...rows.map(([k]) => k.length), 6);
console.log(`\n${'folder'.padEnd(width)}  files  statements`);
for (const [k, f] of rows)
  console.log(
    `${k.padEnd(width)}  ${String(f.files).padStart(5)}  ${pct(f.covered, f.total).toFixed(1).padStart(5)}% of ${f.total}`,
  );
const t = summary.total.statements;
console.log(
  `${'all'.padEnd(width)}  ${String(folders.size ? Object.keys(summary).length - 1 : 0).padStart(5)}  ${t.pct.toFixed(1).padStart(5)}% of ${t.total}`,
);

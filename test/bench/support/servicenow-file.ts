/**
 * A ServiceNow incident export of any size with the real sample's shape: each generated incident
 * copies the rows of one sample incident (its states, updates, priorities, reassignments in
 * order), under a new number, shifted in time by up to a year, with its caller, groups and
 * assignees drawn from pools the size of the full log (5,244 callers, 70 groups, 220
 * assignees). Written to disk line by line.
 */
import { createWriteStream, readFileSync } from 'node:fs';
import { once } from 'node:events';
import { createRng } from '../../../server/src/provision/random';

/** The sample export. */
export const SAMPLE_FILE = new URL(
  '../../../../shared/data/servicenow/incident_event_log.sample.csv',
  import.meta.url,
);

const POOLS = { caller_id: 5244, assignment_group: 70, assigned_to: 220 } as const;

function shiftDate(text: string, days: number): string {
  const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4}) (\d{1,2}):(\d{2})$/.exec(text);
  if (!m) return text;
  const d = new Date(Date.UTC(+m[3]!, +m[2]! - 1, +m[1]!, +m[4]!, +m[5]!) + days * 86_400_000);
  const hh = String(d.getUTCHours()).padStart(2, '0');
  const mm = String(d.getUTCMinutes()).padStart(2, '0');
  return `${d.getUTCDate()}/${d.getUTCMonth() + 1}/${d.getUTCFullYear()} ${hh}:${mm}`;
}

/** Writes about `rows` rows to `path` (whole incidents); returns the rows written. */
export async function writeServiceNowFile(path: string, rows: number, seed = 27): Promise<number> {
  const lines = readFileSync(SAMPLE_FILE, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '');
  const header = (lines[0] ?? '').split(',');
  const col = (name: string) => header.indexOf(name);
  const templates: string[][][] = [];
  let last = '';
  for (const l of lines.slice(1)) {
    const f = l.split(',');
    if (f[0] !== last) templates.push([]);
    last = f[0] ?? '';
    templates[templates.length - 1]?.push(f);
  }
  const dateCols = ['opened_at', 'sys_created_at', 'sys_updated_at', 'resolved_at', 'closed_at']
    .map(col)
    .filter((i) => i >= 0);
  const rng = createRng(seed);
  const out = createWriteStream(path);
  out.write(lines[0] + '\n');
  let written = 0;
  let n = 0;
  while (written < rows) {
    const t = templates[rng.int(0, templates.length - 1)] ?? [];
    n++;
    const number = `INC${String(n).padStart(7, '0')}`;
    const days = rng.int(0, 364);
    const names = new Map<string, string>();
    const draw = (column: keyof typeof POOLS, value: string) => {
      if (value === '?') return value;
      const key = `${column}:${value}`;
      let v = names.get(key);
      if (!v) {
        const i = rng.int(1, POOLS[column]);
        v =
          column === 'caller_id'
            ? `Caller ${i}`
            : column === 'assignment_group'
              ? `Group ${i}`
              : `Resolver ${i}`;
        names.set(key, v);
      }
      return v;
    };
    for (const src of t) {
      const f = [...src];
      f[0] = number;
      for (const i of dateCols) f[i] = shiftDate(f[i] ?? '', days);
      for (const c of Object.keys(POOLS) as (keyof typeof POOLS)[])
        f[col(c)] = draw(c, f[col(c)] ?? '?');
      if (!out.write(f.join(',') + '\n')) await once(out, 'drain');
      written++;
    }
  }
  out.end();
  await once(out, 'finish');
  return written;
}

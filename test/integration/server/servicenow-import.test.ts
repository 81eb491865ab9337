/**
 * The ServiceNow import over the real embedded server, on the real sample export. Expected
 * counts come from a plain reading of the CSV here (split on commas: the sample has no quotes),
 * not from the importer's code.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvRecords } from '../../../shared/import/csv-lines';
import { importServiceNow, type ImportReport } from '../../../shared/import/run-import';
import { provision } from '../../../server/src/provision/provision';
import { DEMO_STAFF } from '../../../server/src/provision/demo-directory';
import {
  couchImportPort,
  fileChunks,
  parseCsvFields,
} from '../../../server/src/import/servicenow-node';
import {
  asUser,
  PREFIX,
  startTestDesk,
  TEST_ADMIN,
  type TestDesk,
} from '../../support/desk-server';
import type { CouchAdmin } from '../../../server/src/provision/couch-admin';

const SAMPLE = fileURLToPath(
  new URL('../../../../shared/data/servicenow/incident_event_log.sample.csv', import.meta.url),
);
const sampleText = readFileSync(SAMPLE, 'utf8');
type Doc = Record<string, unknown>;

let desk: TestDesk;
let work: string;

beforeAll(async () => {
  desk = await startTestDesk();
  work = mkdtempSync(join(tmpdir(), 'switchboard-import-'));
});
afterAll(async () => {
  await desk?.stop();
  rmSync(work, { recursive: true, force: true });
});

/** A plain reading of the sample: rows as column → value, in file order. */
function plainRows(text: string): Record<string, string>[] {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  const header = (lines[0] ?? '').split(',');
  return lines.slice(1).map((l) => {
    const f = l.replace(/\r$/, '').split(',');
    return Object.fromEntries(header.map((h, i) => [h, f[i] ?? '']));
  });
}

const clean = (v: string | undefined) => {
  const t = (v ?? '').replace(/\s+/g, ' ').trim();
  return t === '?' || t === '' ? null : t;
};

function expectations(rows: Record<string, string>[]) {
  const byNumber = new Map<string, Record<string, string>[]>();
  for (const r of rows) byNumber.set(r.number ?? '', [...(byNumber.get(r.number ?? '') ?? []), r]);
  const finals = [...byNumber.values()].map((rs) =>
    [...rs].sort((a, b) => Number(a.sys_mod_count) - Number(b.sys_mod_count)).at(-1)!,
  );
  const tally = (values: string[]) => {
    const out: Record<string, number> = {};
    for (const v of values) out[v] = (out[v] ?? 0) + 1;
    return out;
  };
  const groups = new Set<string>();
  const people = new Set<string>();
  let noGroup = false;
  let noCaller = false;
  for (const r of rows) {
    const g = clean(r.assignment_group);
    if (g) groups.add(g);
    else noGroup = true;
    if (!clean(r.caller_id)) noCaller = true;
    for (const c of [
      'caller_id',
      'assigned_to',
      'opened_by',
      'resolved_by',
      'sys_created_by',
      'sys_updated_by',
    ]) {
      const p = clean(r[c]);
      if (p) people.add(p);
    }
    if (!clean(r.opened_by) && !clean(r.sys_created_by)) people.add('(nobody)');
  }
  // One entry for the first row, then one per changed state, group, assignee and priority.
  let activity = 0;
  for (const rs of byNumber.values()) {
    const s = [...rs].sort((a, b) => Number(a.sys_mod_count) - Number(b.sys_mod_count));
    activity++;
    for (let i = 1; i < s.length; i++)
      for (const c of ['incident_state', 'assignment_group', 'assigned_to', 'priority'])
        if (clean(s[i]?.[c]) !== clean(s[i - 1]?.[c])) activity++;
  }
  return {
    incidents: byNumber.size,
    states: tally(finals.map((r) => r.incident_state ?? '')),
    priorities: tally(finals.map((r) => r.priority ?? '')),
    groups: groups.size + (noGroup ? 1 : 0),
    people: people.size + (noCaller ? 1 : 0),
    activity,
  };
}

async function allDocs(couch: CouchAdmin, db: string): Promise<Doc[]> {
  const res = await couch.request<{ rows: { id: string; doc: Doc }[] }>(
    'GET',
    `/${db}/_all_docs?include_docs=true`,
  );
  return res.rows.filter((r) => !r.id.startsWith('_design/')).map((r) => r.doc);
}

async function runImport(
  file: string,
  couch: CouchAdmin,
  prefix = PREFIX,
  dryRun = false,
): Promise<ImportReport> {
  return importServiceNow(
    csvRecords(fileChunks(file), parseCsvFields),
    couchImportPort(couch, prefix),
    { dryRun },
  );
}

const updateSeq = async (couch: CouchAdmin, db: string) =>
  (await couch.request<{ update_seq: unknown }>('GET', `/${db}`)).update_seq;

function runCli(
  args: string[],
  prefix: string,
  onLine?: (line: string, kill: () => void) => void,
  script = 'server/src/cli/import.ts',
): Promise<{ code: number | null; out: string }> {
  const argv = script.endsWith('import.ts') ? ['servicenow', ...args] : args;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...argv], {
      env: {
        ...process.env,
        SWITCHBOARD_COUCH_URL: desk.url,
        SWITCHBOARD_ADMIN_USER: TEST_ADMIN.user,
        SWITCHBOARD_ADMIN_PASSWORD: TEST_ADMIN.password,
        SWITCHBOARD_DB_PREFIX: prefix,
      },
      cwd: process.cwd(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let buffered = '';
    const read = (chunk: Buffer) => {
      out += chunk.toString();
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const l of lines) onLine?.(l, () => child.kill('SIGKILL'));
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, out }));
  });
}

describe('ServiceNow import of the sample', () => {
  const expected = expectations(plainRows(sampleText));
  let first: ImportReport;

  beforeAll(async () => {
    expect(sampleText.includes('"')).toBe(false); // so the plain reading above is exact
    first = await runImport(SAMPLE, desk.admin);
  });

  it('creates one incident per source number with the final row’s state and priority', async () => {
    expect(first.refusedRows).toBe(0);
    expect(first.incidents.created).toBe(expected.incidents);
    const tickets = (await allDocs(desk.admin, `${PREFIX}tickets`)).filter(
      (t) => (t.imported as Doc | undefined)?.source === 'servicenow',
    );
    expect(tickets).toHaveLength(expected.incidents);
    const tally = (f: (t: Doc) => string) => {
      const out: Record<string, number> = {};
      for (const t of tickets) out[f(t)] = (out[f(t)] ?? 0) + 1;
      return out;
    };
    expect(tally((t) => String((t.imported as Doc).state))).toEqual(expected.states);
    expect(tally((t) => String((t.imported as Doc).priority))).toEqual(expected.priorities);
    // Every Closed incident is closed in Switchboard, with ServiceNow's closed_code.
    expect(tally((t) => String(t.state))).toEqual({ closed: expected.states.Closed });
    const inc45 = tickets.find((t) => (t.imported as Doc).number === 'INC0000045');
    expect(inc45?._id).toBe('INC-00000000001D');
    expect(inc45?.resolution).toMatchObject({ code: 'code 5' });
    expect((inc45?.imported as Doc).sla).toEqual({ source: 'servicenow', made: true });
  });

  it('creates each group and person once, by name', async () => {
    const dir = (await allDocs(desk.admin, `${PREFIX}directory`)).filter(
      (d) => (d.imported as Doc | undefined)?.source === 'servicenow',
    );
    expect(dir.filter((d) => d.type === 'group')).toHaveLength(expected.groups);
    expect(dir.filter((d) => d.type === 'person')).toHaveLength(expected.people);
    const names = dir.map((d) => `${String(d.type)}:${String(d.name)}`);
    expect(new Set(names).size).toBe(names.length);
  });

  it('writes the history as activity at its time, by its author', async () => {
    const activity = (await allDocs(desk.admin, `${PREFIX}activity`)).filter(
      (a) => (a.imported as Doc | undefined)?.source === 'servicenow',
    );
    expect(activity).toHaveLength(expected.activity);
    expect(first.activity.created).toBe(expected.activity);
    const of45 = activity
      .filter((a) => a.ticketNumber === 'INC-00000000001D')
      .map((a) => [a.at, a.by, a.body]);
    // The sample's rows of INC0000045: New (mod 0), Resolved (2), Resolved (3), Closed (4).
    expect(of45).toEqual([
      [
        '2016-02-29T01:23:00.000Z',
        'sn-updated-by-21',
        'Imported from ServiceNow INC0000045: New, 3 - Moderate, Group 56',
      ],
      ['2016-02-29T08:53:00.000Z', 'sn-updated-by-642', 'State: New → Resolved (code 5)'],
      ['2016-03-05T12:00:00.000Z', 'sn-updated-by-908', 'State: Resolved → Closed'],
    ]);
  });

  it('changes nothing when the same file is imported again', async () => {
    const before = await Promise.all(
      ['tickets', 'activity', 'directory'].map((d) => updateSeq(desk.admin, `${PREFIX}${d}`)),
    );
    const again = await runImport(SAMPLE, desk.admin);
    expect(again.incidents).toMatchObject({ created: 0, updated: 0 });
    expect(again.activity).toMatchObject({ created: 0, updated: 0, differing: 0 });
    expect(again.directory).toMatchObject({ created: 0, updated: 0 });
    const after = await Promise.all(
      ['tickets', 'activity', 'directory'].map((d) => updateSeq(desk.admin, `${PREFIX}${d}`)),
    );
    expect(after).toEqual(before);
  });

  it('updates what changed and adds what is new from a later export, never duplicating', async () => {
    const prefix = 'later_';
    await provision(desk.admin, prefix, DEMO_STAFF);
    const lines = sampleText.split('\n');
    // An earlier export: INC0000045 had only its first two rows, the last incident was not there.
    const lastNumber = (lines.filter((l) => l.trim()).at(-1) ?? '').split(',')[0] ?? '';
    const earlier = lines.filter(
      (l, i) =>
        i === 0 ||
        (!l.startsWith(lastNumber + ',') &&
          !(l.startsWith('INC0000045,') && /,(3|4),(true|false),/.test(l))),
    );
    const earlierFile = join(work, 'earlier.csv');
    writeFileSync(earlierFile, earlier.join('\n'));
    const r1 = await runImport(earlierFile, desk.admin, prefix);
    expect(r1.incidents.created).toBe(expected.incidents - 1);
    const r2 = await runImport(SAMPLE, desk.admin, prefix);
    expect(r2.incidents).toMatchObject({ created: 1, updated: 1 });
    expect(r2.incidents.unchanged).toBe(expected.incidents - 2);
    const tickets = await allDocs(desk.admin, `${prefix}tickets`);
    expect(tickets).toHaveLength(expected.incidents);
    const inc45 = tickets.find((t) => t._id === 'INC-00000000001D');
    expect(inc45?.state).toBe('closed');
    expect(await allDocs(desk.admin, `${prefix}activity`)).toHaveLength(expected.activity);
  });

  it('lets the admin role import, and refuses imported history from an agent', async () => {
    const prefix = 'roles_';
    await provision(desk.admin, prefix, DEMO_STAFF);
    const byAda = await runImport(SAMPLE, asUser(desk, 'ada'), prefix);
    expect(byAda.serverRefusals).toEqual([]);
    expect(byAda.incidents.created).toBe(expected.incidents);
    const otherPrefix = 'agent_';
    await provision(desk.admin, otherPrefix, DEMO_STAFF);
    const byAlice = await runImport(SAMPLE, asUser(desk, 'alice'), otherPrefix);
    expect(byAlice.serverRefusals.length).toBeGreaterThan(0);
    expect(await allDocs(desk.admin, `${otherPrefix}activity`)).toHaveLength(0);
    expect(await allDocs(desk.admin, `${otherPrefix}tickets`)).toHaveLength(0);
  });

  it('resumes an import that was killed part-way', async () => {
    const prefix = 'resume_';
    await provision(desk.admin, prefix, DEMO_STAFF);
    let progress = 0;
    const killed = await runCli([SAMPLE, '--batch', '10'], prefix, (line, kill) => {
      if (line.includes('progress:') && ++progress === 3) kill();
    });
    expect(killed.code).toBeNull(); // killed, not finished
    const partial = (await allDocs(desk.admin, `${prefix}tickets`)).length;
    expect(partial).toBeGreaterThanOrEqual(30);
    const resumed = await runCli([SAMPLE, '--batch', '10'], prefix);
    expect(resumed.code).toBe(0);
    expect(resumed.out).toMatch(/Incidents: \d+ created, 0 updated, (\d+) unchanged/);
    const unchanged = Number(/(\d+) unchanged\./.exec(resumed.out)?.[1]);
    expect(unchanged).toBeGreaterThanOrEqual(30);
    // The result is the same as one uninterrupted import.
    for (const db of ['tickets', 'activity', 'directory']) {
      const strip = (docs: Doc[]) =>
        docs
          .filter((d) => d.imported !== undefined)
          .map(({ _rev, ...rest }) => (void _rev, rest))
          .sort((a, b) => String(a._id).localeCompare(String(b._id)));
      expect(strip(await allDocs(desk.admin, `${prefix}${db}`))).toEqual(
        strip(await allDocs(desk.admin, `${PREFIX}${db}`)),
      );
    }
  });

  it('imports the good rows of a corrupted copy and reports each bad one', async () => {
    const prefix = 'corrupt_';
    await provision(desk.admin, prefix, DEMO_STAFF);
    const lines = sampleText.split('\n');
    const col = (lines[0] ?? '').split(',');
    const set = (n: number, column: string, value: string) => {
      const f = (lines[n - 1] ?? '').split(',');
      f[col.indexOf(column)] = value;
      lines[n - 1] = f.join(',');
    };
    const bad = new Map<number, RegExp>();
    lines[9] = (lines[9] ?? '').slice(0, 60); // file line 10, truncated
    bad.set(10, /fields/);
    lines[199] = (lines[199] ?? '').slice(0, 120);
    bad.set(200, /fields/);
    set(50, 'sys_updated_at', '31/2/2016 25:99');
    bad.set(50, /sys_updated_at .* is not a date/);
    set(300, 'opened_at', 'yesterday');
    bad.set(300, /opened_at .* is not a date/);
    set(100, 'incident_state', '-100');
    bad.set(100, /unknown incident_state ""-100""/); // CSV-escaped in the refusals file
    set(400, 'incident_state', 'Pending Magic');
    bad.set(400, /unknown incident_state/);
    set(250, 'caller_id', '"Caller 9999'); // an opening quote that never closes
    bad.set(250, /quoted field is never closed/);
    set(350, 'notify', 'Do Not" Notify'); // a stray quote inside a field: still a good row
    const file = join(work, 'corrupted.csv');
    writeFileSync(file, lines.join('\n'));
    const refusalsFile = join(work, 'refusals.csv');
    const run = await runCli([file, '--refusals', refusalsFile], prefix);
    expect(run.code).toBe(0);
    const refused = readFileSync(refusalsFile, 'utf8').trim().split('\n').slice(1);
    expect(refused.map((l) => Number(l.split(',')[0]))).toEqual(
      [...bad.keys()].sort((a, b) => a - b),
    );
    for (const l of refused) {
      const line = Number(l.split(',')[0]);
      expect(l).toMatch(bad.get(line)!);
    }
    const good = plainRows(lines.join('\n')).filter((_, i) => !bad.has(i + 2));
    expect(run.out).toContain(
      `${good.length + bad.size} rows read, ${good.length} imported, ${bad.size} refused`,
    );
    const tickets = await allDocs(desk.admin, `${prefix}tickets`);
    expect(tickets).toHaveLength(new Set(good.map((r) => r.number)).size);
  });

  it('imports an export in another order the same, and refuses rows away from their incident', async () => {
    const prefix = 'order_';
    await provision(desk.admin, prefix, DEMO_STAFF);
    const [head = '', ...body] = sampleText.split('\n').filter((l) => l.trim() !== '');
    // Incidents in reverse order (each one's rows still together), then one row moved to the end.
    const groups = new Map<string, string[]>();
    for (const l of body) {
      const n = l.split(',')[0] ?? '';
      groups.set(n, [...(groups.get(n) ?? []), l]);
    }
    const reversed = [...groups.values()].reverse();
    const moved = reversed[5]?.splice(1, 1)[0] ?? '';
    const lines = [head, ...reversed.flat(), moved];
    const file = join(work, 'reordered.csv');
    writeFileSync(file, lines.join('\n'));
    const r = await runImport(file, desk.admin, prefix);
    expect(r.refusals).toEqual([
      {
        line: lines.length,
        number: moved.split(',')[0],
        reason: expect.stringMatching(/are not together/),
      },
    ]);
    expect(r.incidents.created).toBe(expected.incidents);
    // Apart from the incident that lost a row, every ticket is as the sorted import made it.
    const strip = (docs: Doc[]) =>
      docs
        .filter(
          (d) => d.imported !== undefined && (d.imported as Doc).number !== moved.split(',')[0],
        )
        .map(({ _rev, ...rest }) => (void _rev, rest))
        .sort((a, b) => String(a._id).localeCompare(String(b._id)));
    expect(strip(await allDocs(desk.admin, `${prefix}tickets`))).toEqual(
      strip(await allDocs(desk.admin, `${PREFIX}tickets`)),
    );
  });

  it('seeds a demo desk of the real tickets with setup --demo --from', async () => {
    const prefix = 'setup_';
    const run = await runCli(
      ['--demo', '--from', SAMPLE],
      prefix,
      undefined,
      'server/src/cli/setup.ts',
    );
    expect(run.code).toBe(0);
    const tickets = await allDocs(desk.admin, `${prefix}tickets`);
    expect(tickets).toHaveLength(expected.incidents);
    expect(tickets.every((t) => (t.imported as Doc | undefined)?.source === 'servicenow')).toBe(
      true,
    );
    // The demo's own reference data (staff, groups) is there for the seeded accounts.
    const dir = await allDocs(desk.admin, `${prefix}directory`);
    expect(dir.some((d) => d._id === 'person:alice')).toBe(true);
  });

  it('writes nothing in a dry run', async () => {
    const prefix = 'dry_';
    await provision(desk.admin, prefix, DEMO_STAFF);
    const r = await runImport(SAMPLE, desk.admin, prefix, true);
    expect(r.incidents.created).toBe(expected.incidents);
    expect(await allDocs(desk.admin, `${prefix}tickets`)).toHaveLength(0);
    expect(await allDocs(desk.admin, `${prefix}activity`)).toHaveLength(0);
  });
});

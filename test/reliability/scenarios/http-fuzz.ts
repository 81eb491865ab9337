/**
 * HTTP fuzz of the front door: seeded, generated requests (method × canonical and non-canonical
 * paths × every database and special document × query parameters × body shapes and sizes,
 * chunked or not × roles including anonymous) against the provisioned server. Each answer is
 * checked against what that role may do; afterwards the server's state is read as the server
 * admin to prove nothing unauthorized happened (accounts and roles, `_security`, design
 * documents, databases, attachments outside their database). Throughout, the engine's process
 * and a staff member's reads are watched: an engine restart or a read with no answer within a
 * generous deadline is a failure (no latency threshold).
 */
import { startTestDesk, PREFIX, type TestDesk } from '../../support/desk-server';
import { basic, raw, type RawAnswer } from '../../support/raw-http';
import { createRng, type Rng } from '../../../server/src/provision/random';
import type { ScenarioOptions, ScenarioResult } from '../types';
import { DEMO_SERVICE_PASSWORD } from '../../../server/src/services/config';
import { createTicket, newTicketNumber } from '../../../shared/domain';

/** `must-change`: an agent whose password an admin reset (only its session and own document). */
type Who =
  'anonymous' | 'agent' | 'technician' | 'supervisor' | 'admin' | 'service' | 'must-change';
const USER: Record<Exclude<Who, 'anonymous'>, string> = {
  agent: 'alice',
  technician: 'tara',
  supervisor: 'sam',
  admin: 'ada',
  service: 'desk-services',
  'must-change': 'mona',
};
const RESET_PASSWORD = 'temporary-for-mona';
const PASSWORD = (w: Exclude<Who, 'anonymous'>) =>
  w === 'service' ? DEMO_SERVICE_PASSWORD : w === 'must-change' ? RESET_PASSWORD : 'switchboard';
const WHO: readonly Who[] = [
  'anonymous',
  'agent',
  'technician',
  'supervisor',
  'admin',
  'service',
  'must-change',
];
const DBS = ['tickets', 'activity', 'directory', 'presence', 'attachments', 'services'].map(
  (d) => PREFIX + d,
);
const OTHER_DBS = ['_users', '_replicator', 'sb_nope', '_global_changes'];
/** A staff read must answer within this (a stall, not a latency figure). */
const DEADLINE_MS = 15_000;

type Generated = {
  readonly who: Who;
  readonly method: string;
  readonly path: string;
  /** The path was made non-canonical on purpose. */
  readonly mangled: boolean;
  readonly shape: string;
  readonly body?: string;
  readonly chunked: boolean;
  readonly contentType: string;
};

const PATHS: readonly ((db: string, doc: string, user: string) => string)[] = [
  () => '',
  () => '_all_dbs',
  () => '_config',
  () => '_config/admins',
  () => '_session',
  () => '_uuids',
  () => '_replicate',
  () => '_utils',
  () => '_active_tasks',
  () => '_users',
  () => '_users/_all_docs',
  () => '_users/_bulk_docs',
  (_d, _x, u) => `_users/org.couchdb.user:${u}`,
  () => '_users/org.couchdb.user:ben',
  () => '_users/org.couchdb.user:fuzzed',
  (d) => d,
  (d) => `${d}/_all_docs`,
  (d) => `${d}/_changes`,
  (d) => `${d}/_bulk_docs`,
  (d) => `${d}/_bulk_get`,
  (d) => `${d}/_revs_diff`,
  (d) => `${d}/_find`,
  (d) => `${d}/_explain`,
  (d) => `${d}/_index`,
  (d) => `${d}/_index/_design/switchboard/json/x`,
  (d) => `${d}/_security`,
  (d) => `${d}/_local/_security`,
  (d) => `${d}/_local/mrviews`,
  (d) => `${d}/_local/fuzz-checkpoint`,
  (d) => `${d}/_design/switchboard`,
  (d) => `${d}/_design/evil`,
  (d) => `${d}/_design/switchboard/_view/by_ci`,
  (d) => `${d}/_design/missing/_view/x`,
  (d) => `${d}/_design/switchboard/_show/x`,
  (d) => `${d}/_design/switchboard/_list/a/b`,
  (d) => `${d}/_design/switchboard/_update/x`,
  (d) => `${d}/_design/switchboard/_info`,
  (d) => `${d}/_purge`,
  (d) => `${d}/_compact`,
  (d) => `${d}/_revs_limit`,
  (d) => `${d}/_temp_view`,
  (d, x) => `${d}/${x}`,
  (d, x) => `${d}/${x}/data`,
  (d, x) => `${d}/${x}/x.html`,
];

const PARAMS: readonly (readonly [string, readonly string[]])[] = [
  ['limit', ['1', '50', '100000000', '-1', 'x']],
  ['skip', ['0', '99999999']],
  ['include_docs', ['true', 'nope']],
  ['since', ['0', 'now', '1', 'garbage"']],
  [
    'filter',
    [
      '_doc_ids',
      '_view',
      '_selector',
      '_design',
      'switchboard/assigned',
      'switchboard/workorders',
      'x/y',
    ],
  ],
  ['doc_ids', ['["a"]', '[1]', 'oops']],
  ['assignee', ['tara']],
  ['view', ['switchboard/by_ci', 'missing/x']],
  ['style', ['all_docs', 'weird']],
  ['conflicts', ['true']],
  ['attachments', ['true']],
  ['open_revs', ['all', '["1-abc"]', '[']],
  ['rev', ['1-abc', 'zzz']],
  ['new_edits', ['false']],
  ['keys', ['["a","b"]', JSON.stringify(Array.from({ length: 5000 }, (_, i) => `k${i}`))]],
  ['startkey', ['"a"', '{']],
  ['descending', ['true']],
  ['heartbeat', ['1000']],
  ['count', ['5', '100000']],
  ['reduce', ['true', 'false']],
];

const longAgo = () => new Date(Date.now() - 400 * 86_400_000).toISOString();
const ticketNumber = (rng: Rng) =>
  newTicketNumber('incident', { now: Date.now(), deviceId: 'fuzz', random: () => rng.next() });

/** An activity entry as an import writes it: another author, a past time, a marker. */
function importedEntry(rng: Rng): Record<string, unknown> {
  return {
    ticketNumber: 'INC-1',
    at: longAgo(),
    schemaVersion: 1,
    type: rng.pick(['work-note', 'reply', 'state-change']),
    by: 'ben',
    body: 'Imported',
    data: { from: 'new', to: 'closed' },
    imported: { source: 'servicenow', number: 'INC0000045' },
  };
}

/** A valid ticket as an import writes it (PUT it at a ticket number). */
function importedTicket(rng: Rng): Record<string, unknown> {
  const then = longAgo();
  const r = createTicket(
    {
      kind: 'incident',
      title: 'Imported',
      description: 'From the old tool',
      requesterId: 'person:caller-0001',
      ciId: null,
      category: 'general',
      impact: 3,
      urgency: 3,
      groupId: 'group:service-desk',
      assigneeId: null,
    },
    { now: then, actor: 'ben', number: ticketNumber(rng) },
  );
  if (!r.ok) throw new Error(r.errors.join('; '));
  const { number: _number, ...body } = r.value;
  return {
    ...body,
    imported: { source: 'servicenow', number: 'INC0000045', digest: `d${rng.int(0, 1e9)}` },
  };
}

function bodyOf(rng: Rng, user: string): { shape: string; body?: string } {
  const at = new Date().toISOString();
  const shapes: readonly [string, () => string | undefined][] = [
    ['none', () => undefined],
    ['empty object', () => '{}'],
    ['not json', () => 'this is not json'],
    ['bare number', () => '10'],
    [
      'roles raise',
      () => JSON.stringify({ name: user, type: 'user', roles: ['admin', '_admin'], password: 'x' }),
    ],
    [
      'design in bulk',
      () =>
        JSON.stringify({ docs: [{ _id: '_design/evil', validate_doc_update: 'function(){}' }] }),
    ],
    [
      'local security in bulk',
      () => JSON.stringify({ docs: [{ _id: '_local/_security', members: { names: [user] } }] }),
    ],
    [
      'security object',
      () => JSON.stringify({ admins: { names: [user] }, members: { names: [user] } }),
    ],
    [
      'mango index',
      () => JSON.stringify({ index: { fields: ['title'] }, ddoc: 'evil', name: 'evil' }),
    ],
    ['regex selector', () => JSON.stringify({ selector: { title: { $regex: '^(a+)+$' } } })],
    [
      'many keys',
      () => JSON.stringify({ keys: Array.from({ length: 50_000 }, (_, i) => `k${i}`) }),
    ],
    ['few keys', () => JSON.stringify({ keys: ['a', 'b'] })],
    [
      'inline html attachment',
      () =>
        JSON.stringify({
          _id: `fuzz-${rng.int(0, 1e9)}`,
          _attachments: {
            'x.html': { content_type: 'text/html', data: btoa('<script>1</script>') },
          },
        }),
    ],
    ['html', () => '<script>alert(1)</script>'],
    [
      'forged ticket',
      () =>
        JSON.stringify({
          kind: 'incident',
          title: 'fuzz',
          state: 'new',
          createdBy: 'ben',
          createdAt: at,
          updatedAt: '9999-01-01T00:00:00.000Z',
        }),
    ],
    [
      'presence of another',
      () => JSON.stringify({ user: 'ben', ticketNumber: null, editing: false, at }),
    ],
    ['deep', () => '['.repeat(2000) + ']'.repeat(2000)],
    [
      'wide',
      () =>
        JSON.stringify(Object.fromEntries(Array.from({ length: 30_000 }, (_, i) => [`k${i}`, i]))),
    ],
    ['9 MB', () => JSON.stringify({ blob: 'a'.repeat(9 * 1024 * 1024) })],
    ['revs diff', () => JSON.stringify({ a: ['1-abc'] })],
    ['bulk get', () => JSON.stringify({ docs: [{ id: 'a' }] })],
    ['sign in', () => JSON.stringify({ name: user, password: 'switchboard' })],
    ['own presence', () => JSON.stringify({ user, ticketNumber: null, editing: false, at })],
    ['checkpoint', () => JSON.stringify({ last_seq: 1, session_id: 'fuzz' })],
    ['changes ids', () => JSON.stringify({ doc_ids: ['presence:alice'] })],
    // History as an import writes it (issue 27): other people's names, past times, a marker.
    // Only administrators may write it.
    ['imported entry', () => JSON.stringify(importedEntry(rng))],
    ['imported ticket', () => JSON.stringify(importedTicket(rng))],
    [
      'imported in bulk',
      () =>
        JSON.stringify({
          docs: [
            { ...importedEntry(rng), _id: `INC-1:imported-${rng.int(0, 1e9)}` },
            { ...importedTicket(rng), _id: ticketNumber(rng) },
          ],
        }),
    ],
  ];
  const [shape, make] = rng.weighted(shapes.map((s) => [s, s[0] === '9 MB' ? 0.3 : 1] as const));
  const body = make();
  return body === undefined ? { shape } : { shape, body };
}

/** Makes a path non-canonical in one of the ways an attacker would. */
function mangle(rng: Rng, path: string): string {
  const kinds: readonly ((p: string) => string)[] = [
    (p) => `//${p}`,
    (p) => `/./${p}`,
    (p) => `/x/../${p}`,
    (p) => `/${p.replace('/', '%2F')}`,
    (p) => `/${p.replace('/', '%2f')}`,
    (p) => `/%2e%2e/${p}`,
    (p) => `/${p.replace('/', '//')}`,
    (p) => `/${p.replace('/', '/%2e/')}`,
    (p) => `/${p.replace('/', '%5c')}`,
    (p) => `/${p}/..`,
  ];
  const out = rng.pick(kinds)(path);
  return out;
}

function generate(rng: Rng): Generated {
  const who = rng.pick(WHO);
  const user = who === 'anonymous' ? 'alice' : USER[who];
  const db = rng.chance(0.85) ? rng.pick(DBS) : rng.pick(OTHER_DBS);
  const doc = rng.pick([
    ticketNumber(rng),
    'fuzz-1',
    'presence:alice',
    'presence:ben',
    'INC-000001',
    'file-1',
    'template:ack',
    `fuzz-${rng.int(0, 1e9)}`,
  ]);
  const base = rng.pick(PATHS)(db, doc, user);
  const params: string[] = [];
  for (let i = rng.chance(0.5) ? 0 : rng.int(1, 3); i > 0; i--) {
    const [k, vs] = rng.pick(PARAMS);
    params.push(`${k}=${encodeURIComponent(rng.pick(vs))}`);
  }
  if (rng.chance(0.15)) params.push('feed=' + rng.pick(['longpoll', 'continuous', 'eventsource']));
  // A long-poll without a short timeout would just wait: the fuzz keeps them short.
  if (params.some((p) => p === 'feed=longpoll'))
    params.push(`timeout=${rng.pick(['0', '100', '500', '999999999'])}`);
  const target = rng.chance(0.25) && base !== '' ? mangle(rng, base) : `/${base}`;
  // Some manglings leave a path without a `/` as it was: only a changed path counts as mangled.
  const mangled = target !== `/${base}`;
  const path = target + (params.length ? `?${params.join('&')}` : '');
  const method = rng.weighted([
    ['GET', 4],
    ['HEAD', 1],
    ['PUT', 3],
    ['POST', 3],
    ['DELETE', 2],
    ['COPY', 0.5],
    ['PATCH', 0.5],
    ['OPTIONS', 0.5],
  ] as const);
  // Reads mostly carry no body, so the fuzz reaches what lies behind the body checks too.
  const { shape, body } =
    ['GET', 'HEAD', 'DELETE'].includes(method) && rng.chance(0.8)
      ? { shape: 'none', body: undefined }
      : bodyOf(rng, user);
  return {
    who,
    method,
    path,
    mangled,
    shape,
    ...(body !== undefined ? { body } : {}),
    chunked: rng.chance(0.3),
    contentType: rng.weighted([
      ['application/json', 6],
      ['text/html', 1],
      ['multipart/related; boundary=x', 1],
      ['application/pdf', 1],
      ['application/x-www-form-urlencoded', 0.5],
    ] as const),
  };
}

/** Why this answer shows something that role may not do succeeded, or null. */
function unauthorizedSuccess(g: Generated, a: RawAnswer): string | null {
  if (a.status < 200 || a.status >= 300) return null;
  const write = !['GET', 'HEAD'].includes(g.method);
  const pathOnly = g.path.split('?')[0]!;
  if (g.mangled) return 'a non-canonical path was answered';
  const publicPath = pathOnly === '/' || pathOnly === '/_session';
  if (g.who === 'anonymous' && !publicPath) return 'anonymous request succeeded';
  if (
    g.who === 'must-change' &&
    !publicPath &&
    !(pathOnly === `/_users/org.couchdb.user:${USER[g.who]}` && ['GET', 'HEAD'].includes(g.method))
  )
    return 'a reset account got past the password change';
  if (
    /\/_(index|find|explain|temp_view|purge|show|list|update|info|replicate|utils|active_tasks)/.test(
      pathOnly,
    )
  )
    return 'an endpoint nobody is served succeeded';
  if (/\/_local\/(_security|mrviews)/.test(pathOnly))
    return 'an engine _local document was touched';
  if (/^\/(_all_dbs|_config|_users\/_all_docs|_users\/_bulk_docs|_users$)/.test(pathOnly))
    return 'server administration by a member';
  if (write && /\/_security$/.test(pathOnly)) return '_security written by a member';
  if (write && /\/_design\//.test(pathOnly) && !/\/_view\//.test(pathOnly))
    return 'a design document written by a member';
  if (pathOnly.startsWith('/_users/org.couchdb.user:') && g.who !== 'anonymous') {
    const own = `/_users/org.couchdb.user:${USER[g.who]}`;
    if (pathOnly !== own) return 'another account read or written';
    if (write && g.shape === 'roles raise') return 'roles raised';
  }
  if (write && /\.html$/.test(pathOnly)) return 'an HTML attachment accepted';
  if (write && /\/data$/.test(pathOnly) && !pathOnly.includes('attachments/'))
    return 'an attachment outside the attachments database';
  if (write && g.shape === 'design in bulk' && a.text.includes('"ok":true'))
    return 'a design document in a bulk';
  if (write && g.shape === 'inline html attachment') return 'an inline attachment accepted';
  // Imported history under other names: administrators only (the admin role; the fuzz has no
  // server admin).
  const history = [`/${PREFIX}tickets/`, `/${PREFIX}activity/`].some((p) => pathOnly.startsWith(p));
  if (write && history && g.shape.startsWith('imported') && g.who !== 'admin') {
    if (g.shape !== 'imported in bulk') return 'imported history written by a non-admin';
    if (a.text.includes('"ok":true')) return 'imported history in a bulk by a non-admin';
  }
  // Feeds the gateway does not serve, and multipart uploads, never succeed.
  if (/[?&]feed=(continuous|eventsource)/.test(g.path)) return 'an unserved feed was answered';
  if (
    write &&
    pathOnly !== '/_session' &&
    g.contentType.startsWith('multipart/') &&
    g.body !== undefined
  )
    return 'a multipart upload was accepted';
  if (write && (g.shape === '9 MB' || g.shape === 'wide' || g.shape === 'deep'))
    return 'an oversized document accepted';
  // Membership: the services database is the service account's and admins'; presence is staff's.
  const inDb = (db: string) =>
    pathOnly === `/${PREFIX}${db}` || pathOnly.startsWith(`/${PREFIX}${db}/`);
  if (inDb('services') && g.who !== 'service' && g.who !== 'admin')
    return 'the services database reached by a non-member';
  if (inDb('presence') && g.who === 'service') return 'presence reached by desk services';
  if (write && pathOnly.startsWith(`/${PREFIX}services/template:`) && g.who !== 'admin')
    return 'a mail template written by someone other than an admin';
  if (write && pathOnly.startsWith(`/${PREFIX}services/template:`))
    return 'a fuzzed mail template accepted';
  const dbPath = /^\/[^/_][^/]*$/.test(pathOnly);
  if (dbPath && g.method === 'PUT') return 'a database created';
  if (dbPath && g.method === 'DELETE') return 'a database deleted';
  return null;
}

type State = Record<string, unknown>;

/** What must not change, read as the server admin. */
async function snapshot(desk: TestDesk): Promise<State> {
  const users = await desk.admin.request<{ rows: { id: string; doc: Record<string, unknown> }[] }>(
    'GET',
    '/_users/_all_docs?include_docs=true',
  );
  const state: State = {
    dbs: await desk.admin.request('GET', '/_all_dbs'),
    users: users.rows
      .filter((r) => !r.id.startsWith('_design/'))
      .map((r) => ({ id: r.id, roles: r.doc.roles, key: r.doc.derived_key })),
  };
  for (const db of DBS) {
    state[`${db} security`] = await desk.admin.request('GET', `/${db}/_security`);
    const design = await desk.admin.request<{ rows: { id: string; value: { rev: string } }[] }>(
      'GET',
      `/${db}/_all_docs?startkey=%22_design%2F%22&endkey=%22_design0%22`,
    );
    state[`${db} design`] = design.rows.map((r) => `${r.id}@${r.value.rev}`);
  }
  return state;
}

/** Documents outside the attachments database that carry attachments, and bad files in it. */
async function attachmentProblems(desk: TestDesk): Promise<string[]> {
  const out: string[] = [];
  for (const db of DBS) {
    const all = await desk.admin.request<{ rows: { id: string; doc?: Record<string, unknown> }[] }>(
      'GET',
      `/${db}/_all_docs?include_docs=true`,
    );
    for (const r of all.rows) {
      const atts = r.doc?._attachments as Record<string, { content_type?: string }> | undefined;
      if (!atts || r.id.startsWith('_design/')) continue;
      if (!db.endsWith('attachments')) out.push(`${db}/${r.id} has attachments`);
      else
        for (const [name, a] of Object.entries(atts))
          if (
            name !== 'data' ||
            !/^(image\/(png|jpeg|webp)|application\/pdf)$/.test(a.content_type ?? '')
          )
            out.push(`${db}/${r.id} has ${name} (${a.content_type})`);
    }
  }
  return out;
}

export async function httpFuzz(o: ScenarioOptions): Promise<ScenarioResult> {
  const rng = createRng(o.seed);
  const count = o.quick ? 600 : 6_000;
  const desk = await startTestDesk({ tickets: 10 });
  await desk.admin.request('PUT', `/_users/org.couchdb.user:${USER['must-change']}`, {
    name: USER['must-change'],
    type: 'user',
    roles: ['agent'],
    password: RESET_PASSWORD,
    mustChangePassword: true,
  });
  const problems: string[] = [];
  const statuses = new Map<number, number>();
  try {
    const before = await snapshot(desk);
    const pid = desk.server.enginePid();
    const restarts = desk.server.engineRestarts();
    // The staff member's reads, throughout.
    let watching = true;
    let reads = 0;
    const watcher = (async () => {
      while (watching) {
        const a = await raw(desk.url, {
          method: 'GET',
          path: `/${PREFIX}tickets/_all_docs?limit=1`,
          headers: { authorization: basic('ben', 'switchboard') },
          deadlineMs: DEADLINE_MS,
        });
        reads += 1;
        if (a.timedOut) problems.push(`staff read: no answer within ${DEADLINE_MS} ms`);
        else if (a.status !== 200) problems.push(`staff read: HTTP ${a.status}`);
        await new Promise((ok) => setTimeout(ok, 50));
      }
    })();
    for (let i = 0; i < count; i++) {
      const g = generate(rng);
      const headers: Record<string, string> = { 'content-type': g.contentType };
      if (g.who !== 'anonymous') headers.authorization = basic(USER[g.who], PASSWORD(g.who));
      const a = await raw(desk.url, {
        method: g.method,
        path: g.path,
        headers,
        ...(g.body !== undefined ? { body: g.body } : {}),
        chunked: g.chunked,
        deadlineMs: DEADLINE_MS,
      });
      statuses.set(a.status, (statuses.get(a.status) ?? 0) + 1);
      const label = `#${i} ${g.who} ${g.method} ${g.path.slice(0, 120)} [${g.shape}]`;
      if (a.timedOut) problems.push(`${label}: no answer within ${DEADLINE_MS} ms`);
      else if (a.status >= 500) problems.push(`${label}: HTTP ${a.status} ${a.text.slice(0, 100)}`);
      const why = a.timedOut ? null : unauthorizedSuccess(g, a);
      if (why) problems.push(`${label}: ${why} (HTTP ${a.status})`);
    }
    watching = false;
    await watcher;
    if (desk.server.enginePid() !== pid || desk.server.engineRestarts() !== restarts)
      problems.push(`the engine restarted (${desk.server.engineRestarts() - restarts} times)`);
    const after = await snapshot(desk);
    for (const k of Object.keys(before))
      if (JSON.stringify(before[k]) !== JSON.stringify(after[k]))
        problems.push(`server state changed: ${k}: ${JSON.stringify(after[k]).slice(0, 200)}`);
    problems.push(...(await attachmentProblems(desk)));
    return {
      scenario: 'http-fuzz',
      iterations: count,
      failures: problems.length,
      lost: 0,
      duplicated: 0,
      seeds: [o.seed],
      notes: [
        ...problems.slice(0, 20),
        `${count} requests, ${reads} staff reads; statuses ${[...statuses]
          .sort((a, b) => a[0] - b[0])
          .map(([s, n]) => `${s}×${n}`)
          .join(' ')}`,
      ],
    };
  } finally {
    await desk.stop();
  }
}

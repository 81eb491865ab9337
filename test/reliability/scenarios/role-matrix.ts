/**
 * Role × operation matrix against the server as provisioned: anonymous, agent, technician,
 * supervisor and admin (the `admin` role), the desk services account (role `service`) and the
 * server admin, on every database (the services database included): reads,
 * changes, design documents, `_security` (and the engine's `_local/_security` copy), `_local`
 * checkpoints, mango `_index`, attachments; and `_all_dbs`, `_config`, `_users` (own document,
 * roles, new accounts). The `must-change` role is an agent whose password an admin reset
 * (`mustChangePassword: true`): it may read its session and own `_users` document and set a new
 * password, nothing else (the gateway's password-change-gate.ts). Every cell has an expected outcome; every forbidden cell must be refused
 * (401/403, or a 4xx from the gateway itself for requests it serves to nobody).
 */
import { startTestDesk, PREFIX, TEST_ADMIN, type TestDesk } from '../../support/desk-server';
import type { ScenarioOptions, ScenarioResult } from '../types';
import { createTicket, newTicketNumber } from '../../../shared/domain';
import { DEMO_SERVICE_PASSWORD } from '../../../server/src/services/config';

type Who =
  | 'anonymous'
  | 'agent'
  | 'technician'
  | 'supervisor'
  | 'admin'
  | 'service'
  | 'server-admin'
  | 'must-change';
/** The account an admin reset, with its temporary password (set up by the matrix). */
const RESET = { name: 'mona', temporary: 'temporary-for-mona' } as const;
const CREDENTIALS: Record<Exclude<Who, 'anonymous'>, [string, string]> = {
  agent: ['alice', 'switchboard'],
  technician: ['tara', 'switchboard'],
  supervisor: ['sam', 'switchboard'],
  admin: ['ada', 'switchboard'],
  service: ['desk-services', DEMO_SERVICE_PASSWORD],
  'server-admin': [TEST_ADMIN.user, TEST_ADMIN.password],
  'must-change': [RESET.name, RESET.temporary],
};
const WHO: readonly Who[] = [
  'anonymous',
  'agent',
  'technician',
  'supervisor',
  'admin',
  'service',
  'server-admin',
  'must-change',
];

type Op = {
  readonly name: string;
  readonly run: (desk: TestDesk, who: Who) => Promise<number>;
  /** Who may do it; everyone else must be refused (4xx). */
  readonly allowed: readonly Who[];
  /** Served to nobody: the gateway's own 4xx counts as the refusal. */
  readonly nobody?: boolean;
};

/** The body of the last answer. */
let lastText = '';
/** A `_bulk_docs` answer's status as one write's: 201 only if every document was written. */
function bulkStatus(status: number): number {
  if (status !== 201) return status;
  const results = JSON.parse(lastText) as { ok?: boolean; error?: string }[];
  const failed = results.find((r) => r.ok !== true);
  return failed === undefined ? 201 : failed.error === 'forbidden' ? 403 : 409;
}

/** Status of the last answer that the gateway itself refused (x-switchboard-gateway). */
const gatewayRefused = new Set<number>();

async function http(
  desk: TestDesk,
  who: Who,
  method: string,
  path: string,
  body?: unknown,
  extra: Record<string, string> = {},
) {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: 'application/json',
    ...extra,
  };
  if (who !== 'anonymous') {
    const [u, p] = CREDENTIALS[who];
    headers.authorization = 'Basic ' + Buffer.from(`${u}:${p}`).toString('base64');
  }
  const res = await fetch(desk.url + path, {
    method,
    headers,
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  lastText = await res.text();
  if (res.headers.get('x-switchboard-gateway') === 'refused') gatewayRefused.add(res.status);
  else gatewayRefused.delete(res.status);
  return res.status;
}

const NAME: Record<Exclude<Who, 'anonymous'>, string> = {
  agent: 'alice',
  technician: 'tara',
  supervisor: 'sam',
  admin: 'ada',
  service: 'desk-services',
  'server-admin': 'alice',
  'must-change': RESET.name,
};
/** A user's own `_users` document as the server admin reads it. */
const userDoc = (d: TestDesk, w: Who) =>
  d.admin.request<Record<string, unknown>>(
    'GET',
    `/_users/org.couchdb.user:${w === 'anonymous' ? 'alice' : NAME[w]}`,
  );

const STAFF: readonly Who[] = ['agent', 'technician', 'supervisor', 'admin', 'server-admin'];
const MANAGERS: readonly Who[] = ['supervisor', 'admin', 'server-admin'];
const SERVER_ADMIN: readonly Who[] = ['server-admin'];
/** Technicians make work orders only. */
const TICKET_MAKERS: readonly Who[] = ['agent', 'supervisor', 'admin', 'server-admin'];
/** Staff and the desk services account (every database but presence and services). */
const STAFF_AND_SERVICE: readonly Who[] = [...STAFF, 'service'];
/** Who is a member of each database, as provisioned. */
const MEMBERS: Record<(typeof ALL_DBS)[number], readonly Who[]> = {
  tickets: STAFF_AND_SERVICE,
  activity: STAFF_AND_SERVICE,
  directory: STAFF_AND_SERVICE,
  presence: STAFF,
  attachments: STAFF_AND_SERVICE,
  services: ['admin', 'service', 'server-admin'],
};
const ALL_DBS = [
  'tickets',
  'activity',
  'directory',
  'presence',
  'attachments',
  'services',
] as const;
let n = 0;
const uid = (p: string) => `${p}-${Date.now().toString(36)}-${(n++).toString(36)}`;

/** A new ticket of `kind` created by `w`, as `[path, body]`. */
function newTicket(w: Who, kind: 'incident' | 'request'): [string, Record<string, unknown>] {
  const actor = w === 'anonymous' ? 'alice' : w === 'server-admin' ? 'admin' : NAME[w];
  const r = createTicket(
    {
      kind,
      title: 'Matrix',
      description: 'x',
      requesterId: 'person:caller-0001',
      ciId: null,
      category: 'general',
      impact: 3,
      urgency: 3,
      groupId: 'group:service-desk',
      assigneeId: null,
    },
    {
      now: new Date().toISOString(),
      actor,
      number: newTicketNumber(kind, { now: Date.now(), deviceId: 'matrix', random: Math.random }),
    },
  );
  if (!r.ok) throw new Error(r.errors.join());
  const { number, ...rest } = r.value;
  return [`/${PREFIX}tickets/${number}`, rest];
}

/** Saves `template:<kind>` as `w` would from the Templates page (version one past the stored). */
async function saveTemplate(d: TestDesk, w: Who, kind: string, subject: string): Promise<number> {
  const id = `template:${kind}`;
  const cur = await d.admin.tryRequest('GET', `/${PREFIX}services/${id}`);
  const doc = cur.status === 200 ? (cur.body as { _rev: string; version: number }) : null;
  return http(d, w, 'PUT', `/${PREFIX}services/${id}`, {
    ...(doc ? { _rev: doc._rev } : {}),
    kind,
    subject,
    text: 'Hello {{requesterName}}',
    html: '<p>{{body}}</p>',
    version: (doc?.version ?? 0) + 1,
    updatedBy: w === 'anonymous' ? 'alice' : w === 'server-admin' ? TEST_ADMIN.user : NAME[w],
    updatedAt: new Date().toISOString(),
  });
}

/** Who may write imported history (issue 27): the admin role and the server admin. */
const IMPORTERS: readonly Who[] = ['admin', 'server-admin'];
const longAgo = () => new Date(Date.now() - 400 * 86_400_000).toISOString();

/** A new ticket as an import writes it: another creator, past times, an `imported` marker. */
function importedTicket(w: Who): [string, Record<string, unknown>] {
  const [path, body] = newTicket(w, 'incident');
  const then = longAgo();
  return [
    path,
    {
      ...body,
      createdBy: 'ben',
      createdAt: then,
      updatedBy: 'ben',
      updatedAt: then,
      imported: { source: 'servicenow', number: 'INC0000045', digest: uid('digest') },
    },
  ];
}

const OPS: readonly Op[] = [
  ...ALL_DBS.flatMap((db): Op[] => [
    {
      name: `read ${db}`,
      run: (d, w) => http(d, w, 'GET', `/${PREFIX}${db}/_all_docs?limit=1`),
      allowed: MEMBERS[db],
    },
    {
      name: `changes ${db}`,
      run: (d, w) => http(d, w, 'GET', `/${PREFIX}${db}/_changes?limit=1`),
      allowed: MEMBERS[db],
    },
    {
      name: `write design doc in ${db}`,
      run: (d, w) => http(d, w, 'PUT', `/${PREFIX}${db}/_design/${uid('x')}`, { views: {} }),
      allowed: SERVER_ADMIN,
    },
    {
      name: `design doc in a _bulk_docs of ${db}`,
      run: (d, w) =>
        http(d, w, 'POST', `/${PREFIX}${db}/_bulk_docs`, {
          docs: [{ _id: `_design/${uid('b')}`, views: {} }],
        }),
      allowed: SERVER_ADMIN,
    },
    {
      name: `read _security of ${db}`,
      run: (d, w) => http(d, w, 'GET', `/${PREFIX}${db}/_security`),
      allowed: MEMBERS[db],
    },
    {
      // Writes back the current object, so the matrix does not change what it tests.
      name: `write _security of ${db}`,
      run: async (d, w) =>
        http(
          d,
          w,
          'PUT',
          `/${PREFIX}${db}/_security`,
          await d.admin.request('GET', `/${PREFIX}${db}/_security`),
        ),
      allowed: SERVER_ADMIN,
    },
    {
      name: `write _local/_security of ${db}`,
      run: (d, w) =>
        http(d, w, 'PUT', `/${PREFIX}${db}/_local/_security`, { members: { names: ['alice'] } }),
      allowed: [],
      nobody: true,
    },
    {
      name: `write a _local checkpoint in ${db}`,
      run: (d, w) =>
        http(d, w, 'PUT', `/${PREFIX}${db}/_local/${uid('cp')}`, { last_seq: 1, session_id: 'x' }),
      allowed: MEMBERS[db],
    },
    {
      name: `add a mango _index in ${db}`,
      run: (d, w) =>
        http(d, w, 'POST', `/${PREFIX}${db}/_index`, { index: { fields: ['x'] }, ddoc: 'evil' }),
      allowed: [],
      nobody: true,
    },
    {
      name: `delete a mango _index in ${db}`,
      run: (d, w) => http(d, w, 'DELETE', `/${PREFIX}${db}/_index/_design/switchboard/json/x`),
      allowed: [],
      nobody: true,
    },
    {
      name: `_find in ${db}`,
      run: (d, w) =>
        http(d, w, 'POST', `/${PREFIX}${db}/_find`, { selector: { x: { $regex: '^(a+)+$' } } }),
      allowed: [],
      nobody: true,
    },
    db === 'attachments'
      ? {
          name: 'upload a file of your own to attachments',
          run: async (d, w) => {
            const id = uid('file');
            const by = w === 'anonymous' ? 'alice' : w === 'server-admin' ? 'admin' : NAME[w];
            const meta = {
              ticketNumber: 'WO-1',
              name: 'a.pdf',
              type: 'application/pdf',
              size: 8,
              by,
              at: new Date().toISOString(),
            };
            const made = await d.admin.request<{ rev: string }>(
              'PUT',
              `/${PREFIX}attachments/${id}`,
              meta,
            );
            return http(
              d,
              w,
              'PUT',
              `/${PREFIX}attachments/${id}/data?rev=${made.rev}`,
              '%PDF-1.4',
              {
                'content-type': 'application/pdf',
              },
            );
          },
          allowed: MEMBERS[db],
        }
      : {
          name: `attach a file in ${db}`,
          run: (d, w) =>
            http(d, w, 'PUT', `/${PREFIX}${db}/${uid('doc')}/x.html`, '<script>1</script>', {
              'content-type': 'text/html',
            }),
          allowed: [],
          nobody: true,
        },
    {
      name: `delete a database (${db}-scratch)`,
      run: (d, w) => http(d, w, 'DELETE', `/${PREFIX}${db}-scratch`),
      allowed: SERVER_ADMIN,
    },
  ]),
  {
    name: 'read your own session',
    run: (d, w) => http(d, w, 'GET', '/_session'),
    allowed: WHO,
  },
  {
    name: 'read your own _users doc',
    run: (d, w) =>
      http(d, w, 'GET', `/_users/org.couchdb.user:${w === 'anonymous' ? 'alice' : NAME[w]}`),
    allowed: [...STAFF_AND_SERVICE, 'must-change'],
  },
  {
    // The reset account's way out; everyone else's password is put back by the server admin.
    name: 'set a new password, then the server admin puts the old one back',
    run: async (d, w) => {
      const own = await userDoc(d, w);
      const status = await http(d, w, 'PUT', `/_users/${String(own._id)}`, {
        ...own,
        password: uid('a new password'),
      });
      if (status >= 200 && status < 300) {
        const now = await userDoc(d, w);
        const old =
          w === 'anonymous' ? 'switchboard' : CREDENTIALS[w === 'server-admin' ? 'agent' : w][1];
        await d.admin.request('PUT', `/_users/${String(own._id)}`, {
          ...now,
          password: old,
          ...(w === 'must-change' ? { mustChangePassword: true } : {}),
        });
      }
      return status;
    },
    allowed: [...STAFF_AND_SERVICE, 'must-change'],
  },
  {
    name: 'clear the reset flag without a new password',
    run: async (d, w) => {
      const own = await userDoc(d, w);
      return http(d, w, 'PUT', `/_users/${String(own._id)}`, {
        ...own,
        mustChangePassword: false,
      });
    },
    allowed: STAFF_AND_SERVICE,
  },
  {
    name: 'change your own password (to the same one)',
    run: async (d, w) => {
      const own = await userDoc(d, w);
      // The server admin (and anonymous) try it on alice's document: her password stays.
      // The reset account tries its temporary password again, which is not a new one: refused.
      const password =
        w === 'anonymous' || w === 'server-admin' ? 'switchboard' : CREDENTIALS[w][1];
      return http(d, w, 'PUT', `/_users/${String(own._id)}`, { ...own, password });
    },
    allowed: STAFF_AND_SERVICE,
  },
  {
    name: 'raise your own roles',
    run: async (d, w) => {
      const boss = uid('boss');
      if (w === 'server-admin')
        return http(d, w, 'PUT', `/_users/org.couchdb.user:${boss}`, {
          name: boss,
          type: 'user',
          roles: ['admin'],
          password: 'x',
        });
      const own = await userDoc(d, w);
      return http(d, w, 'PUT', `/_users/${String(own._id)}`, {
        ...own,
        roles: ['agent', 'technician', 'supervisor', 'admin'],
      });
    },
    allowed: SERVER_ADMIN,
  },
  {
    name: 'create an account',
    run: (d, w) => {
      const name = uid('newbie');
      return http(d, w, 'PUT', `/_users/org.couchdb.user:${name}`, {
        name,
        type: 'user',
        roles: [],
        password: 'x',
      });
    },
    allowed: SERVER_ADMIN,
  },
  {
    name: 'create an incident as yourself',
    run: (d, w) => http(d, w, 'PUT', ...newTicket(w, 'incident')),
    allowed: [...TICKET_MAKERS, 'service'],
  },
  {
    name: 'create a request as yourself',
    run: (d, w) => http(d, w, 'PUT', ...newTicket(w, 'request')),
    allowed: TICKET_MAKERS,
  },
  {
    name: 'import a ticket (another creator, past times, imported marker)',
    run: (d, w) => http(d, w, 'PUT', ...importedTicket(w)),
    allowed: IMPORTERS,
  },
  {
    name: 'import over an existing ticket (another name, a past time, new digest)',
    run: async (d, w) => {
      const rows = await d.admin.request<{ rows: { id: string }[] }>(
        'GET',
        `/${PREFIX}tickets/_all_docs?limit=1&startkey=%22INC-%22&endkey=%22INC.%22`,
      );
      const id = rows.rows[0]?.id ?? 'INC-none';
      const t = await d.admin.request<Record<string, unknown>>('GET', `/${PREFIX}tickets/${id}`);
      return http(d, w, 'PUT', `/${PREFIX}tickets/${id}`, {
        ...t,
        title: `Imported ${uid('t')}`,
        updatedBy: 'ben',
        updatedAt: new Date(Date.now() - 60_000).toISOString(),
        imported: { source: 'servicenow', number: 'INC0000046', digest: uid('digest') },
      });
    },
    allowed: IMPORTERS,
  },
  {
    name: 'write an imported activity entry (another author, a past time)',
    run: (d, w) =>
      http(d, w, 'PUT', `/${PREFIX}activity/${uid('INC-1:imported')}`, {
        ticketNumber: 'INC-1',
        at: longAgo(),
        schemaVersion: 1,
        type: 'work-note',
        by: 'ben',
        body: 'Imported note',
        data: {},
        imported: { source: 'servicenow', number: 'INC0000045' },
      }),
    allowed: IMPORTERS,
  },
  {
    name: 'imported activity entries in a _bulk_docs',
    run: async (d, w) => {
      const status = await http(d, w, 'POST', `/${PREFIX}activity/_bulk_docs`, {
        docs: [
          {
            _id: uid('INC-1:imported-bulk'),
            ticketNumber: 'INC-1',
            at: longAgo(),
            schemaVersion: 1,
            type: 'reply',
            by: 'ben',
            body: 'Imported reply',
            data: {},
            imported: { source: 'servicenow', number: 'INC0000045' },
          },
        ],
      });
      return bulkStatus(status);
    },
    allowed: IMPORTERS,
  },
  {
    name: 'write a mail reply from a requester',
    run: (d, w) =>
      http(d, w, 'PUT', `/${PREFIX}activity/${uid('INC-1:r')}`, {
        ticketNumber: 'INC-1',
        at: new Date().toISOString(),
        schemaVersion: 1,
        type: 'reply',
        by: 'person:caller-0001',
        body: 'x',
        data: { channel: 'email' },
      }),
    allowed: ['service', 'server-admin'],
  },
  {
    name: 'add an unverified requester from mail',
    run: (d, w) =>
      http(d, w, 'PUT', `/${PREFIX}directory/${uid('person:mail')}`, {
        type: 'person',
        name: 'From mail',
        email: 'a@b.example',
        unverified: true,
      }),
    allowed: [...MANAGERS, 'service'],
  },
  {
    name: 'edit a directory person',
    run: async (d, w) => {
      const caller = await d.admin.request<Record<string, unknown>>(
        'GET',
        `/${PREFIX}directory/person:caller-0001`,
      );
      return http(d, w, 'PUT', `/${PREFIX}directory/person:caller-0001`, {
        ...caller,
        name: `Renamed ${uid('n')}`,
      });
    },
    allowed: MANAGERS,
  },
  {
    // The Templates page's save: the next version, in the writer's own name.
    name: 'save the next version of a mail template in services',
    run: (d, w) => saveTemplate(d, w, 'reply', 'Re: [{{number}}] {{title}}'),
    allowed: ['admin', 'server-admin'],
  },
  {
    name: 'save a mail template with an unknown placeholder',
    run: (d, w) => saveTemplate(d, w, 'resolved', 'Done: [{{number}}] {{ticketTitle}}'),
    allowed: SERVER_ADMIN,
  },
  {
    // What desk services publish for the Staff page (admins cannot read _users).
    name: 'read the published staff accounts',
    run: (d, w) => http(d, w, 'GET', `/${PREFIX}services/staff-accounts`),
    allowed: ['admin', 'service', 'server-admin'],
  },
  {
    name: 'queue outbound mail in services',
    run: (d, w) => http(d, w, 'PUT', `/${PREFIX}services/${uid('out:x')}`, { state: 'queued' }),
    allowed: ['service', 'server-admin'],
  },
  {
    name: 'write reference data',
    run: (d, w) =>
      http(d, w, 'PUT', `/${PREFIX}directory/${uid('group:x')}`, { type: 'group', name: 'X' }),
    allowed: MANAGERS,
  },
  {
    name: 'create a database',
    run: (d, w) => http(d, w, 'PUT', `/${uid('rogue')}`),
    allowed: SERVER_ADMIN,
  },
  { name: '_all_dbs', run: (d, w) => http(d, w, 'GET', '/_all_dbs'), allowed: SERVER_ADMIN },
  { name: '_config', run: (d, w) => http(d, w, 'GET', '/_config'), allowed: SERVER_ADMIN },
  {
    name: 'list _users',
    run: (d, w) => http(d, w, 'GET', '/_users/_all_docs'),
    allowed: SERVER_ADMIN,
  },
  {
    name: 'read another user’s _users doc',
    run: (d, w) => http(d, w, 'GET', '/_users/org.couchdb.user:ben'),
    allowed: SERVER_ADMIN,
  },
];

export async function roleMatrix(o: ScenarioOptions): Promise<ScenarioResult> {
  const desk = await startTestDesk({ tickets: 20 });
  // An agent whose password an admin reset (what desk services writes on the Staff page).
  await desk.admin.request('PUT', `/_users/org.couchdb.user:${RESET.name}`, {
    name: RESET.name,
    type: 'user',
    roles: ['agent'],
    password: RESET.temporary,
    mustChangePassword: true,
  });
  // The account list desk services' staff worker publishes (none run here).
  await desk.admin.request('PUT', `/${PREFIX}services/staff-accounts`, {
    accounts: [
      {
        name: 'alice',
        fullName: 'Alice',
        roles: ['agent'],
        disabled: false,
        mustChangePassword: false,
      },
    ],
    at: new Date().toISOString(),
  });
  const problems: string[] = [];
  let cells = 0;
  try {
    for (const op of OPS)
      for (const who of WHO) {
        cells += 1;
        const status = await op.run(desk, who);
        const ok = status >= 200 && status < 300;
        const should = op.allowed.includes(who);
        // "delete a database that does not exist" / "_security write": for the server admin a
        // 404 or success is fine; for everyone else only a refusal (401/403) counts.
        const refused =
          status === 401 ||
          status === 403 ||
          (op.nobody === true && status >= 400 && status < 500 && gatewayRefused.has(status));
        if (should ? !(ok || (op.allowed === SERVER_ADMIN && status === 404)) : !refused)
          problems.push(
            `${who} × ${op.name}: HTTP ${status}, expected ${should ? 'allowed' : 'refused'}`,
          );
      }
  } finally {
    await desk.stop();
  }
  return {
    scenario: 'role-matrix',
    iterations: cells,
    failures: problems.length,
    lost: 0,
    duplicated: 0,
    seeds: [o.seed],
    notes: problems.length > 0 ? problems : [`${OPS.length} operations × ${WHO.length} roles`],
  };
}

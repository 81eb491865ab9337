/**
 * Role × operation matrix against the server as provisioned: anonymous, agent, technician,
 * supervisor and admin (the `admin` role) and the server admin, reading and writing each
 * database and design document, `_all_dbs`, `_config`, `_users`, `_security`. Every cell has an
 * expected outcome; every forbidden cell must be refused.
 */
import { startTestDesk, PREFIX, TEST_ADMIN, type TestDesk } from '../../support/desk-server';
import type { ScenarioOptions, ScenarioResult } from '../types';

type Who = 'anonymous' | 'agent' | 'technician' | 'supervisor' | 'admin' | 'server-admin';
const CREDENTIALS: Record<Exclude<Who, 'anonymous'>, [string, string]> = {
  agent: ['alice', 'switchboard'],
  technician: ['tara', 'switchboard'],
  supervisor: ['sam', 'switchboard'],
  admin: ['ada', 'switchboard'],
  'server-admin': [TEST_ADMIN.user, TEST_ADMIN.password],
};
const WHO: readonly Who[] = [
  'anonymous',
  'agent',
  'technician',
  'supervisor',
  'admin',
  'server-admin',
];

type Op = {
  readonly name: string;
  readonly run: (desk: TestDesk, who: Who) => Promise<number>;
  /** Who may do it; everyone else must be refused (4xx). */
  readonly allowed: readonly Who[];
};

async function http(desk: TestDesk, who: Who, method: string, path: string, body?: unknown) {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: 'application/json',
  };
  if (who !== 'anonymous') {
    const [u, p] = CREDENTIALS[who];
    headers.authorization = 'Basic ' + Buffer.from(`${u}:${p}`).toString('base64');
  }
  const res = await fetch(desk.url + path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  await res.arrayBuffer();
  return res.status;
}

const STAFF: readonly Who[] = ['agent', 'technician', 'supervisor', 'admin', 'server-admin'];
const MANAGERS: readonly Who[] = ['supervisor', 'admin', 'server-admin'];
const SERVER_ADMIN: readonly Who[] = ['server-admin'];
let n = 0;
const uid = (p: string) => `${p}-${Date.now().toString(36)}-${(n++).toString(36)}`;

const OPS: readonly Op[] = [
  ...(['tickets', 'activity', 'directory'] as const).flatMap((db): Op[] => [
    {
      name: `read ${db}`,
      run: (d, w) => http(d, w, 'GET', `/${PREFIX}${db}/_all_docs?limit=1`),
      allowed: STAFF,
    },
    {
      name: `changes ${db}`,
      run: (d, w) => http(d, w, 'GET', `/${PREFIX}${db}/_changes?limit=1`),
      allowed: STAFF,
    },
    {
      name: `write design doc in ${db}`,
      run: (d, w) => http(d, w, 'PUT', `/${PREFIX}${db}/_design/${uid('x')}`, { views: {} }),
      allowed: SERVER_ADMIN,
    },
    {
      name: `read _security of ${db}`,
      run: (d, w) => http(d, w, 'GET', `/${PREFIX}${db}/_security`),
      allowed: STAFF,
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
      name: `delete a database (${db}-scratch)`,
      run: (d, w) => http(d, w, 'DELETE', `/${PREFIX}${db}-scratch`),
      allowed: SERVER_ADMIN,
    },
  ]),
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
        const refused = status === 401 || status === 403;
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

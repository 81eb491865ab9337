/**
 * The forced password change, enforced by the gateway of the real embedded server: an account
 * whose password an admin reset (`mustChangePassword: true`, what desk services writes) may read
 * its own session and `_users` document and set a new password; every other request, Basic or
 * cookie, is refused with 403 `password_change_required`. The write that sets a new password
 * clears the flag (even if the body keeps it); a write without one, or with the temporary
 * password again, is refused. Another reset gates the account again at once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import makeFetchCookie from 'fetch-cookie';
import { PREFIX, startTestDesk, type TestDesk } from '../../support/desk-server';
import { changeOwnPassword, mustChangePassword, signIn } from '../../../renderer/src/data/session';
import type { Fetch } from '../../../renderer/src/data/couch-http';

let desk: TestDesk;
const userPath = (name: string) => `/_users/org.couchdb.user:${name}`;
const basic = (name: string, pw: string) => ({
  authorization: 'Basic ' + Buffer.from(`${name}:${pw}`).toString('base64'),
});

/** What desk services' reset writes: a temporary password and the flag. */
async function reset(name: string, temporary: string): Promise<void> {
  const cur = await desk.admin.tryRequest('GET', userPath(name));
  const doc =
    cur.status === 200
      ? (cur.body as Record<string, unknown>)
      : { _id: `org.couchdb.user:${name}`, name, type: 'user', roles: ['agent'] };
  await desk.admin.request('PUT', userPath(name), {
    ...doc,
    password: temporary,
    mustChangePassword: true,
  });
}

async function call(
  path: string,
  auth: Record<string, string>,
  init: { method?: string; body?: unknown } = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(desk.url + path, {
    method: init.method ?? 'GET',
    headers: { accept: 'application/json', 'content-type': 'application/json', ...auth },
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

/** Requests a flagged account may not make, each with its expected refusal. */
const GATED: readonly { path: string; method?: string; body?: unknown }[] = [
  { path: `/${PREFIX}tickets/_all_docs?limit=1` },
  { path: `/${PREFIX}tickets/_changes?feed=longpoll&timeout=100` },
  { path: `/${PREFIX}activity/_changes?limit=1` },
  { path: `/${PREFIX}directory/person:caller-0001` },
  { path: `/${PREFIX}presence/_all_docs` },
  { path: '/_uuids' },
  { path: `/${PREFIX}tickets` },
  {
    path: `/${PREFIX}directory/_bulk_docs`,
    method: 'POST',
    body: { docs: [{ _id: 'group:gate', type: 'group', name: 'Gate' }] },
  },
  { path: `/${PREFIX}presence/presence:lee`, method: 'PUT', body: { x: 1 } },
  { path: `/${PREFIX}tickets/_local/gate-checkpoint`, method: 'PUT', body: { last_seq: 1 } },
];

beforeAll(async () => {
  desk = await startTestDesk({ tickets: 2 });
});
afterAll(async () => {
  await desk?.stop();
});

describe('forced password change at the gateway', () => {
  it('lets a reset account read its own session and document, and refuses everything else', async () => {
    await reset('lee', 'temporary-1');
    const auth = basic('lee', 'temporary-1');
    const session = await call('/_session', auth);
    expect(session.status).toBe(200);
    expect((session.body.userCtx as { name: string }).name).toBe('lee');
    const own = await call(userPath('lee'), auth);
    expect(own.status).toBe(200);
    expect(own.body.mustChangePassword).toBe(true);
    for (const g of GATED) {
      const r = await call(g.path, auth, g);
      expect({
        path: g.path,
        status: r.status,
        error: r.body.error,
        reason: r.body.reason,
      }).toEqual({
        path: g.path,
        status: 403,
        error: 'forbidden',
        reason: 'password_change_required',
      });
      expect(String(r.body.message)).toMatch(/set a new password/);
    }
    // Other accounts stay other accounts'.
    expect((await call(userPath('alice'), auth)).status).toBe(403);
    // Nothing was written by the refused requests.
    expect((await desk.admin.tryRequest('GET', `/${PREFIX}directory/group:gate`)).status).toBe(404);
    // Staff who were not reset are not affected.
    expect(
      (await call(`/${PREFIX}tickets/_all_docs?limit=1`, basic('alice', 'switchboard'))).status,
    ).toBe(200);
  });

  it('refuses a cookie session of a reset account the same way', async () => {
    await reset('lee', 'temporary-2');
    const res = await fetch(`${desk.url}/_session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'lee', password: 'temporary-2' }),
    });
    expect(res.status).toBe(200);
    const cookie = { cookie: (res.headers.get('set-cookie') ?? '').split(';')[0]! };
    expect((await call('/_session', cookie)).body.userCtx).toMatchObject({ name: 'lee' });
    const r = await call(`/${PREFIX}tickets/_all_docs?limit=1`, cookie);
    expect(r.status).toBe(403);
    expect(r.body.reason).toBe('password_change_required');
  });

  it('clears the flag only with a new password, which then works everywhere', async () => {
    await reset('lee', 'temporary-3');
    const auth = basic('lee', 'temporary-3');
    const own = (await call(userPath('lee'), auth)).body;

    // Clearing the flag without a new password: refused, the flag stays.
    const cleared = await call(userPath('lee'), auth, {
      method: 'PUT',
      body: { ...own, mustChangePassword: false },
    });
    expect(cleared.status).toBe(403);
    expect(cleared.body.reason).toBe('password_change_required');
    // The temporary password again is not a new one.
    const same = await call(userPath('lee'), auth, {
      method: 'PUT',
      body: { ...own, password: 'temporary-3', mustChangePassword: false },
    });
    expect(same.status).toBe(403);
    expect(same.body.reason).toBe('same_password');
    expect(
      (await desk.admin.request<{ mustChangePassword: boolean }>('GET', userPath('lee')))
        .mustChangePassword,
    ).toBe(true);

    // A new password, the body still saying the flag is set: the gateway clears it.
    const changed = await call(userPath('lee'), auth, {
      method: 'PUT',
      body: { ...own, password: 'chosen by lee, 1' },
    });
    expect(changed.status).toBe(201);
    const stored = await desk.admin.request<Record<string, unknown>>('GET', userPath('lee'));
    expect(stored.mustChangePassword).toBe(false);
    expect(stored.roles).toEqual(['agent']);
    const fresh = basic('lee', 'chosen by lee, 1');
    expect((await call(`/${PREFIX}tickets/_all_docs?limit=1`, fresh)).status).toBe(200);
    expect((await call(`/${PREFIX}tickets/_all_docs?limit=1`, auth)).status).toBe(401);

    // Another reset gates the account again at once (no remembered "not flagged").
    await reset('lee', 'temporary-4');
    expect((await call(`/${PREFIX}tickets/_all_docs?limit=1`, fresh)).status).toBe(401);
    const again = await call(`/${PREFIX}tickets/_all_docs?limit=1`, basic('lee', 'temporary-4'));
    expect(again.status).toBe(403);
    expect(again.body.reason).toBe('password_change_required');
  });

  it('the console’s own change (renderer/src/data/session.ts) passes the gate and opens the desk', async () => {
    await reset('lee', 'temporary-5');
    const base = `${desk.url}/`;
    const jar = makeFetchCookie(fetch) as unknown as Fetch;
    await signIn(base, 'lee', 'temporary-5', jar);
    expect(await mustChangePassword(base, 'lee', jar)).toBe(true);
    expect((await jar(`${base}${PREFIX}tickets/_all_docs?limit=1`)).status).toBe(403);
    await changeOwnPassword(base, 'lee', 'chosen by lee, 2', jar);
    expect(await mustChangePassword(base, 'lee', jar)).toBe(false);
    expect((await jar(`${base}${PREFIX}tickets/_all_docs?limit=1`)).status).toBe(200);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestDesk, asUser, PREFIX, type TestDesk } from '../../support/desk-server';
import { provision } from '../../../server/src/provision/provision';
import { DEMO_STAFF } from '../../../server/src/provision/demo-directory';

let desk: TestDesk;

beforeAll(async () => {
  desk = await startTestDesk({ tickets: 50 });
});
afterAll(async () => {
  await desk.stop();
});

async function raw(
  method: string,
  path: string,
  init: { body?: unknown; headers?: Record<string, string> } = {},
) {
  const res = await fetch(desk.url + path, {
    method,
    headers: { 'content-type': 'application/json', ...init.headers },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('embedded server', () => {
  it('refuses anonymous reads and writes', async () => {
    expect((await raw('GET', `/${PREFIX}tickets/_all_docs`)).status).toBe(401);
    expect((await raw('PUT', `/${PREFIX}tickets/x`, { body: { title: 'x' } })).status).toBe(401);
    expect((await raw('GET', '/_all_dbs')).status).toBe(401);
    expect((await raw('PUT', '/newdb')).status).toBe(401);
  });

  it('refuses bogus credentials and cookies like anonymous', async () => {
    const r = await raw('GET', `/${PREFIX}tickets`, { headers: { cookie: 'AuthSession=forged' } });
    expect(r.status).toBe(401);
    const b = await raw('GET', `/${PREFIX}tickets`, {
      headers: { authorization: 'Basic ' + btoa('alice:wrong') },
    });
    expect(b.status).toBe(401);
  });

  it('lets staff read the desk and signs them in with a cookie session', async () => {
    const alice = asUser(desk, 'alice');
    const info = await alice.request<{ doc_count: number }>('GET', `/${PREFIX}tickets`);
    expect(info.doc_count).toBeGreaterThanOrEqual(50);
    const res = await fetch(`${desk.url}/_session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'alice', password: 'switchboard' }),
    });
    expect(res.status).toBe(200);
    const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    expect(cookie).toMatch(/^AuthSession=/);
    const viaCookie = await raw('GET', `/${PREFIX}tickets`, { headers: { cookie } });
    expect(viaCookie.status).toBe(200);
  });

  it('keeps server administration for server admins', async () => {
    const alice = asUser(desk, 'alice');
    for (const [method, path] of [
      ['GET', '/_all_dbs'],
      ['GET', '/_config'],
      ['PUT', '/anotherdb'],
      ['DELETE', `/${PREFIX}tickets`],
      ['PUT', `/${PREFIX}tickets/_security`],
      ['PUT', `/${PREFIX}tickets/_design/evil`],
      ['GET', '/_users/_all_docs'],
    ] as const) {
      const r = await alice.tryRequest(method, path, method === 'PUT' ? {} : undefined);
      expect(r.status, `${method} ${path}`).toBeGreaterThanOrEqual(401);
      expect(r.status, `${method} ${path}`).toBeLessThan(404);
    }
  });

  it('answers a request that would crash PouchDB Server with 400, and stays up', async () => {
    const alice = asUser(desk, 'alice');
    const r = await alice.tryRequest('POST', `/${PREFIX}tickets/_changes?filter=_selector`, {
      selector: { state: 'new' },
    });
    expect(r.status).toBe(400);
    expect(JSON.stringify(r.body)).toMatch(
      /not supported by the embedded server here; use .*switchboard\/assigned/,
    );
    expect((await alice.tryRequest('GET', `/${PREFIX}tickets`)).status).toBe(200);
  });

  it('restarts the engine after it dies and keeps the data', async () => {
    const pid = desk.server.enginePid();
    expect(pid).toBeTypeOf('number');
    process.kill(pid!, 'SIGKILL');
    const alice = asUser(desk, 'alice');
    const deadline = Date.now() + 20_000;
    let status = 0;
    while (Date.now() < deadline) {
      status = (await alice.tryRequest('GET', `/${PREFIX}tickets`)).status;
      if (status === 200) break;
      expect([503]).toContain(status);
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(status).toBe(200);
    expect(desk.server.engineRestarts()).toBeGreaterThanOrEqual(1);
    expect(desk.server.enginePid()).not.toBe(pid);
  });

  it('provisions idempotently', async () => {
    const again = await provision(desk.admin, PREFIX, DEMO_STAFF);
    expect(again.created).toEqual([]);
    expect(again.updated).toEqual([]);
  });

  it('enforces the shared rules in validate_doc_update', async () => {
    const alice = asUser(desk, 'alice');
    const bad = await alice.tryRequest('PUT', `/${PREFIX}tickets/INC-BOGUS`, {
      kind: 'incident',
      title: '',
    });
    expect(bad.status).toBe(403);
    expect(JSON.stringify(bad.body)).toMatch(/forbidden/);
  });

  it('lets each person write only their own presence, and refuses anonymous reads of it', async () => {
    const alice = asUser(desk, 'alice');
    const at = new Date().toISOString();
    const own = await alice.tryRequest('PUT', `/${PREFIX}presence/presence:alice`, {
      user: 'alice',
      ticketNumber: 'INC-1',
      editing: false,
      at,
    });
    expect(own.status).toBe(201);
    const other = await alice.tryRequest('PUT', `/${PREFIX}presence/presence:ben`, {
      user: 'ben',
      ticketNumber: 'INC-1',
      editing: true,
      at,
    });
    expect(other.status).toBe(403);
    const spoof = await alice.tryRequest('PUT', `/${PREFIX}presence/presence:alice-2`, {
      user: 'alice',
      ticketNumber: null,
      editing: false,
      at,
    });
    expect(spoof.status).toBe(403);
    const malformed = await alice.tryRequest('PUT', `/${PREFIX}presence/presence:ben-x`, {});
    expect(malformed.status).toBe(403);
    expect((await raw('GET', `/${PREFIX}presence/_all_docs`)).status).toBe(401);
    const ben = asUser(desk, 'ben');
    const seen = await ben.request<{ user: string }>('GET', `/${PREFIX}presence/presence:alice`);
    expect(seen.user).toBe('alice');
  });

  it('keeps cookie sessions alive across requests and engine restarts', async () => {
    const login = await fetch(`${desk.url}/_session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'alice', password: 'switchboard' }),
    });
    const issued = login.headers.get('set-cookie') ?? '';
    const cookie = issued.split(';')[0]!;
    expect(cookie).toMatch(/^AuthSession=./);
    const again = await fetch(`${desk.url}/${PREFIX}tickets`, { headers: { cookie } });
    expect(again.status).toBe(200);
    // No cookie may expire within seconds: express-pouchdb 4.2 gives persistent cookies a
    // Max-Age in milliseconds (3 s for an hour), so the server issues browser-session cookies
    // (no Max-Age, no Expires; the server enforces the timeout), on sign-in and on refresh.
    const refreshed = again.headers.get('set-cookie') ?? '';
    for (const c of [issued, refreshed]) expect(c).not.toMatch(/Max-Age|Expires/i);
    process.kill(desk.server.enginePid()!, 'SIGKILL');
    await expect
      .poll(
        async () => (await fetch(`${desk.url}/${PREFIX}tickets`, { headers: { cookie } })).status,
        { timeout: 20_000, interval: 250 },
      )
      .toBe(200);
  });
});

/**
 * Regression tests for the attacks of issue 21, each as an ordinary agent (alice) or an
 * anonymous local process would make it against the provisioned server, with the server's state
 * read back as the server admin afterwards. Rules are CouchDB 3's documented ones: a member may
 * change only their own `_users` password and non-reserved fields; only admins set roles, create
 * users, write `_security` or design documents.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { statSync } from 'node:fs';
import { pbkdf2Sync } from 'node:crypto';
import { request } from 'node:http';
import { startTestDesk, PREFIX, TEST_ADMIN, type TestDesk } from '../../support/desk-server';
import { basic, raw, type RawRequest } from '../../support/raw-http';

let desk: TestDesk;
beforeAll(async () => {
  desk = await startTestDesk({ tickets: 5 });
});
afterAll(async () => {
  await desk?.stop();
});

const ALICE = basic('alice', 'switchboard');
const as = (auth: string | null, r: RawRequest) =>
  raw(desk.url, {
    ...r,
    headers: {
      'content-type': 'application/json',
      ...(auth ? { authorization: auth } : {}),
      ...r.headers,
    },
  });
const json = (v: unknown) => JSON.stringify(v);
const ok = (s: number) => s >= 200 && s < 300;

describe('an agent cannot take over the desk', () => {
  it('cannot raise their own roles (CouchDB 3: only admins set roles)', async () => {
    const own = await desk.admin.request<Record<string, unknown>>(
      'GET',
      '/_users/org.couchdb.user:alice',
    );
    const r = await as(ALICE, {
      method: 'PUT',
      path: '/_users/org.couchdb.user:alice',
      body: json({ ...own, roles: ['supervisor', 'admin'] }),
    });
    expect(r.status).toBe(403);
    const after = await desk.admin.request<{ roles: string[] }>(
      'GET',
      '/_users/org.couchdb.user:alice',
    );
    expect(after.roles).toEqual(own.roles);
  });

  it('cannot set reserved fields (password hash, salt, iterations) on their own document', async () => {
    const own = await desk.admin.request<Record<string, unknown>>(
      'GET',
      '/_users/org.couchdb.user:alice',
    );
    const r = await as(ALICE, {
      method: 'PUT',
      path: '/_users/org.couchdb.user:alice',
      body: json({ ...own, iterations: 1, salt: 'x', derived_key: 'y' }),
    });
    expect(r.status).toBe(403);
  });

  it('cannot create accounts, with or without roles', async () => {
    for (const roles of [[], ['admin']]) {
      const r = await as(ALICE, {
        method: 'PUT',
        path: '/_users/org.couchdb.user:mallory',
        body: json({ name: 'mallory', type: 'user', roles, password: 'x' }),
      });
      expect(r.status).toBe(403);
    }
    const anon = await as(null, {
      method: 'PUT',
      path: '/_users/org.couchdb.user:mallory',
      body: json({ name: 'mallory', type: 'user', roles: [], password: 'x' }),
    });
    expect(anon.status).toBe(401);
    const r = await desk.admin.tryRequest('GET', '/_users/org.couchdb.user:mallory');
    expect(r.status).toBe(404);
  });

  it('can still change their own password and non-reserved fields', async () => {
    const own = await desk.admin.request<Record<string, unknown>>(
      'GET',
      '/_users/org.couchdb.user:ben',
    );
    const r = await as(basic('ben', 'switchboard'), {
      method: 'PUT',
      path: '/_users/org.couchdb.user:ben',
      body: json({ ...own, password: 'new-password', displayName: 'Ben' }),
    });
    expect(r.status).toBe(201);
    const back = await as(basic('ben', 'new-password'), { method: 'GET', path: '/_session' });
    expect(JSON.parse(back.text)).toMatchObject({ userCtx: { name: 'ben' } });
    const now = await desk.admin.request<Record<string, unknown>>(
      'GET',
      '/_users/org.couchdb.user:ben',
    );
    await desk.admin.request('PUT', '/_users/org.couchdb.user:ben', {
      ...now,
      password: 'switchboard',
    });
  });

  it.each(['tickets', 'activity', 'directory', 'presence', 'attachments'])(
    'cannot add or delete mango indexes (design documents) in %s',
    async (db) => {
      const before = await desk.admin.request<{ rows: unknown[] }>(
        'GET',
        `/${PREFIX}${db}/_all_docs?startkey=%22_design%2F%22&endkey=%22_design0%22`,
      );
      const add = await as(ALICE, {
        method: 'POST',
        path: `/${PREFIX}${db}/_index`,
        body: json({ index: { fields: ['x'] }, ddoc: 'evil', name: 'evil' }),
      });
      expect(ok(add.status)).toBe(false);
      const del = await as(ALICE, {
        method: 'DELETE',
        path: `/${PREFIX}${db}/_index/_design/switchboard/json/x`,
      });
      expect(ok(del.status)).toBe(false);
      const after = await desk.admin.request<{ rows: unknown[] }>(
        'GET',
        `/${PREFIX}${db}/_all_docs?startkey=%22_design%2F%22&endkey=%22_design0%22`,
      );
      expect(after.rows).toEqual(before.rows);
      const design = await desk.admin.request<{ validate_doc_update?: string }>(
        'GET',
        `/${PREFIX}${db}/_design/switchboard`,
      );
      expect(design.validate_doc_update).toMatch(/switchboardRules/);
    },
  );

  it('cannot rewrite _security through _local/_security, or write design docs in a bulk', async () => {
    const before = await desk.admin.request('GET', `/${PREFIX}tickets/_security`);
    const r = await as(ALICE, {
      method: 'PUT',
      path: `/${PREFIX}tickets/_local/_security`,
      body: json({ admins: { names: ['alice'] }, members: { names: ['alice'] } }),
    });
    expect(r.status).toBe(403);
    expect(await desk.admin.request('GET', `/${PREFIX}tickets/_security`)).toEqual(before);
    const bulk = await as(ALICE, {
      method: 'POST',
      path: `/${PREFIX}tickets/_bulk_docs`,
      body: json({ docs: [{ _id: '_design/evil', validate_doc_update: 'function(){}' }] }),
    });
    expect(ok(bulk.status) && !bulk.text.includes('forbidden')).toBe(false);
    const bulkLocal = await as(ALICE, {
      method: 'POST',
      path: `/${PREFIX}tickets/_bulk_docs`,
      body: json({ docs: [{ _id: '_local/_security', admins: { names: ['alice'] } }] }),
    });
    expect(ok(bulkLocal.status) && !bulkLocal.text.includes('forbidden')).toBe(false);
    expect(await desk.admin.request('GET', `/${PREFIX}tickets/_security`)).toEqual(before);
    expect((await desk.admin.tryRequest('GET', `/${PREFIX}tickets/_design/evil`)).status).toBe(404);
  });
});

describe('the front door takes only canonical, known requests', () => {
  it.each([
    '//_all_dbs',
    '//_users/_all_docs',
    '/%2e%2e/_all_dbs',
    `/${PREFIX}tickets/..%2f_all_dbs`,
    `/${PREFIX}tickets/./_all_docs`,
    `/${PREFIX}tickets%2F_all_docs`,
    `/${PREFIX}tickets//_all_docs`,
    `/${PREFIX}tickets/_design%2Fswitchboard`,
  ])('refuses the non-canonical path %s with 400, as anyone', async (path) => {
    for (const auth of [null, ALICE]) {
      const r = await as(auth, { method: 'GET', path });
      expect(r.status, `${path} ${auth ? 'alice' : 'anonymous'}`).toBe(400);
      expect(r.headers['x-switchboard-gateway']).toBe('refused');
    }
  });

  it.each([
    ['GET', `/${PREFIX}tickets/_explain`],
    ['POST', `/${PREFIX}tickets/_find`],
    ['GET', `/${PREFIX}tickets/_index`],
    ['POST', `/${PREFIX}tickets/_temp_view`],
    ['GET', `/${PREFIX}tickets/_design/switchboard/_show/x`],
    ['GET', `/${PREFIX}tickets/_design/switchboard/_list/x/y`],
    ['POST', `/${PREFIX}tickets/_design/switchboard/_update/x`],
    ['GET', `/${PREFIX}tickets/_design/switchboard/_rewrite/x`],
    ['GET', '/_active_tasks'],
    ['GET', '/_db_updates'],
    ['GET', '/_stats'],
    ['GET', `/${PREFIX}tickets/_all_docs?frobnicate=1`],
  ])('refuses %s %s in the gateway (never the engine)', async (method, path) => {
    const r = await as(ALICE, { method, path, ...(method === 'POST' ? { body: '{}' } : {}) });
    expect(r.status).toBeGreaterThanOrEqual(400);
    expect(r.status).toBeLessThan(500);
    expect(r.headers['x-switchboard-gateway']).toBe('refused');
  });
});

describe('no request brings the engine down or makes it work without bound', () => {
  it('refuses the requests that crashed or froze the engine, which stays up', async () => {
    const restarts = desk.server.engineRestarts();
    const pid = desk.server.enginePid();
    for (const path of [
      `/${PREFIX}tickets/_changes?filter=_doc_ids`,
      `/${PREFIX}tickets/_changes?filter=_view`,
      `/${PREFIX}tickets/_changes?filter=_view&view=missing/x`,
      `/${PREFIX}tickets/_changes?filter=switchboard/workorders`,
      `/${PREFIX}tickets/_changes?filter=switchboard/assigned`,
      `/${PREFIX}activity/_changes?filter=switchboard/assigned&assignee=tara`,
      `/${PREFIX}tickets/_design/missing/_view/x`,
      `/${PREFIX}tickets/_design/switchboard/_view/missing`,
      `/${PREFIX}directory/_design/switchboard/_view/by_ci`,
    ]) {
      const r = await as(ALICE, { method: 'GET', path, deadlineMs: 20_000 });
      expect(r.status, path).toBe(400);
    }
    const regex = await as(ALICE, {
      method: 'POST',
      path: `/${PREFIX}tickets/_find`,
      body: json({ selector: { title: { $regex: '^(a+)+$' } } }),
    });
    expect(ok(regex.status)).toBe(false);
    const keys = Array.from({ length: 20_000 }, (_, i) => `k${i}`);
    const many = await as(ALICE, {
      method: 'POST',
      path: `/${PREFIX}tickets/_all_docs`,
      body: json({ keys }),
    });
    expect(many.status).toBe(400);
    const limit = await as(ALICE, {
      method: 'GET',
      path: `/${PREFIX}tickets/_all_docs?limit=100000000`,
    });
    expect(limit.status).toBe(400);
    expect((await as(ALICE, { method: 'GET', path: `/${PREFIX}tickets` })).status).toBe(200);
    expect(desk.server.engineRestarts()).toBe(restarts);
    expect(desk.server.enginePid()).toBe(pid);
  });

  it('holds the body limit for chunked bodies, and documents are at most 8 MB', async () => {
    const big = json({ _id: 'x', blob: 'a'.repeat(9 * 1024 * 1024) });
    const chunked = await as(ALICE, {
      method: 'PUT',
      path: `/${PREFIX}tickets/_local/bigone`,
      body: big,
      chunked: true,
    });
    expect(chunked.status).toBe(413);
    const session = await as(null, {
      method: 'POST',
      path: '/_session',
      body: json({ name: 'alice', password: 'a'.repeat(1024 * 1024) }),
      chunked: true,
    });
    expect(session.status).toBe(413);
    const doc = await as(ALICE, {
      method: 'PUT',
      path: `/${PREFIX}activity/big`,
      body: big,
    });
    expect(doc.status).toBe(413);
    expect((await desk.admin.tryRequest('GET', `/${PREFIX}tickets/_local/bigone`)).status).toBe(
      404,
    );
  });

  it('never names the engine in a Location (or any other) header', async () => {
    const r = await as(ALICE, {
      method: 'PUT',
      path: `/${PREFIX}presence/presence:alice`,
      body: json({
        user: 'alice',
        ticketNumber: null,
        editing: false,
        at: new Date().toISOString(),
      }),
    });
    expect(r.status).toBe(201);
    expect(r.headers.location).toBeUndefined();
    expect(JSON.stringify(r.headers)).not.toMatch(/127\.0\.0\.1:\d+|localhost:\d+/);
  });

  it('answers a long-poll by its timeout even when nothing changes', async () => {
    const info = await desk.admin.request<{ update_seq: number | string }>(
      'GET',
      `/${PREFIX}directory`,
    );
    const since = encodeURIComponent(String(info.update_seq));
    const r = await as(ALICE, {
      method: 'GET',
      path: `/${PREFIX}directory/_changes?feed=longpoll&timeout=300&since=${since}`,
      deadlineMs: 20_000,
    });
    expect(r.timedOut).toBe(false);
    expect(r.status).toBe(200);
    expect(JSON.parse(r.text)).toMatchObject({ results: [] });
  });

  it('refuses feed=continuous and feed=eventsource, naming the feeds it serves', async () => {
    const pid = desk.server.enginePid();
    for (const feed of ['continuous', 'eventsource']) {
      for (const method of ['GET', 'POST']) {
        const r = await as(ALICE, {
          method,
          path: `/${PREFIX}tickets/_changes?feed=${feed}&since=0`,
          ...(method === 'POST' ? { body: json({ doc_ids: ['x'] }) } : {}),
          deadlineMs: 20_000,
        });
        expect(r.timedOut).toBe(false);
        expect(r.status).toBe(400);
        expect(r.headers['x-switchboard-gateway']).toBe('refused');
        const reason = (JSON.parse(r.text) as { reason: string }).reason;
        expect(reason).toContain(`feed=${feed}`);
        expect(reason).toMatch(/normal/);
        expect(reason).toMatch(/longpoll/);
      }
    }
    expect(desk.server.enginePid()).toBe(pid);
  });

  it('caps concurrent long-polls per user, and the desk keeps answering', async () => {
    const info = await desk.admin.request<{ update_seq: number | string }>(
      'GET',
      `/${PREFIX}directory`,
    );
    const since = encodeURIComponent(String(info.update_seq));
    const polls = Array.from({ length: 40 }, () =>
      as(ALICE, {
        method: 'GET',
        path: `/${PREFIX}directory/_changes?feed=longpoll&timeout=4000&since=${since}`,
        deadlineMs: 30_000,
      }),
    );
    const answers = await Promise.all(polls);
    expect(answers.some((a) => a.status === 429)).toBe(true);
    expect(answers.every((a) => a.status === 200 || a.status === 429)).toBe(true);
    const read = await as(basic('ben', 'switchboard'), {
      method: 'GET',
      path: `/${PREFIX}tickets/_all_docs?limit=1`,
      deadlineMs: 20_000,
    });
    expect(read.status).toBe(200);
  });

  it('keeps the engine on an owner-only Unix socket', () => {
    const socket = desk.server.engineSocket();
    expect(socket).toBeTypeOf('string');
    const mode = statSync(socket!).mode;
    expect(mode & 0o077).toBe(0);
  });
});

describe('attachments live only in the attachments database and are served inertly', () => {
  it('refuses an HTML attachment on an activity entry and in the attachments database', async () => {
    const id = `INC-1:xss-${Date.now()}`;
    const put = await as(ALICE, {
      method: 'PUT',
      path: `/${PREFIX}activity/${encodeURIComponent(id)}/evil.html`,
      headers: { 'content-type': 'text/html' },
      body: '<script>alert(1)</script>',
    });
    expect(ok(put.status)).toBe(false);
    const inline = await as(ALICE, {
      method: 'POST',
      path: `/${PREFIX}tickets/_bulk_docs`,
      body: json({
        docs: [
          {
            _id: 'INC-XSS',
            _attachments: { 'x.html': { content_type: 'text/html', data: btoa('<script>') } },
          },
        ],
      }),
    });
    expect(ok(inline.status) && !inline.text.includes('forbidden')).toBe(false);
    const meta = await as(ALICE, {
      method: 'PUT',
      path: `/${PREFIX}attachments/file-html-1`,
      body: json({
        ticketNumber: 'WO-1',
        name: 'a.pdf',
        type: 'application/pdf',
        size: 10,
        by: 'alice',
        at: new Date().toISOString(),
      }),
    });
    expect(meta.status).toBe(201);
    const rev = (JSON.parse(meta.text) as { rev: string }).rev;
    const html = await as(ALICE, {
      method: 'PUT',
      path: `/${PREFIX}attachments/file-html-1/data?rev=${rev}`,
      headers: { 'content-type': 'text/html' },
      body: '<script>alert(1)</script>',
    });
    expect(ok(html.status)).toBe(false);
    const other = await as(ALICE, {
      method: 'PUT',
      path: `/${PREFIX}attachments/file-html-1/other?rev=${rev}`,
      headers: { 'content-type': 'application/pdf' },
      body: '%PDF-1.4',
    });
    expect(ok(other.status)).toBe(false);
    const pdf = await as(ALICE, {
      method: 'PUT',
      path: `/${PREFIX}attachments/file-html-1/data?rev=${rev}`,
      headers: { 'content-type': 'application/pdf' },
      body: '%PDF-1.4\n%',
    });
    expect(pdf.status).toBe(201);
    const got = await as(basic('ben', 'switchboard'), {
      method: 'GET',
      path: `/${PREFIX}attachments/file-html-1/data`,
    });
    expect(got.status).toBe(200);
    expect(got.headers['content-security-policy']).toMatch(/sandbox/);
    expect(got.headers['x-content-type-options']).toBe('nosniff');
    expect(got.headers['content-disposition']).toMatch(/^attachment/);
  });

  it('never hands the engine a multipart upload (which left temporary files behind)', async () => {
    const boundary = 'sbx';
    const body =
      `--${boundary}\r\ncontent-type: application/json\r\n\r\n` +
      JSON.stringify({
        _attachments: { 'a.html': { follows: true, content_type: 'text/html', length: 8 } },
      }) +
      `\r\n--${boundary}\r\n\r\n<script>\r\n--${boundary}--`;
    const pid = desk.server.enginePid();
    for (const db of ['tickets', 'activity', 'attachments']) {
      for (const chunked of [false, true]) {
        const r = await as(ALICE, {
          method: 'PUT',
          path: `/${PREFIX}${db}/multipart-1`,
          headers: { 'content-type': `multipart/related; boundary=${boundary}` },
          body,
          chunked,
        });
        // A clear "unsupported media type" from the gateway, not the engine's parse.
        expect(r.status).toBe(415);
        expect(r.headers['x-switchboard-gateway']).toBe('refused');
        expect(JSON.parse(r.text)).toMatchObject({
          error: 'unsupported_media_type',
          reason: expect.stringMatching(/application\/json/) as unknown,
        });
      }
      const stored = await desk.admin.tryRequest('GET', `/${PREFIX}${db}/multipart-1`);
      expect(stored.status).toBe(404);
    }
    expect(desk.server.enginePid()).toBe(pid);
  });

  it('lets only the owner add the file to an attachment document', async () => {
    const meta = await as(ALICE, {
      method: 'PUT',
      path: `/${PREFIX}attachments/file-owned-1`,
      body: json({
        ticketNumber: 'WO-1',
        name: 'a.png',
        type: 'image/png',
        size: 4,
        by: 'alice',
        at: new Date().toISOString(),
      }),
    });
    const rev = (JSON.parse(meta.text) as { rev: string }).rev;
    const theirs = await as(basic('ben', 'switchboard'), {
      method: 'PUT',
      path: `/${PREFIX}attachments/file-owned-1/data?rev=${rev}`,
      headers: { 'content-type': 'image/png' },
      body: 'abcd',
    });
    expect(ok(theirs.status)).toBe(false);
  });
});

describe('sessions', () => {
  it('sets SameSite on the session cookie', async () => {
    const r = await as(null, {
      method: 'POST',
      path: '/_session',
      body: json({ name: 'alice', password: 'switchboard' }),
    });
    expect(r.status).toBe(200);
    expect(String(r.headers['set-cookie'])).toMatch(/SameSite=(Strict|Lax)/i);
  });
});

describe('sign-in throttling and sessions', () => {
  it('slows repeated wrong passwords for an account, then refuses even the right one for a while', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) {
      const r = await as(null, {
        method: 'POST',
        path: '/_session',
        body: json({ name: 'sam', password: `wrong-${i}` }),
      });
      statuses.push(r.status);
    }
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses).toContain(429);
    const right = await as(null, {
      method: 'POST',
      path: '/_session',
      body: json({ name: 'sam', password: 'switchboard' }),
    });
    expect(right.status).toBe(429);
    expect(Number(right.headers['retry-after'])).toBeGreaterThan(0);
    // Other accounts are not locked by it.
    const other = await as(null, {
      method: 'POST',
      path: '/_session',
      body: json({ name: 'alice', password: 'switchboard' }),
    });
    expect(other.status).toBe(200);
  });

  it('an anonymous DELETE /_session ends nobody else’s session', async () => {
    const login = await as(null, {
      method: 'POST',
      path: '/_session',
      body: json({ name: 'alice', password: 'switchboard' }),
    });
    const cookie = String(login.headers['set-cookie']).split(';')[0]!;
    expect((await as(null, { method: 'DELETE', path: '/_session' })).status).toBe(200);
    const after = await as(null, {
      method: 'GET',
      path: `/${PREFIX}tickets`,
      headers: { cookie },
    });
    expect(after.status).toBe(200);
  });
});

describe('watchdog', () => {
  it('restarts an engine that stops answering (SIGSTOP), not only one that exits', async () => {
    const stalled = await startTestDesk({ stallMs: 3_000 });
    try {
      const pid = stalled.server.enginePid()!;
      process.kill(pid, 'SIGSTOP');
      let status = 0;
      const deadline = Date.now() + 45_000;
      while (Date.now() < deadline) {
        const r = await raw(stalled.url, {
          method: 'GET',
          path: `/${PREFIX}tickets`,
          headers: { authorization: ALICE },
          deadlineMs: 5_000,
        });
        status = r.status;
        if (status === 200 && stalled.server.enginePid() !== pid) break;
        await new Promise((ok) => setTimeout(ok, 250));
      }
      expect(status).toBe(200);
      expect(stalled.server.engineRestarts()).toBeGreaterThanOrEqual(1);
      expect(stalled.server.enginePid()).not.toBe(pid);
    } finally {
      await stalled.stop();
    }
  }, 90_000);
});

describe('password hashing', () => {
  const sha1Hash = (doc: Record<string, unknown>, password: string) =>
    pbkdf2Sync(password, String(doc.salt), Number(doc.iterations), 20, 'sha1').toString('hex');

  it('never lets the engine store a hash of the password itself', async () => {
    const doc = await desk.admin.request<Record<string, unknown>>(
      'GET',
      '/_users/org.couchdb.user:alice',
    );
    expect(doc.derived_key).toBeTypeOf('string');
    expect(sha1Hash(doc, 'switchboard')).not.toBe(doc.derived_key);
    const r = await as(null, {
      method: 'POST',
      path: '/_session',
      body: json({ name: 'alice', password: 'switchboard' }),
    });
    expect(r.status).toBe(200);
  });

  it('upgrades an account from before at its next sign-in', async () => {
    // Written straight to the engine, as the server did before the gateway derived passwords.
    const legacy = { _id: 'org.couchdb.user:olda', name: 'olda', type: 'user', roles: ['agent'] };
    await new Promise<void>((resolve, reject) => {
      const body = JSON.stringify({ ...legacy, password: 'old-secret' });
      const req = request(
        {
          socketPath: desk.server.engineSocket()!,
          method: 'PUT',
          path: '/_users/org.couchdb.user%3Aolda',
          headers: {
            authorization: basic(TEST_ADMIN.user, TEST_ADMIN.password),
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
          },
        },
        (res) => {
          res.resume();
          res.on('end', () =>
            res.statusCode === 201 ? resolve() : reject(new Error(String(res.statusCode))),
          );
        },
      );
      req.on('error', reject);
      req.end(body);
    });
    const before = await desk.admin.request<Record<string, unknown>>(
      'GET',
      '/_users/org.couchdb.user:olda',
    );
    expect(sha1Hash(before, 'old-secret')).toBe(before.derived_key);
    const signIn = await as(null, {
      method: 'POST',
      path: '/_session',
      body: json({ name: 'olda', password: 'old-secret' }),
    });
    expect(signIn.status).toBe(200);
    const after = await desk.admin.request<Record<string, unknown>>(
      'GET',
      '/_users/org.couchdb.user:olda',
    );
    expect(sha1Hash(after, 'old-secret')).not.toBe(after.derived_key);
    const again = await as(basic('olda', 'old-secret'), {
      method: 'GET',
      path: `/${PREFIX}tickets`,
    });
    expect(again.status).toBe(200);
  });
});

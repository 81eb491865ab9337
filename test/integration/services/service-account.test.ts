/**
 * The service account has exactly the rights mail needs (validate_doc_update on the real
 * server), and staff cannot touch the services database.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asUser, startTestDesk, PREFIX, type TestDesk } from '../../support/desk-server';
import { createTicket, newTicketNumber, type Ticket } from '../../../shared/domain';
import { DEMO_SERVICE_PASSWORD } from '../../../server/src/services/config';
import type { CouchAdmin } from '../../../server/src/provision/couch-admin';

describe('the desk services account', () => {
  let desk: TestDesk;
  let svc: CouchAdmin;
  let existing: Ticket & { _id: string; _rev: string };

  const incident = (actor: string, kind: 'incident' | 'request' = 'incident') => {
    const r = createTicket(
      {
        kind,
        title: 'From mail',
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
        number: newTicketNumber(kind, {
          now: Date.now(),
          deviceId: 'svc-test',
          random: Math.random,
        }),
      },
    );
    if (!r.ok) throw new Error(r.errors.join());
    const { number, ...rest } = r.value;
    return { _id: number, ...rest };
  };

  beforeAll(async () => {
    desk = await startTestDesk({ tickets: 5 });
    svc = asUser(desk, 'desk-services', DEMO_SERVICE_PASSWORD);
    const all = await desk.admin.request<{
      rows: { doc: Ticket & { _id: string; _rev: string } }[];
    }>('GET', `/${PREFIX}tickets/_all_docs?include_docs=true&startkey="INC-"&endkey="INC-\ufff0"`);
    existing = all.rows[0]!.doc;
  });
  afterAll(() => desk?.stop());

  it('creates incidents as itself, and nothing else', async () => {
    const t = incident('desk-services');
    expect((await svc.tryRequest('PUT', `/${PREFIX}tickets/${t._id}`, t)).status).toBe(201);
    const r = incident('desk-services', 'request');
    expect((await svc.tryRequest('PUT', `/${PREFIX}tickets/${r._id}`, r)).status).toBe(403);
    const other = incident('alice');
    expect((await svc.tryRequest('PUT', `/${PREFIX}tickets/${other._id}`, other)).status).toBe(403);
  });

  it('cannot edit tickets beyond reopening them', async () => {
    const edited = {
      ...existing,
      title: 'hijacked',
      updatedBy: 'desk-services',
      updatedAt: new Date().toISOString(),
    };
    const r = await svc.tryRequest('PUT', `/${PREFIX}tickets/${existing._id}`, edited);
    expect(r.status).toBe(403);
    expect(JSON.stringify(r.body)).toMatch(/do not change title/);
    expect(
      (await svc.tryRequest('DELETE', `/${PREFIX}tickets/${existing._id}?rev=${existing._rev}`))
        .status,
    ).toBe(403);
  });

  it('writes requester replies by mail and delivery records only', async () => {
    const base = {
      ticketNumber: existing._id,
      at: new Date().toISOString(),
      schemaVersion: 1,
      data: {},
    };
    const put = (id: string, doc: object) =>
      svc.tryRequest('PUT', `/${PREFIX}activity/${encodeURIComponent(id)}`, doc);
    expect(
      (
        await put(`${existing._id}:t1`, {
          ...base,
          type: 'work-note',
          by: 'desk-services',
          body: 'x',
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await put(`${existing._id}:t2`, {
          ...base,
          type: 'reply',
          by: 'alice',
          body: 'x',
          data: { channel: 'email' },
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await put(`${existing._id}:t3`, {
          ...base,
          type: 'reply',
          by: 'person:caller-0001',
          body: 'x',
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await put(`${existing._id}:t4`, {
          ...base,
          type: 'reply',
          by: 'person:caller-0001',
          body: 'x',
          data: { channel: 'email' },
        })
      ).status,
    ).toBe(201);
    expect(
      (
        await put(`${existing._id}:t5`, {
          ...base,
          type: 'delivery',
          by: 'desk-services',
          body: 'queued',
        })
      ).status,
    ).toBe(201);
    expect(
      (await put(`${existing._id}:t6`, { ...base, type: 'delivery', by: 'alice', body: 'queued' }))
        .status,
    ).toBe(403);
  });

  it('adds unverified requesters, never changes the directory', async () => {
    const put = (doc: Record<string, unknown> & { _id: string }) =>
      svc.tryRequest('PUT', `/${PREFIX}directory/${encodeURIComponent(doc._id)}`, doc);
    expect(
      (
        await put({
          _id: 'person:mail-abc',
          type: 'person',
          email: 'a@b.example',
          name: 'A',
          unverified: true,
        })
      ).status,
    ).toBe(201);
    expect(
      (await put({ _id: 'person:mail-abd', type: 'person', email: 'a@b.example', name: 'A' }))
        .status,
    ).toBe(403);
    expect(
      (await put({ _id: 'group:evil', type: 'group', name: 'x', unverified: true, email: 'x' }))
        .status,
    ).toBe(403);
    const caller = await desk.admin.request<Record<string, unknown> & { _id: string }>(
      'GET',
      `/${PREFIX}directory/person:caller-0001`,
    );
    expect((await put({ ...caller, name: 'changed' })).status).toBe(403);
    expect((await put({ ...caller, groupIds: ['group:network'] })).status).toBe(403);
  });

  it("changes a staff member's assignment groups and nothing else (the Staff page)", async () => {
    const put = (doc: Record<string, unknown> & { _id: string }) =>
      svc.tryRequest('PUT', `/${PREFIX}directory/${encodeURIComponent(doc._id)}`, doc);
    const ben = await desk.admin.request<Record<string, unknown> & { _id: string }>(
      'GET',
      `/${PREFIX}directory/person:ben`,
    );
    expect((await put({ ...ben, groupIds: ['group:network'], roles: ['admin'] })).status).toBe(403);
    expect((await put({ ...ben, groupIds: ['group:network'], name: 'Bobby' })).status).toBe(403);
    expect((await put({ ...ben, groupIds: ['person:alice'] })).status).toBe(403);
    expect((await put({ ...ben, groupIds: ['group:a', 'group:a'] })).status).toBe(403);
    expect((await put({ ...ben, groupIds: ['group:network'] })).status).toBe(201);
    // A new staff record: exactly type, name, username, staff and groups.
    const rec = { type: 'person', name: 'Quinn', staff: true, groupIds: ['group:field'] };
    expect(
      (await put({ _id: 'person:quinn', ...rec, username: 'quinn', roles: ['admin'] })).status,
    ).toBe(403);
    expect((await put({ _id: 'person:quinn', ...rec, username: 'other' })).status).toBe(403);
    expect((await put({ _id: 'group:quinn', ...rec, username: 'quinn' })).status).toBe(403);
    expect((await put({ _id: 'person:quinn', ...rec, username: 'quinn' })).status).toBe(201);
  });

  it('has no presence, no _users, and staff cannot read or write the services database', async () => {
    expect(
      (await svc.tryRequest('PUT', `/${PREFIX}presence/desk-services`, { user: 'desk-services' }))
        .status,
    ).toBeGreaterThanOrEqual(401);
    expect(
      (
        await svc.tryRequest('PUT', '/_users/org.couchdb.user:mallory', {
          name: 'mallory',
          type: 'user',
          roles: ['admin'],
          password: 'x',
        })
      ).status,
    ).toBeGreaterThanOrEqual(401);
    const alice = asUser(desk, 'alice');
    // Not a member: 401 from the embedded server, 403 from CouchDB 3.
    expect([401, 403]).toContain(
      (await alice.tryRequest('GET', `/${PREFIX}services/_all_docs`)).status,
    );
    expect([401, 403]).toContain(
      (await alice.tryRequest('PUT', `/${PREFIX}services/out:x`, { state: 'queued' })).status,
    );
    const ada = asUser(desk, 'ada');
    const template = (by: string, version: number, text = 'T {{title}}') => ({
      kind: 'ack',
      subject: '[{{number}}] Thanks',
      text,
      html: '<p>T</p>',
      version,
      updatedBy: by,
      updatedAt: new Date().toISOString(),
    });
    // Templates: admins only (desk services read them), valid, each save the next version.
    expect(
      (await svc.tryRequest('PUT', `/${PREFIX}services/template:ack`, template('desk-services', 1)))
        .status,
    ).toBe(403);
    const unknown = await ada.tryRequest(
      'PUT',
      `/${PREFIX}services/template:ack`,
      template('ada', 1, 'Hello {{requester}}'),
    );
    expect(unknown.status).toBe(403);
    expect(JSON.stringify(unknown.body)).toContain('Unknown placeholder {{requester}}');
    expect(
      (await ada.tryRequest('PUT', `/${PREFIX}services/template:ack`, template('ada', 2))).status,
    ).toBe(403);
    expect(
      (await ada.tryRequest('PUT', `/${PREFIX}services/template:ack`, template('ben', 1))).status,
    ).toBe(403);
    expect(
      (await ada.tryRequest('PUT', `/${PREFIX}services/template:ack`, template('ada', 1))).status,
    ).toBe(201);
    expect(
      (await ada.tryRequest('PUT', `/${PREFIX}services/out:x`, { state: 'queued' })).status,
    ).toBe(403);
  });
});

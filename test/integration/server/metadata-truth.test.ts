/**
 * Server-side truth for metadata (issue 21, "Medium"): forged names and times, SLA fields
 * rewritten outside a transition, junk conflict records, technicians on tickets not theirs, and
 * oversized documents, each as a member would send them against the provisioned server. What an
 * offline device and an admin import legitimately write is accepted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestDesk, asUser, PREFIX, type TestDesk } from '../../support/desk-server';
import { serverDocs } from '../../support/replica-checks';

type Doc = Record<string, unknown>;
let desk: TestDesk;
let tickets: Map<string, Doc>;

beforeAll(async () => {
  desk = await startTestDesk({ tickets: 300 });
  tickets = await serverDocs(desk, 'tickets');
});
afterAll(async () => {
  await desk?.stop();
});

function pick(pred: (t: Doc) => boolean, skip = 0): [string, Doc] {
  const found = [...tickets.entries()].filter(([, t]) => pred(t))[skip];
  if (!found) throw new Error('no demo ticket matches');
  return found;
}
const inProgressIncident = (t: Doc) => t.kind === 'incident' && t.state === 'in-progress';

/** The ticket as stored now, ready to PUT back. */
async function current(n: string): Promise<Doc> {
  return desk.admin.request<Doc>('GET', `/${PREFIX}tickets/${encodeURIComponent(n)}`);
}
async function put(user: string, db: string, id: string, doc: Doc) {
  return asUser(desk, user).tryRequest('PUT', `/${PREFIX}${db}/${encodeURIComponent(id)}`, doc);
}
const now = () => new Date().toISOString();

describe('tickets say who changed them and when, truthfully', () => {
  it('refuses updatedBy naming someone else', async () => {
    const [n] = pick(inProgressIncident, 0);
    const t = await current(n);
    const r = await put('alice', 'tickets', n, {
      ...t,
      title: 'forged',
      updatedBy: 'ben',
      updatedAt: now(),
    });
    expect(r.status).toBe(403);
    expect(JSON.stringify(r.body)).toMatch(/updatedBy/);
  });

  it('refuses updatedAt ahead of the server’s clock, keeps an offline device’s past time', async () => {
    const [n] = pick(inProgressIncident, 1);
    const t = await current(n);
    const future = await put('alice', 'tickets', n, {
      ...t,
      title: 'from the future',
      updatedBy: 'alice',
      updatedAt: '9999-01-01T00:00:00.000Z',
    });
    expect(future.status).toBe(403);
    const past = new Date(Date.now() - 3 * 86_400_000).toISOString();
    const offline = await put('alice', 'tickets', n, {
      ...t,
      title: 'written offline three days ago',
      updatedBy: 'alice',
      updatedAt: past,
    });
    expect(offline.status).toBe(201);
  });

  it('refuses SLA fields rewritten outside a transition', async () => {
    const [n] = pick(inProgressIncident, 2);
    const t = await current(n);
    const sla = t.sla as {
      respondedAt: string | null;
      resolvedAt: string | null;
      pauses: unknown[];
    };
    const base = { ...t, updatedBy: 'alice', updatedAt: now() };
    for (const fake of [
      { ...sla, respondedAt: null },
      { ...sla, resolvedAt: now() },
      { ...sla, respondedAt: '9999-01-01T00:00:00.000Z' },
      { ...sla, pauses: [...sla.pauses, { from: now(), to: '9999-01-01T00:00:00.000Z' }] },
    ]) {
      const r = await put('alice', 'tickets', n, { ...base, sla: fake });
      expect(r.status, JSON.stringify(fake)).toBe(403);
    }
    const [p] = pick(
      (x) => x.kind === 'incident' && (x.sla as { pauses: unknown[] }).pauses.length > 0,
    );
    const paused = await current(p);
    const r = await put('alice', 'tickets', p, {
      ...paused,
      updatedBy: 'alice',
      updatedAt: now(),
      sla: { ...(paused.sla as object), pauses: [] },
    });
    expect(r.status).toBe(403);
  });

  it('accepts a merge that keeps the stored newer edit’s name and time', async () => {
    const [n] = pick(inProgressIncident, 3);
    const t = await current(n);
    const r = await put('alice', 'tickets', n, { ...t, impact: t.impact, tags: t.tags });
    expect(r.status).toBe(201);
  });

  it('refuses a content change that keeps the stored name and time (a "merge" naming no one)', async () => {
    const [n] = pick(inProgressIncident, 8);
    const t = await current(n);
    const r = await put('alice', 'tickets', n, { ...t, title: 'changed under another name' });
    expect(r.status).toBe(403);
    expect(JSON.stringify(r.body)).toMatch(/updatedBy/);
    // The same change naming its writer, with a past time from an offline device, is fine.
    const offline = await put('alice', 'tickets', n, {
      ...t,
      title: 'changed under another name',
      updatedBy: 'alice',
      updatedAt: new Date(Date.now() - 86_400_000).toISOString(),
    });
    expect(offline.status).toBe(201);
  });

  it('lets an admin import write history under other names and past times (issue 27)', async () => {
    const [n] = pick(inProgressIncident, 4);
    const t = await current(n);
    const r = await put('ada', 'tickets', n, {
      ...t,
      title: 'imported',
      updatedBy: 'ben',
      updatedAt: '2020-01-01T00:00:00.000Z',
    });
    expect(r.status).toBe(201);
  });
});

describe('SLA pauses come from state changes', () => {
  it('refuses a pause no transition made, accepts the one a move on hold makes', async () => {
    const [n] = pick(inProgressIncident, 9);
    const t = await current(n);
    const sla = t.sla as { pauses: unknown[] };
    const from = new Date(Date.now() - 60_000).toISOString();
    const pause = { from, to: null, reason: 'awaiting-caller' };
    const base = { ...t, updatedBy: 'alice', updatedAt: now() };
    // Still in progress: an open pause would stop its clock for good.
    const forged = await put('alice', 'tickets', n, {
      ...base,
      sla: { ...sla, pauses: [...sla.pauses, pause] },
    });
    expect(forged.status).toBe(403);
    expect(JSON.stringify(forged.body)).toMatch(/paused state/);
    // On hold, but the pause claims another reason.
    const hold = { state: 'on-hold', onHoldReason: 'awaiting-vendor' };
    const wrong = await put('alice', 'tickets', n, {
      ...base,
      ...hold,
      sla: { ...sla, pauses: [...sla.pauses, pause] },
    });
    expect(wrong.status).toBe(403);
    const real = await put('alice', 'tickets', n, {
      ...base,
      ...hold,
      sla: { ...sla, pauses: [...sla.pauses, { ...pause, reason: 'awaiting-vendor' }] },
    });
    expect(real.status).toBe(201);
  });
});

describe('activity entries and conflict records are checked like other entries', () => {
  it('takes a conflict record only from its recorder, under an id naming them', async () => {
    const [n] = pick(inProgressIncident, 10);
    const record = (id: string, by: string): Doc => ({
      _id: id,
      ticketNumber: n,
      type: 'conflict',
      at: now(),
      by,
      schemaVersion: 1,
      body: 'Both sides changed impact; kept the local value.',
      data: { field: 'impact', kept: 1, lost: 3, base: 2 },
    });
    // The merged edit's author was ben, but alice's device recorded it.
    const asBen = await put('alice', 'activity', `${n}:conflict:alice:a1`, {
      ...record(`${n}:conflict:alice:a1`, 'ben'),
    });
    expect(asBen.status).toBe(403);
    const squat = await put('alice', 'activity', `${n}:conflict:ben:a1`, {
      ...record(`${n}:conflict:ben:a1`, 'alice'),
    });
    expect(squat.status).toBe(403);
    const mine = await put('alice', 'activity', `${n}:conflict:alice:a1`, {
      ...record(`${n}:conflict:alice:a1`, 'alice'),
    });
    expect(mine.status).toBe(201);
    // Ben's device records the same merge in a document of its own.
    const bens = await put('ben', 'activity', `${n}:conflict:ben:a1`, {
      ...record(`${n}:conflict:ben:a1`, 'ben'),
    });
    expect(bens.status).toBe(201);
  });

  it('refuses an entry dated ahead of the server, and junk conflict records', async () => {
    const [n] = pick(inProgressIncident, 5);
    const entry = (id: string, extra: Doc): Doc => ({
      ticketNumber: n,
      type: 'work-note',
      at: now(),
      by: 'alice',
      schemaVersion: 1,
      body: 'note',
      data: {},
      ...extra,
      _id: id,
    });
    const future = await put(
      'alice',
      'activity',
      `${n}:f1`,
      entry(`${n}:f1`, { at: '9999-01-01T00:00:00.000Z' }),
    );
    expect(future.status).toBe(403);
    const junk = await put(
      'alice',
      'activity',
      `${n}:conflict:junk`,
      entry(`${n}:conflict:junk`, {
        type: 'conflict',
        by: 'ben',
        body: 'anything',
        data: { field: 'title', script: '<img onerror=alert(1)>' },
      }),
    );
    expect(junk.status).toBe(403);
    const ok = await put('alice', 'activity', `${n}:ok1`, entry(`${n}:ok1`, {}));
    expect(ok.status).toBe(201);
  });

  it('refuses oversized documents: 60 MB of data, 300,000 keys, a 100 KB _local', async () => {
    const [n] = pick(inProgressIncident, 6);
    const huge = await asUser(desk, 'alice').tryRequest('PUT', `/${PREFIX}activity/${n}:big`, {
      ticketNumber: n,
      type: 'work-note',
      at: now(),
      by: 'alice',
      schemaVersion: 1,
      body: 'x',
      data: { blob: 'a'.repeat(60 * 1024 * 1024) },
    });
    expect(huge.status).toBe(413);
    const wide = await asUser(desk, 'alice').tryRequest('PUT', `/${PREFIX}activity/${n}:wide`, {
      ticketNumber: n,
      type: 'work-note',
      at: now(),
      by: 'alice',
      schemaVersion: 1,
      body: 'x',
      data: Object.fromEntries(Array.from({ length: 300_000 }, (_, i) => [`k${i}`, 0])),
    });
    expect(wide.status).toBe(400);
    const local = await asUser(desk, 'alice').tryRequest('PUT', `/${PREFIX}activity/_local/big`, {
      blob: 'a'.repeat(100 * 1024),
    });
    expect(local.status).toBe(413);
  });
});

describe('technicians write only on their own work orders', () => {
  it('refuses a technician’s reply on an incident, accepts it on their work order', async () => {
    const [n] = pick(inProgressIncident, 7);
    const reply = (ticketNumber: string, id: string): Doc => ({
      ticketNumber,
      type: 'reply',
      at: now(),
      by: 'tara',
      schemaVersion: 1,
      body: 'public reply',
      data: {},
      _id: id,
    });
    const theirs = await put('tara', 'activity', `${n}:tara1`, reply(n, `${n}:tara1`));
    expect(theirs.status).toBe(403);
    const wo = [...tickets.entries()].find(
      ([, t]) => t.kind === 'workorder' && t.assigneeId === 'tara',
    );
    if (wo) {
      const own = await put('tara', 'activity', `${wo[0]}:tara2`, reply(wo[0], `${wo[0]}:tara2`));
      expect(own.status).toBe(201);
    }
    const other = [...tickets.entries()].find(
      ([, t]) => t.kind === 'workorder' && t.assigneeId !== 'tara',
    );
    if (other) {
      const r = await put(
        'tara',
        'activity',
        `${other[0]}:tara3`,
        reply(other[0], `${other[0]}:tara3`),
      );
      expect(r.status).toBe(403);
    }
  });
});

/**
 * The desk's SLA configuration lives in the directory database: an admin changes the business
 * calendar's time zone and adds a holiday on the real server; an open console (the product's data
 * layer in Node) picks the change up with the next pull, without a reload, and its queue's due
 * times move, while the SLA records of a ticket already resolved stay exactly as they were.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { firstValueFrom } from 'rxjs';
import { asUser, PREFIX, startTestDesk, type TestDesk } from '../../support/desk-server';
import { startNodeClient, type NodeClient } from '../../support/node-client';
import { eventually } from '../../support/eventually';
import {
  createTicket,
  getTicket,
  moveTicket,
  observeActivity,
} from '../../../renderer/src/data/tickets-repo';
import { observeSlaConfig } from '../../../renderer/src/data/sla-config';
import { reachesAt } from '../../../shared/queue/filter';
import {
  evaluateSla,
  SLA_CONFIG_ID,
  slaConfigOf,
  type SlaConfigDoc,
  type Ticket,
} from '../../../shared/domain';

let desk: TestDesk;
let alice: NodeClient;
const DIRECTORY = `/${PREFIX}directory/${SLA_CONFIG_ID}`;

beforeAll(async () => {
  desk = await startTestDesk();
  alice = await startNodeClient(desk, 'alice');
});
afterAll(async () => {
  await alice?.close();
  await desk?.stop();
});

const config = () => firstValueFrom(observeSlaConfig(alice.ws.db));
const incident = (title: string) =>
  createTicket(
    alice.ws.db,
    'incident',
    {
      title,
      description: 'Printer queue stuck',
      requesterId: 'person:caller-0001',
      ciId: null,
      category: 'hardware',
      impact: 2,
      urgency: 2,
      groupId: 'group:service-desk',
      assigneeId: 'alice',
    },
    'alice',
  );
const slaEntries = async (number: string) =>
  (await firstValueFrom(observeActivity(alice.ws.db, number))).filter(
    (e) => e.type === 'sla-event',
  );
/** YYYY-MM-DD of `iso` on the wall clock of `zone`. */
const localDate = (iso: string, zone: string) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: zone }).format(new Date(iso));

describe('SLA configuration from the directory', () => {
  it('setup provisioned version 1, and the console reads it', async () => {
    const c = await eventually(async () => {
      const x = await config();
      if (!x) throw new Error('no SLA configuration yet');
      return x;
    });
    expect(c.version).toBe(1);
    expect(c.calendars.map((x) => x.id)).toEqual(['24x7', 'business-hours']);
  });

  it('only admins change it, one version at a time', async () => {
    const stored = await desk.admin.request<SlaConfigDoc & { _rev: string }>('GET', DIRECTORY);
    const sam = await asUser(desk, 'sam').tryRequest('PUT', DIRECTORY, {
      ...stored,
      version: 2,
    });
    expect(sam.status).toBe(403);
    expect(JSON.stringify(sam.body)).toContain('Only admins change the SLA configuration.');
    const skip = await asUser(desk, 'ada').tryRequest('PUT', DIRECTORY, {
      ...stored,
      version: 5,
    });
    expect(skip.status).toBe(403);
    const bad = await asUser(desk, 'ada').tryRequest('PUT', DIRECTORY, {
      ...stored,
      version: 2,
      calendars: [{ ...stored.calendars[1], zone: 'Nowhere/Atlantis' }],
    });
    expect(bad.status).toBe(403);
  });

  it('an admin’s new time zone and holiday reach the open console: due times move, closed records stay', async () => {
    const open = await incident('Open P3');
    let closed: Ticket = await incident('Closed P3');
    await moveTicket(alice.ws.db, closed.number, 'in-progress', {}, 'alice');
    closed = await moveTicket(
      alice.ws.db,
      closed.number,
      'resolved',
      { resolution: { code: 'fixed', notes: 'Cleared the queue' } },
      'alice',
    );
    await alice.settled();
    const closedRecords = await slaEntries(closed.number);
    expect(closedRecords.map((e) => e.data.event)).toEqual(['start', 'met', 'met']);
    const before = (await config())!;
    const now = Date.now();
    const oldDue = evaluateSla(open, now, before)!.resolution.dueAt!;
    // The queue's SLA filters ask when the first running clock (here the response) breaches.
    const firstDue = (c: typeof before) => {
      const r = evaluateSla(open, now, c)!;
      return Math.min(Date.parse(r.response.dueAt!), Date.parse(r.resolution.dueAt!));
    };
    expect(reachesAt(open, 100, before)).toBe(firstDue(before));

    // The admin moves the desk to New York, with a holiday on the day the old due time falls on.
    const stored = await desk.admin.request<SlaConfigDoc & { _rev: string }>('GET', DIRECTORY);
    const holiday = localDate(oldDue, 'America/New_York');
    const next: SlaConfigDoc = {
      ...stored,
      version: stored.version + 1,
      updatedAt: new Date().toISOString(),
      updatedBy: 'ada',
      calendars: stored.calendars.map((c) =>
        c.kind === 'weekly'
          ? {
              ...c,
              zone: 'America/New_York',
              publicHolidays: { country: 'US', region: 'NY' },
              holidays: [{ date: holiday, name: 'Desk closed' }],
            }
          : c,
      ),
    };
    const put = await asUser(desk, 'ada').tryRequest('PUT', DIRECTORY, next);
    expect(put.status).toBe(201);

    // Live: the same workspace, no restart.
    const after = await eventually(async () => {
      const c = await config();
      if (c?.version !== next.version) throw new Error(`still version ${c?.version}`);
      return c;
    });
    const want = evaluateSla(open, now, slaConfigOf(next))!.resolution.dueAt!;
    expect(localDate(want, 'America/New_York')).not.toBe(holiday);
    expect(want).not.toBe(oldDue);
    expect(evaluateSla(open, now, after)!.resolution.dueAt).toBe(want);
    const breachAt = firstDue(after);
    expect(breachAt).not.toBe(firstDue(before));
    expect(reachesAt(open, 100, after)).toBe(breachAt);
    // The queue's own index answers SLA views with the new configuration.
    const ctx = { me: 'alice', groupIds: ['group:service-desk'], now: breachAt };
    const breached = {
      id: 'b',
      name: 'b',
      filter: { sla: 'breached' as const },
      sort: { field: 'updatedAt' as const, dir: 'desc' as const },
    };
    const rowsAt = (sla: typeof after, at: number) =>
      alice.ws.queues.index.rows(breached, { ...ctx, now: at, sla }).map((t) => t.number);
    await eventually(() => alice.ws.queues.index.size >= 2);
    // (Views that depend on time are recomputed when `now` moves by more than the index's TTL.)
    expect(rowsAt(after, breachAt - 120_000)).not.toContain(open.number);
    expect(rowsAt(after, breachAt)).toContain(open.number);
    // Swapping the configuration recomputes at once, even at the same instant.
    expect(rowsAt(before, breachAt).includes(open.number)).toBe(firstDue(before) <= breachAt);
    expect(rowsAt(after, breachAt)).toContain(open.number);

    // The resolved ticket's records are exactly as they were.
    expect(await slaEntries(closed.number)).toEqual(closedRecords);
    expect((await getTicket(alice.ws.db, closed.number))?.sla.record).toEqual(closed.sla.record);
    expect(evaluateSla(closed, now, after)).toEqual(evaluateSla(closed, now, before));
    expect(evaluateSla(closed, now, after)!.resolution.status).toBe('met');
  });
});

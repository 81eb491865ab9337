/**
 * Two devices edit the same tickets offline, then sync through the real embedded server: they
 * converge on the same state, every field edit is kept or recorded as a conflict, and every note
 * survives. Clients run the product's data layer in Node (fake-indexeddb storage).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestDesk, type TestDesk } from '../../support/desk-server';
import { startNodeClient, type NodeClient } from '../../support/node-client';
import { eventually } from '../../support/eventually';
import { localDocs, serverDocs } from '../../support/replica-checks';
import {
  addActivity,
  createTicket,
  getTicket,
  updateTicket,
} from '../../../renderer/src/data/tickets-repo';
import type { Ticket } from '../../../shared/domain';

let desk: TestDesk;
let alice: NodeClient;
let ben: NodeClient;

beforeAll(async () => {
  desk = await startTestDesk({ tickets: 60 });
  alice = await startNodeClient(desk, 'alice');
  ben = await startNodeClient(desk, 'ben');
});
afterAll(async () => {
  await alice?.close();
  await ben?.close();
  await desk?.stop();
});

async function openIncidents(): Promise<Ticket[]> {
  const tickets = [...(await serverDocs(desk, 'tickets')).entries()]
    .map(([number, t]) => ({ ...t, number }) as unknown as Ticket)
    .filter((t) => t.kind === 'incident' && (t.state === 'new' || t.state === 'in-progress'));
  return tickets.sort((a, b) => (a.number < b.number ? -1 : 1));
}

describe('two clients editing offline', () => {
  it('pull the whole desk first', async () => {
    const server = await serverDocs(desk, 'tickets');
    await eventually(async () => {
      expect((await localDocs(alice, 'tickets')).size).toBe(server.size);
      expect((await localDocs(ben, 'tickets')).size).toBe(server.size);
    });
  });

  it('converge, keeping every edit or a conflict record, and every note', async () => {
    const [t1, t2] = await openIncidents();
    expect(t1 && t2).toBeTruthy();
    const n1 = t1!.number;
    const n2 = t2!.number;
    // Two impacts that both differ from the seeded one (the demo data changes with the date; an
    // edit to the value already there is no edit at all).
    const [aliceImpact, benImpact] = ([1, 2, 3] as const).filter((v) => v !== t2!.impact);
    alice.setOnline(false);
    ben.setOnline(false);

    await updateTicket(alice.ws.db, n1, { title: 'Alice: printer on 3rd floor offline' }, 'alice');
    await addActivity(alice.ws.db, {
      ticketNumber: n1,
      type: 'work-note',
      by: 'alice',
      body: 'Alice checked the spooler.',
      data: {},
    });
    await updateTicket(alice.ws.db, n2, { impact: aliceImpact! }, 'alice');

    await new Promise((r) => setTimeout(r, 20)); // ben's edits are strictly later
    await updateTicket(ben.ws.db, n1, { description: 'Ben: users report jams.' }, 'ben');
    await addActivity(ben.ws.db, {
      ticketNumber: n1,
      type: 'work-note',
      by: 'ben',
      body: 'Ben ordered a fuser.',
      data: {},
    });
    await updateTicket(ben.ws.db, n2, { impact: benImpact! }, 'ben');
    const created = await createTicket(
      ben.ws.db,
      'incident',
      {
        title: 'Created offline by Ben',
        description: 'Laptop will not boot.',
        requesterId: t1!.requesterId,
        ciId: null,
        category: t1!.category,
        impact: 2,
        urgency: 2,
        groupId: t1!.groupId,
        assigneeId: null,
        parentNumber: null,
      },
      'ben',
    );

    alice.setOnline(true);
    await alice.settled();
    ben.setOnline(true);
    await ben.settled();
    alice.ws.sync.syncNow();

    await eventually(
      async () => {
        const server = await serverDocs(desk, 'tickets');
        const a = await localDocs(alice, 'tickets');
        const b = await localDocs(ben, 'tickets');
        for (const n of [n1, n2, created.number]) {
          expect(a.get(n)).toEqual(server.get(n));
          expect(b.get(n)).toEqual(server.get(n));
        }
      },
      { timeoutMs: 45_000 },
    );

    const final1 = await getTicket(alice.ws.db, n1);
    expect(final1?.title).toBe('Alice: printer on 3rd floor offline');
    expect(final1?.description).toBe('Ben: users report jams.');
    const final2 = await getTicket(alice.ws.db, n2);
    expect(final2?.impact).toBe(benImpact); // ben's later edit
    expect(await getTicket(alice.ws.db, created.number)).toMatchObject({
      title: 'Created offline by Ben',
    });

    await eventually(async () => {
      const activity = [...(await serverDocs(desk, 'activity')).values()];
      const notes = activity.filter((e) => e.ticketNumber === n1 && e.type === 'work-note');
      expect(notes.map((e) => e.body).sort()).toEqual([
        'Alice checked the spooler.',
        'Ben ordered a fuser.',
      ]);
      const conflicts = activity.filter((e) => e.ticketNumber === n2 && e.type === 'conflict');
      expect(conflicts.length).toBeGreaterThanOrEqual(1);
      expect(conflicts[0]?.data).toMatchObject({
        field: 'impact',
        kept: benImpact,
        lost: aliceImpact,
      });
      const localActivity = await localDocs(ben, 'activity');
      for (const e of notes) expect([...localActivity.values()]).toContainEqual(e);
    });
  });
});

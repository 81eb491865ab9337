/**
 * Faults during replication against the real embedded server: the engine is killed (SIGKILL)
 * mid-replication and restarted by its supervisor; answers to pushes are lost after the server
 * applied them. The client converges with no loss and no duplicates.
 */
import { firstValueFrom } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestDesk, type TestDesk } from '../../support/desk-server';
import { startNodeClient, type NodeClient } from '../../support/node-client';
import { eventually } from '../../support/eventually';
import { localDocs, serverDocs } from '../../support/replica-checks';
import { addActivity, updateTicket } from '../../../renderer/src/data/tickets-repo';

let desk: TestDesk;
let alice: NodeClient;

beforeAll(async () => {
  desk = await startTestDesk({ tickets: 300 });
  alice = await startNodeClient(desk, 'alice');
  await eventually(async () => {
    expect((await localDocs(alice, 'tickets')).size).toBe((await serverDocs(desk, 'tickets')).size);
  });
});
afterAll(async () => {
  await alice?.close();
  await desk?.stop();
});

async function editableNumbers(n: number): Promise<string[]> {
  const local = await localDocs(alice, 'tickets');
  return [...local.entries()]
    .filter(([, t]) => !['closed', 'cancelled', 'resolved'].includes(String(t.state)))
    .map(([number]) => number)
    .slice(0, n);
}

async function expectConverged(): Promise<void> {
  await eventually(
    async () => {
      for (const db of ['tickets', 'activity'] as const) {
        const server = await serverDocs(desk, db);
        const local = await localDocs(alice, db);
        expect(local.size).toBe(server.size);
        for (const [id, doc] of server) expect(local.get(id)).toEqual(doc);
      }
      const view = await firstValueFrom(alice.ws.sync.view$);
      expect(view).toMatchObject({ status: { state: 'in-sync' }, pending: 0 });
    },
    { timeoutMs: 45_000, intervalMs: 500 },
  );
}

describe('faults during replication', { timeout: 120_000 }, () => {
  it('survives the engine being killed mid-push, with nothing lost or duplicated', async () => {
    const numbers = await editableNumbers(120);
    const before = [...(await serverDocs(desk, 'activity')).values()].filter(
      (a) => a.type !== 'sla-event',
    ).length;
    const pid = desk.server.enginePid();
    expect(pid).toBeTypeOf('number');
    const restartsBefore = desk.server.engineRestarts();
    const edits = numbers.map(async (n, i) => {
      await updateTicket(alice.ws.db, n, { title: `Killed mid-push edit ${i}` }, 'alice');
      await addActivity(alice.ws.db, {
        ticketNumber: n,
        type: 'work-note',
        by: 'alice',
        body: `note ${i}`,
        data: {},
      });
    });
    // The kill lands once edits wait in the outbox (not on a timer, which a slow machine turns
    // into a kill before any edit or after every push).
    await eventually(
      async () => expect(await alice.ws.db.outbox.count().exec()).toBeGreaterThan(0),
      { timeoutMs: 30_000, intervalMs: 5 },
    );
    process.kill(pid!, 'SIGKILL');
    // Pushes still to do right after the kill: the fault landed mid-push, not after it.
    const outboxAtKill = alice.ws.db.outbox.count().exec();
    await Promise.all(edits);
    expect(await outboxAtKill).toBeGreaterThan(0);
    await eventually(() => expect(desk.server.engineRestarts()).toBe(restartsBefore + 1));
    expect(desk.server.enginePid()).not.toBe(pid);
    await expectConverged();
    const server = await serverDocs(desk, 'tickets');
    numbers.forEach((n, i) => expect(server.get(n)?.title).toBe(`Killed mid-push edit ${i}`));
    // SLA record entries (issue 25) come with edits; the count is of everything else.
    const activity = [...(await serverDocs(desk, 'activity')).values()].filter(
      (a) => a.type !== 'sla-event',
    );
    // One work note and one audit entry (the title change) per ticket, each exactly once.
    expect(activity.length).toBe(before + 2 * numbers.length);
    const bodies = activity.filter((a) => String(a.body).startsWith('note ')).map((a) => a.body);
    expect(new Set(bodies).size).toBe(numbers.length);
  });

  it('survives lost answers to _bulk_docs (the server applied them): no duplicates', async () => {
    const numbers = await editableNumbers(30);
    const before = [...(await serverDocs(desk, 'activity')).values()].filter(
      (a) => a.type !== 'sla-event',
    ).length;
    const lose = alice.loseAnswers(
      (url, init) => url.includes('_bulk_docs') && init?.method === 'POST',
      3,
    );
    for (const [i, n] of numbers.entries()) {
      await updateTicket(alice.ws.db, n, { description: `Lost answer edit ${i}` }, 'alice');
      await addActivity(alice.ws.db, {
        ticketNumber: n,
        type: 'work-note',
        by: 'alice',
        body: `lost-answer note ${i}`,
        data: {},
      });
    }
    await expectConverged();
    // The fault fired: three answers of pushes the server had applied were lost.
    expect(lose.lost()).toBe(3);
    const server = await serverDocs(desk, 'tickets');
    numbers.forEach((n, i) => expect(server.get(n)?.description).toBe(`Lost answer edit ${i}`));
    // One work note and one audit entry (the description change) per ticket, each exactly once;
    // SLA record entries (a threshold the edit's time crossed) are not counted.
    const activity = [...(await serverDocs(desk, 'activity')).values()].filter(
      (a) => a.type !== 'sla-event',
    );
    expect(activity.length).toBe(before + 2 * numbers.length);
  });

  it('pulls again from its checkpoint after the network drops mid-pull', async () => {
    const pulled = await startNodeClient(desk, 'ben');
    try {
      const lose = pulled.loseAnswers(
        (url) => url.includes('_changes') && !url.includes('longpoll'),
        2,
      );
      await eventually(
        async () => {
          const server = await serverDocs(desk, 'tickets');
          const local = await localDocs(pulled, 'tickets');
          expect(local.size).toBe(server.size);
          for (const [id, doc] of server) expect(local.get(id)).toEqual(doc);
        },
        { timeoutMs: 60_000, intervalMs: 500 },
      );
      // The fault fired: two pull answers were lost on the way.
      expect(lose.lost()).toBe(2);
    } finally {
      await pulled.close();
    }
  });
});

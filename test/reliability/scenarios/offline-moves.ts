/**
 * Random valid offline move sequences on every kind (seeded), across app restarts (a reload:
 * the workspace closed and opened again on the same local data), then one sync: the server must
 * accept every collapsed push (0 refused), end in the state the device reached, and hold every
 * step in the activity exactly once (0 lost, 0 doubled). The device is the product's data layer
 * in Node (node-client.ts) against the real embedded server, signed in as a supervisor, who may
 * move tickets of every kind.
 */
import { PREFIX, startTestDesk } from '../../support/desk-server';
import { startNodeClient } from '../../support/node-client';
import { eventually } from '../../support/eventually';
import { serverDocs } from '../../support/replica-checks';
import { createRng } from '../../../server/src/provision/random';
import { createTicket, getTicket, moveTicket } from '../../../renderer/src/data/tickets-repo';
import {
  allowedTransitions,
  isFinalState,
  TICKET_KINDS,
  type TransitionInput,
} from '../../../shared/domain';
import type { ScenarioOptions, ScenarioResult } from '../types';

type Doc = Record<string, unknown>;

const INPUT: TransitionInput = {
  onHoldReason: 'awaiting-vendor',
  resolution: { code: 'fixed', notes: 'Done offline.' },
};

export async function offlineMoves(o: ScenarioOptions): Promise<ScenarioResult> {
  const rng = createRng(o.seed);
  const perKind = o.quick ? 2 : 6;
  const rounds = o.quick ? 2 : 5;
  const desk = await startTestDesk({ tickets: o.quick ? 150 : 600 });
  const problems: string[] = [];
  let lost = 0;
  let duplicated = 0;
  const client = await startNodeClient(desk, 'sam');
  try {
    const server0 = await serverDocs(desk, 'tickets');
    const picked: string[] = [];
    for (const kind of TICKET_KINDS) {
      const open = [...server0.entries()]
        .filter(([, t]) => t.kind === kind && !isFinalState(kind, String(t.state)))
        .map(([n]) => n);
      for (let i = 0; i < perKind && open.length > 0; i++)
        picked.push(open.splice(rng.int(0, open.length - 1), 1)[0]!);
    }
    // And one new ticket of each kind, made on the device: every kind is in the run.
    for (const kind of TICKET_KINDS) {
      const t = await createTicket(
        client.ws.db,
        kind,
        {
          title: `Offline moves ${kind} ${o.seed}`,
          description: '',
          requesterId: 'person:caller-0001',
          ciId: null,
          category: 'hardware',
          impact: 2,
          urgency: 2,
          groupId: 'group:service-desk',
          assigneeId: 'sam',
        },
        'sam',
      );
      picked.push(t.number);
    }
    await client.settled(60_000);
    await eventually(async () => {
      for (const n of picked)
        if ((await getTicket(client.ws.db, n)) === null) throw new Error(`${n} not pulled yet`);
    });
    const since = new Date().toISOString();

    // Offline: rounds of 1 to 3 random valid moves per ticket, the app restarted after each.
    client.setOnline(false);
    const steps = new Map<string, string[]>(picked.map((n) => [n, []]));
    const kinds = new Set<string>();
    for (let r = 0; r < rounds; r++) {
      for (const n of picked) {
        for (let k = rng.int(1, 3); k > 0; k--) {
          const t = (await getTicket(client.ws.db, n))!;
          const moves = allowedTransitions(t);
          if (moves.length === 0) break;
          const to = rng.pick(moves).to;
          await moveTicket(client.ws.db, n, to, INPUT, 'sam');
          steps.get(n)!.push(`${t.state}→${to}`);
          kinds.add(t.kind);
        }
      }
      await client.restart();
    }
    const expected = new Map<string, string>();
    for (const n of picked) expected.set(n, (await getTicket(client.ws.db, n))!.state);

    // Back online: everything goes up.
    client.setOnline(true);
    client.ws.sync.syncNow();
    await client.settled(120_000);
    const refused = await client.ws.db.rejections.find().exec();
    for (const r of refused)
      problems.push(`refused ${String(r.get('docId'))}: ${String(r.get('reason'))}`);

    const tickets = await serverDocs(desk, 'tickets');
    const activity = [...(await serverDocs(desk, 'activity')).values()].filter(
      (a) => a.type === 'state-change' && a.by === 'sam' && String(a.at) >= since,
    );
    let made = 0;
    for (const n of picked) {
      if (tickets.get(n)?.state !== expected.get(n)) {
        lost += 1;
        problems.push(`${n}: server ${String(tickets.get(n)?.state)}, device ${expected.get(n)}`);
      }
      const want = steps.get(n)!;
      made += want.length;
      const have = activity
        .filter((a) => a.ticketNumber === n)
        .map((a) => `${String((a.data as Doc).from)}→${String((a.data as Doc).to)}`);
      const left = [...have];
      for (const s of want) {
        const i = left.indexOf(s);
        if (i === -1) lost += 1;
        else left.splice(i, 1);
      }
      duplicated += left.length;
    }
    // The server has what the device has: each picked ticket's document.
    for (const n of picked) {
      const mine = await getTicket(client.ws.db, n);
      const theirs = await desk.admin.request<Doc>('GET', `/${PREFIX}tickets/${n}`);
      if (mine?.updatedAt !== theirs.updatedAt) problems.push(`${n}: replica and server differ`);
    }
    return {
      scenario: 'offline-moves',
      iterations: rounds * picked.length,
      failures: problems.length,
      lost,
      duplicated,
      seeds: [o.seed],
      notes: [
        `${made} offline moves on ${picked.length} tickets of ${kinds.size} kinds, ${rounds} restarts; ${refused.length} refused`,
        ...problems.slice(0, 10),
      ],
    };
  } finally {
    await client.close();
    await desk.stop();
  }
}

/**
 * Conflict storm: several devices edit the same tickets offline (fields, state moves, notes),
 * then come online in a random order. All converge on the server's state; every note is there
 * exactly once; every field edit is in the final state or in a conflict record.
 */
import { startTestDesk } from '../../support/desk-server';
import { startRemoteClient, type RemoteClient } from '../../support/remote-client';
import { eventually } from '../../support/eventually';
import { serverDocs } from '../../support/replica-checks';
import { createRng } from '../../../server/src/provision/random';
import type { ScenarioOptions, ScenarioResult } from '../types';

type Doc = Record<string, unknown>;
const USERS = ['alice', 'ben', 'sam', 'alice', 'ben'] as const;

export async function conflictStorm(o: ScenarioOptions): Promise<ScenarioResult> {
  const rng = createRng(o.seed);
  const clientsN = o.quick ? 3 : 5;
  const ticketsN = o.quick ? 15 : 100;
  const desk = await startTestDesk({ tickets: o.quick ? 120 : 1200 });
  const clients: RemoteClient[] = [];
  const notes: string[] = [];
  const edits: { number: string; field: string; value: unknown }[] = [];
  const problems: string[] = [];
  try {
    for (let i = 0; i < clientsN; i++) clients.push(await startRemoteClient(desk.url, USERS[i]!));
    const server0 = await serverDocs(desk, 'tickets');
    for (const c of clients)
      await eventually(
        async () => {
          const have = (await c.localDocs('tickets')).size;
          if (have !== server0.size)
            throw new Error(`${c.name} pulled ${have} of ${server0.size} tickets`);
        },
        { timeoutMs: 120_000 },
      );
    const targets = [...server0.entries()]
      .filter(([, t]) => t.kind === 'incident' && t.state === 'in-progress')
      .slice(0, ticketsN)
      .map(([n]) => n);
    for (const c of clients) await c.setOnline(false);

    for (const [ci, c] of clients.entries()) {
      const who = c.user;
      for (const n of targets) {
        if (rng.chance(0.6)) {
          const title = `c${ci} title ${n}`;
          await c.updateTicket(n, { title }, who);
          edits.push({ number: n, field: 'title', value: title });
        }
        if (rng.chance(0.4)) {
          const was = server0.get(n)?.impact;
          const impact = rng.pick(([1, 2, 3] as const).filter((v) => v !== was));
          await c.updateTicket(n, { impact }, who);
          edits.push({ number: n, field: 'impact', value: impact });
        }
        if (rng.chance(0.25)) {
          if (rng.chance(0.5))
            await c.moveTicket(n, 'on-hold', { onHoldReason: 'awaiting-caller' }, who);
          else
            await c.moveTicket(
              n,
              'resolved',
              { resolution: { code: 'solved-workaround', notes: `c${ci} fixed it` } },
              who,
            );
        }
        const body = `storm note c${ci} ${n}`;
        await c.addActivity({ ticketNumber: n, type: 'work-note', by: who, body, data: {} });
        notes.push(body);
        await new Promise((r) => setTimeout(r, 1)); // distinct edit times across devices
      }
    }

    const order = [...clients.keys()].sort(() => rng.next() - 0.5);
    for (const i of order) {
      const c = clients[i]!;
      await c.setOnline(true);
      await c.settled(120_000);
    }
    for (const c of clients) await c.syncNow();

    await eventually(
      async () => {
        const server = await serverDocs(desk, 'tickets');
        for (const c of clients) {
          const local = await c.localDocs('tickets');
          for (const n of targets)
            if (JSON.stringify(local.get(n)) !== JSON.stringify(server.get(n)))
              throw new Error(`${c.name} differs on ${n}`);
        }
      },
      { timeoutMs: 120_000, intervalMs: 500 },
    );

    const server = await serverDocs(desk, 'tickets');
    const activity = [...(await serverDocs(desk, 'activity')).values()];
    const bodies = new Map<string, number>();
    for (const a of activity)
      if (typeof a.body === 'string') bodies.set(a.body, (bodies.get(a.body) ?? 0) + 1);
    const lostNotes = notes.filter((b) => !bodies.has(b)).length;
    const duplicated = notes.filter((b) => (bodies.get(b) ?? 0) > 1).length;
    const conflictValues = new Map<string, unknown[]>();
    for (const a of activity) {
      if (a.type !== 'conflict') continue;
      const d = a.data as Doc;
      const key = `${String(a.ticketNumber)}:${String(d.field)}`;
      conflictValues.set(key, [...(conflictValues.get(key) ?? []), d.kept, d.lost]);
    }
    let lostEdits = 0;
    for (const e of edits) {
      const final = server.get(e.number)?.[e.field];
      const recorded = conflictValues.get(`${e.number}:${e.field}`) ?? [];
      if (
        final !== e.value &&
        !recorded.some((v) => JSON.stringify(v) === JSON.stringify(e.value))
      ) {
        lostEdits += 1;
        if (lostEdits <= 5)
          problems.push(
            `edit lost: ${e.number}.${e.field} = ${JSON.stringify(e.value)} (final ${JSON.stringify(final)}, recorded ${JSON.stringify(recorded)})`,
          );
      }
    }
    const rejected = (await Promise.all(clients.map((c) => c.rejections()))).flat();
    for (const r of rejected) problems.push(`refused by the server: ${r.docId}: ${r.reason}`);
    return {
      scenario: 'conflict-storm',
      iterations: 1,
      failures: problems.length,
      lost: lostNotes + lostEdits,
      duplicated,
      seeds: [o.seed],
      notes: [
        `${clientsN} devices × ${targets.length} tickets: ${edits.length} field edits, ${notes.length} notes`,
        ...problems,
      ],
    };
  } finally {
    for (const c of clients) await c.close().catch(() => undefined);
    await desk.stop();
  }
}

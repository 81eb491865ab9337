/**
 * kill -9 of the server engine during live replication, again and again, while a client edits
 * and another writer changes tickets over HTTP: the client recovers by itself and converges.
 */
import { startTestDesk, PREFIX } from '../../support/desk-server';
import { startRemoteClient } from '../../support/remote-client';
import { eventually } from '../../support/eventually';
import { serverDocs } from '../../support/replica-checks';
import { createRng } from '../../../server/src/provision/random';
import type { ScenarioOptions, ScenarioResult } from '../types';

export async function serverKill(o: ScenarioOptions): Promise<ScenarioResult> {
  const rng = createRng(o.seed);
  const kills = o.quick ? 2 : 10;
  const desk = await startTestDesk({ tickets: o.quick ? 150 : 1000 });
  const client = await startRemoteClient(desk.url, 'alice');
  const notes: string[] = [];
  const problems: string[] = [];
  try {
    const server0 = await serverDocs(desk, 'tickets');
    await eventually(
      async () => {
        if ((await client.localDocs('tickets')).size !== server0.size) throw new Error('pulling');
      },
      { timeoutMs: 120_000 },
    );
    const open = [...server0.entries()]
      .filter(([, t]) => t.kind === 'incident' && t.state === 'in-progress')
      .map(([n]) => n);
    const titles = new Map<string, string>();
    for (let k = 0; k < kills; k++) {
      for (let i = 0; i < 10; i++) {
        const n = rng.pick(open);
        const title = `kill ${k} edit ${i}`;
        await client.updateTicket(n, { title }, 'alice');
        titles.set(n, title);
        const body = `kill ${k} note ${i}`;
        await client.addActivity({
          ticketNumber: n,
          type: 'work-note',
          by: 'alice',
          body,
          data: {},
        });
        notes.push(body);
      }
      const pid = desk.server.enginePid();
      // The fault must fire: no engine to kill is a failure, not a quiet pass.
      if (pid === undefined) problems.push(`kill ${k}: no engine pid to kill`);
      else process.kill(pid, 'SIGKILL');
      // Someone else writes while the engine comes back (retrying through the 503s).
      const other = rng.pick(open.filter((n) => !titles.has(n)));
      await eventually(
        async () => {
          const t = await desk.admin.request<Record<string, unknown>>(
            'GET',
            `/${PREFIX}tickets/${other}`,
          );
          await desk.admin.request('PUT', `/${PREFIX}tickets/${other}`, {
            ...t,
            description: `written after kill ${k}`,
            updatedAt: new Date().toISOString(),
            updatedBy: 'ben',
          });
        },
        { timeoutMs: 30_000, intervalMs: 200 },
      );
      await new Promise((r) => setTimeout(r, rng.int(200, 1500)));
    }
    await eventually(
      async () => {
        await client.settled(5_000);
        const server = await serverDocs(desk, 'tickets');
        const local = await client.localDocs('tickets');
        for (const [id, doc] of server)
          if (JSON.stringify(local.get(id)) !== JSON.stringify(doc)) {
            const l = local.get(id) ?? {};
            const fields = Object.keys({ ...l, ...doc }).filter(
              (k) => JSON.stringify(l[k]) !== JSON.stringify(doc[k]),
            );
            throw new Error(
              `differs: ${id}: ${fields.map((f) => `${f}: local ${JSON.stringify(l[f])} server ${JSON.stringify(doc[f])}`).join('; ')}`,
            );
          }
      },
      { timeoutMs: 120_000, intervalMs: 1_000 },
    );
    const server = await serverDocs(desk, 'tickets');
    let lost = 0;
    for (const [n, title] of titles) if (server.get(n)?.title !== title) lost += 1;
    const bodies = [...(await serverDocs(desk, 'activity')).values()].map((a) => a.body);
    lost += notes.filter((b) => !bodies.includes(b)).length;
    const duplicated = notes.filter((b) => bodies.filter((x) => x === b).length > 1).length;
    for (const r of await client.rejections()) problems.push(`refused: ${r.docId}: ${r.reason}`);
    // Every kill took the engine down and it came back (the gateway counts the restarts).
    if (desk.server.engineRestarts() < kills)
      problems.push(`${kills} kills but ${desk.server.engineRestarts()} engine restarts`);
    return {
      scenario: 'server-kill',
      iterations: kills,
      failures: problems.length,
      lost,
      duplicated,
      seeds: [o.seed],
      notes: [`engine restarts: ${desk.server.engineRestarts()}`, ...problems],
    };
  } finally {
    await client.close();
    await desk.stop();
  }
}

/**
 * A client syncs through a proxy that drops, stalls and truncates connections while it edits
 * tickets and adds notes and the server changes other tickets; when the network calms down, the
 * replica equals the server and nothing is lost or duplicated.
 */
import { startTestDesk } from '../../support/desk-server';
import { startChaosProxy } from '../../support/chaos-proxy';
import { startRemoteClient } from '../../support/remote-client';
import { eventually } from '../../support/eventually';
import { serverDocs } from '../../support/replica-checks';
import { createRng } from '../../../server/src/provision/random';
import { PREFIX } from '../../support/desk-server';
import type { ScenarioOptions, ScenarioResult } from '../types';

export async function networkChaos(o: ScenarioOptions): Promise<ScenarioResult> {
  const rng = createRng(o.seed);
  const desk = await startTestDesk({ tickets: o.quick ? 150 : 1000 });
  const proxy = await startChaosProxy(desk.server.port, {
    seed: o.seed,
    drop: 0.15,
    stall: 0.1,
    stallMs: 3000,
    truncate: 0.25,
  });
  const client = await startRemoteClient(proxy.url, 'alice').catch(async (err: unknown) => {
    // Signing in itself may hit the chaos: retry once on a calm network.
    proxy.setCalm(true);
    const c = await startRemoteClient(proxy.url, 'alice');
    proxy.setCalm(false);
    if (!c) throw err;
    return c;
  });
  const problems: string[] = [];
  const notes: string[] = [];
  const edits = new Map<string, string>();
  try {
    const server0 = await serverDocs(desk, 'tickets');
    const open = [...server0.entries()]
      .filter(([, t]) => t.kind === 'incident' && t.state === 'in-progress')
      .map(([n]) => n);
    // Connections are kept alive, so a quick run opens few: it goes on (up to five times as
    // long) until each kind of fault has fired at least once.
    const planned = o.quick ? 20 : 150;
    const fired = () =>
      proxy.stats.dropped > 0 && proxy.stats.stalled > 0 && proxy.stats.truncated > 0;
    let rounds = 0;
    for (let i = 0; i < planned || (!fired() && i < planned * 5); i++, rounds++) {
      const n = rng.pick(open);
      const title = `chaos edit ${i}`;
      try {
        await client.updateTicket(n, { title }, 'alice');
        edits.set(n, title);
      } catch (err) {
        // Not in the replica yet (the pull is still fighting the network): try another later.
        if (!String(err).includes('not in this replica')) throw err;
      }
      const body = `chaos note ${i}`;
      await client.addActivity({ ticketNumber: n, type: 'work-note', by: 'alice', body, data: {} });
      notes.push(body);
      if (rng.chance(0.3)) {
        const other = rng.pick(open);
        const t = await desk.admin.request<Record<string, unknown>>(
          'GET',
          `/${PREFIX}tickets/${other}`,
        );
        if (!edits.has(other))
          await desk.admin.request('PUT', `/${PREFIX}tickets/${other}`, {
            ...t,
            description: `server edit ${i}`,
            updatedAt: new Date().toISOString(),
            updatedBy: 'ben',
          });
      }
      await new Promise((r) => setTimeout(r, rng.int(5, 60)));
      // Past the planned rounds with a fault still unfired: a blip makes the client reconnect.
      if (i >= planned && i % 10 === 9 && !fired()) proxy.blip();
    }
    proxy.setCalm(true);
    await client.syncNow();
    await eventually(
      async () => {
        await client.settled(5_000);
        const server = await serverDocs(desk, 'tickets');
        const local = await client.localDocs('tickets');
        if (local.size !== server.size)
          throw new Error(`replica ${local.size} ≠ server ${server.size}`);
        for (const [id, doc] of server)
          if (JSON.stringify(local.get(id)) !== JSON.stringify(doc))
            throw new Error(`differs: ${id}`);
      },
      { timeoutMs: 120_000, intervalMs: 1_000 },
    );
    const server = await serverDocs(desk, 'tickets');
    let lost = 0;
    for (const [n, title] of edits) if (server.get(n)?.title !== title) lost += 1;
    const bodies = [...(await serverDocs(desk, 'activity')).values()].map((a) => a.body);
    lost += notes.filter((b) => !bodies.includes(b)).length;
    const duplicated = notes.filter((b) => bodies.filter((x) => x === b).length > 1).length;
    // The faults fired while the client worked (the proxy counts only before it calmed down).
    const { dropped, stalled, truncated } = proxy.stats;
    if (!fired())
      problems.push(
        `chaos did not fire: ${dropped} dropped, ${stalled} stalled, ${truncated} truncated`,
      );
    const rejected = await client.rejections();
    for (const r of rejected) problems.push(`refused: ${r.docId}: ${r.reason}`);
    return {
      scenario: 'network-chaos',
      iterations: rounds,
      failures: problems.length,
      lost,
      duplicated,
      seeds: [o.seed],
      notes: [
        `${proxy.stats.connections} connections: ${proxy.stats.dropped} dropped, ${proxy.stats.stalled} stalled, ${proxy.stats.truncated} truncated, ${proxy.stats.blips} blips`,
        ...problems,
      ],
    };
  } finally {
    await client.close();
    await proxy.close();
    await desk.stop();
  }
}

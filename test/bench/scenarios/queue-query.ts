/**
 * queue-query: filter + sort + count of every built-in queue view and a free-text search over N
 * local tickets, through the product's in-memory queue index, against the anchor of a plain
 * filter-and-sort over the same array. In-process (Node): the index is pure code, the same
 * module the renderer runs.
 */
import {
  BUILT_IN_VIEWS,
  compareTickets,
  compileFilter,
  QueueIndex,
  type QueueContext,
  type QueueView,
} from '../../../shared/queue';
import type { Ticket } from '../../../shared/domain';
import { demoTicketsForBench } from '../support/tickets';
import type { BenchOptions, Figure, Scenario } from '../types';
import { percentile, time } from '../support/stats';
import { DEFAULT_SLA_CONFIG } from '../../../server/src/provision/sla-defaults';

function run(o: BenchOptions): Promise<Figure[]> {
  return Promise.resolve(measure(o));
}

function measure(o: BenchOptions): Figure[] {
  const now = Date.now();
  const tickets = demoTicketsForBench(o.tickets, now);
  const ctx: QueueContext = {
    me: 'alice',
    groupIds: ['group:service-desk', 'group:desktop'],
    now,
    sla: DEFAULT_SLA_CONFIG,
  };
  const idx = new QueueIndex();
  const loadMs = time(() => idx.load(tickets));
  const figures: Figure[] = [
    { name: `index load (${o.tickets} tickets)`, value: loadMs, unit: 'ms' },
  ];
  const reps = o.quick ? 5 : 20;
  const views: QueueView[] = [
    ...BUILT_IN_VIEWS,
    {
      id: 'search',
      name: 'Free-text search',
      filter: { text: 'printer offline' },
      sort: { field: 'updatedAt', dir: 'desc' },
    },
  ];
  const pool = tickets.slice(0, 1000);
  for (const v of views) {
    const first = time(() => idx.count(v, ctx));
    // Warm: after each incoming change (an update arriving from sync), read the top 50 + count.
    const warm: number[] = [];
    for (let i = 0; i < reps; i++) {
      const t = pool[i % pool.length]!;
      idx.apply({ ...t, updatedAt: new Date(now + i * 1000).toISOString(), assigneeId: 'alice' });
      warm.push(time(() => [idx.rows(v, ctx).slice(0, 50), idx.count(v, ctx)]));
    }
    const anchor: number[] = [];
    for (let i = 0; i < Math.min(reps, 5); i++)
      anchor.push(
        time(() => {
          const rows = tickets.filter(compileFilter(v.filter, ctx)).sort(compareTickets(v.sort));
          return [rows.slice(0, 50), rows.length];
        }),
      );
    figures.push(
      {
        name: `${v.name}: first query (filter+sort+count)`,
        value: first,
        unit: 'ms',
        target: '< 50 p95',
      },
      {
        name: `${v.name}: p95 after a change`,
        value: percentile(warm, 95),
        unit: 'ms',
        anchor: { name: 'plain filter+sort', value: percentile(anchor, 50) },
        target: '< 50',
      },
    );
  }
  // Free text typed by a user: a different query every keystroke (never cached).
  const typed = ['p', 'pr', 'pri', 'prin', 'print', 'printe', 'printer'];
  const search: number[] = typed.map((q) =>
    time(() =>
      idx.count(
        { id: 'q', name: 'q', filter: { text: q }, sort: { field: 'updatedAt', dir: 'desc' } },
        ctx,
      ),
    ),
  );
  figures.push({
    name: 'free-text search per keystroke p95',
    value: percentile(search, 95),
    unit: 'ms',
    target: '< 50',
  });
  return figures;
}

export const queueQuery: Scenario = { name: 'queue-query', run };
export type { Ticket };

/**
 * wallboard: every tile over N local tickets, through the product's wallboard computation
 * (shared/wallboard, the modules the renderer's wallboard store runs). A full refresh (cold: the
 * relevant subset built from every ticket, no SLA reading reused) and an incremental update (one
 * ticket changed and applied to the subset, the SLA memo warm), against the anchor of a plain
 * evaluation of every open ticket's SLA — the work a naive board does per refresh.
 */
import {
  computeWallboard,
  SlaMemo,
  WallboardSubset,
  wallboardCutoff,
} from '../../../shared/wallboard';
import { evaluateSla, isDoneState } from '../../../shared/domain';
import { demoTicketsForBench } from '../support/tickets';
import type { BenchOptions, Figure, Scenario } from '../types';
import { percentile, time } from '../support/stats';
import { DEFAULT_SLA_CONFIG } from '../../../server/src/provision/sla-defaults';

function measure(o: BenchOptions): Figure[] {
  const now = Date.now();
  const tickets = demoTicketsForBench(o.tickets, now);
  const dayStart = new Date(now).setHours(0, 0, 0, 0);
  const opts = {
    dayStartMs: dayStart,
    online: ['alice', 'ben'],
    limit: 12,
    slaConfig: DEFAULT_SLA_CONFIG,
  };
  const reps = o.quick ? 3 : 10;

  const cutoff = wallboardCutoff(now, dayStart);
  // Full refresh: subset and memo built from scratch (what a newly opened board does).
  const full: number[] = [];
  for (let i = 0; i < reps; i++) {
    const memo = new SlaMemo(DEFAULT_SLA_CONFIG);
    full.push(
      time(() => {
        const subset = new WallboardSubset();
        subset.load(tickets, cutoff);
        return computeWallboard(subset.tickets(), { ...opts, now, slaOf: memo.at(now) });
      }),
    );
  }
  // Incremental: one ticket changes (a sync arriving) and the board is recomputed.
  const memo = new SlaMemo(DEFAULT_SLA_CONFIG);
  const subset = new WallboardSubset();
  subset.load(tickets, cutoff);
  computeWallboard(subset.tickets(), { ...opts, now, slaOf: memo.at(now) });
  const incremental: number[] = [];
  for (let i = 0; i < reps * 3; i++) {
    const t = tickets[(i * 7919) % tickets.length]!;
    const changed = { ...t, updatedAt: new Date(now + i).toISOString(), assigneeId: 'alice' };
    const at = now + i * 1000;
    incremental.push(
      time(() => {
        subset.apply(changed, wallboardCutoff(at, dayStart));
        return computeWallboard(subset.tickets(), { ...opts, now: at, slaOf: memo.at(at) });
      }),
    );
  }
  const anchor: number[] = [];
  for (let i = 0; i < Math.min(reps, 3); i++)
    anchor.push(
      time(() => {
        for (const t of tickets)
          if (!isDoneState(t.kind, t.state)) evaluateSla(t, now, DEFAULT_SLA_CONFIG);
      }),
    );
  return [
    {
      name: `full refresh of every tile (${o.tickets} tickets) p50`,
      value: percentile(full, 50),
      unit: 'ms',
      anchor: { name: 'evaluateSla of every open ticket', value: percentile(anchor, 50) },
      target: '< 200',
    },
    {
      name: 'incremental update after one change p50',
      value: percentile(incremental, 50),
      unit: 'ms',
      target: '< 50',
    },
    {
      name: 'incremental update after one change p95',
      value: percentile(incremental, 95),
      unit: 'ms',
      anchor: { name: 'evaluateSla of every open ticket', value: percentile(anchor, 50) },
      target: '< 50',
    },
  ];
}

export const wallboard: Scenario = { name: 'wallboard', run: (o) => Promise.resolve(measure(o)) };

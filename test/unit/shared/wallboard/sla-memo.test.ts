import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { evaluateSla, type Priority, type Ticket } from '../../../../shared/domain';
import {
  SlaMemo,
  WallboardSubset,
  computeWallboard,
  wallboardCutoff,
} from '../../../../shared/wallboard';
import { incident } from '../domain/fixtures';
import { DEFAULT_SLA_CONFIG } from '../../../../server/src/provision/sla-defaults';

const T0 = Date.parse('2026-03-02T09:00:00.000Z');
const MIN = 60_000;

function ticket(priority: Priority, createdMinAgo: number, now: number): Ticket {
  const t = incident();
  return { ...t, priority, createdAt: new Date(now - createdMinAgo * MIN).toISOString() };
}

describe('SLA memo', () => {
  it('gives the same statuses as a fresh evaluation at any later time', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<Priority>(1, 2, 3, 4, 5),
        fc.integer({ min: 0, max: 20_000 }),
        fc.array(fc.integer({ min: 0, max: 5 * 24 * 60 }), { minLength: 1, maxLength: 6 }),
        (priority, createdMinAgo, steps) => {
          const t = ticket(priority, createdMinAgo, T0);
          const memo = new SlaMemo(DEFAULT_SLA_CONFIG);
          let now = T0;
          for (const s of steps) {
            now += s * MIN;
            const got = memo.at(now)(t);
            const want = evaluateSla(t, now, DEFAULT_SLA_CONFIG);
            expect(got?.response.status).toBe(want?.response.status);
            expect(got?.resolution.status).toBe(want?.resolution.status);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('reuses readings between crossings, so a second refresh computes almost nothing', () => {
    const tickets = Array.from({ length: 200 }, (_, i) =>
      ticket(((i % 5) + 1) as Priority, i * 7, T0),
    );
    const memo = new SlaMemo(DEFAULT_SLA_CONFIG);
    const opts = {
      now: T0,
      dayStartMs: T0 - 9 * 60 * MIN,
      online: [],
      limit: 10,
      slaConfig: DEFAULT_SLA_CONFIG,
    };
    const first = computeWallboard(tickets, { ...opts, slaOf: memo.at(T0) });
    const computedFirst = memo.computed;
    const again = computeWallboard(tickets, { ...opts, now: T0 + 1000, slaOf: memo.at(T0 + 1000) });
    expect(memo.computed - computedFirst).toBeLessThan(computedFirst / 10 + 1);
    expect(again.compliance.now.overall).toEqual(first.compliance.now.overall);
    expect(again.breached.total).toBe(first.breached.total);
    // And the memo agrees with a plain evaluation.
    const plain = computeWallboard(tickets, { ...opts, now: T0 + 1000 });
    expect(again.compliance).toEqual(plain.compliance);
    expect(again.atRisk.total).toBe(plain.atRisk.total);
  });
});

describe('wallboard subset', () => {
  it('computes exactly the same board as the whole replica, before and after changes', async () => {
    const { demoTicketsForBench } = await import('../../../bench/support/tickets');
    const now = Date.now();
    const dayStartMs = new Date(now).setHours(0, 0, 0, 0);
    const all = demoTicketsForBench(5000, now);
    const subset = new WallboardSubset();
    subset.load(all, wallboardCutoff(now, dayStartMs));
    expect(subset.size).toBeLessThan(all.length);
    const opts = { now, dayStartMs, online: ['alice'], limit: 12, slaConfig: DEFAULT_SLA_CONFIG };
    expect(computeWallboard(subset.tickets(), opts)).toEqual(computeWallboard(all, opts));
    // Changes: one old ticket reopened, one resolved now, one removed.
    const list = [...all];
    const done = list.findIndex((t) => t.state === 'closed');
    const open = list.findIndex((t) => t.state === 'in-progress');
    list[done] = { ...list[done]!, state: 'in-progress', updatedAt: new Date(now).toISOString() };
    list[open] = {
      ...list[open]!,
      state: 'resolved',
      sla: { ...list[open]!.sla, resolvedAt: new Date(now - 1000).toISOString() },
    };
    const gone = list.pop()!;
    const cutoff = wallboardCutoff(now, dayStartMs);
    subset.apply(list[done], cutoff);
    subset.apply(list[open], cutoff);
    subset.apply({ removed: gone.number }, cutoff);
    expect(computeWallboard(subset.tickets(), opts)).toEqual(computeWallboard(list, opts));
  });
});

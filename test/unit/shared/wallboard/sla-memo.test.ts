import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { evaluateSla, type Priority, type Ticket } from '../../../../shared/domain';
import { SlaMemo, computeWallboard } from '../../../../shared/wallboard';
import { incident } from '../domain/fixtures';

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
          const memo = new SlaMemo();
          let now = T0;
          for (const s of steps) {
            now += s * MIN;
            const got = memo.at(now)(t);
            const want = evaluateSla(t, now);
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
    const memo = new SlaMemo();
    const opts = { now: T0, dayStartMs: T0 - 9 * 60 * MIN, online: [], limit: 10 };
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

import { describe, expect, it } from 'vitest';
import { createRng } from '../../../server/src/provision/random';
import { demoDirectory, DEMO_STAFF } from '../../../server/src/provision/demo-directory';
import { demoTickets } from '../../../server/src/provision/demo-tickets';
import { demoDesk, weeklyAnchor } from '../../../server/src/provision/seed';

describe('demo desk', () => {
  it.each([1, 2, 20260301])('seed %i: 5,000 valid tickets with the real desk’s shape', (seed) => {
    const rng = createRng(seed);
    const dir = demoDirectory(rng);
    const tickets = demoTickets(rng, {
      count: 5000,
      days: 90,
      now: Date.UTC(2026, 10, 25),
      agents: dir.agents,
      callers: dir.callers,
      cis: dir.cis,
      kb: dir.kb,
    });
    expect(tickets).toHaveLength(5000);
    expect(new Set(tickets.map((t) => t.number)).size).toBe(5000);
    const p3 = tickets.filter((t) => t.priority === 3).length / tickets.length;
    expect(p3).toBeGreaterThan(0.9);
    const open = tickets.filter(
      (t) => !['closed', 'fulfilled', 'resolved'].includes(String(t.state)),
    );
    expect(open.length).toBeGreaterThan(100);
    expect(
      dir.docs.filter((d) => d.type === 'person' && d.staff === true).length,
    ).toBeGreaterThanOrEqual(30 + DEMO_STAFF.length - 5);
  });
});

describe('demo desk timeline', () => {
  it('puts every timestamp in the past, in order', () => {
    const now = Date.UTC(2026, 10, 25);
    const rng = createRng(9);
    const dir = demoDirectory(rng);
    for (const t of demoTickets(rng, {
      count: 3000,
      days: 90,
      now,
      agents: dir.agents,
      callers: dir.callers,
      cis: dir.cis,
      kb: dir.kb,
    })) {
      const sla = t.sla as {
        respondedAt: string | null;
        resolvedAt: string | null;
        pauses: { from: string }[];
      };
      const times = [
        t.createdAt,
        t.updatedAt,
        sla.respondedAt,
        sla.resolvedAt,
        ...sla.pauses.map((p) => p.from),
      ]
        .filter((x): x is string => typeof x === 'string')
        .map((x) => Date.parse(x));
      for (const x of times) expect(x).toBeLessThanOrEqual(now);
      expect(Date.parse(String(t.updatedAt))).toBeGreaterThanOrEqual(
        Date.parse(String(t.createdAt)),
      );
      // Responded no earlier than created and no later than resolved (the server's SLA rules
      // refuse an edit of a ticket whose clock runs ahead of it).
      if (sla.respondedAt !== null) {
        expect(sla.respondedAt >= String(t.createdAt)).toBe(true);
        if (sla.resolvedAt !== null) expect(sla.respondedAt <= sla.resolvedAt).toBe(true);
      }
    }
  });
});

describe('demo work orders', () => {
  it('puts about 3% field work orders under real parents, assigned to technicians', () => {
    const rng = createRng(3);
    const dir = demoDirectory(rng);
    expect(dir.technicians).toContain('tara');
    const tickets = demoTickets(rng, {
      count: 2000,
      days: 30,
      now: Date.UTC(2026, 10, 25),
      agents: dir.agents,
      technicians: dir.technicians,
      callers: dir.callers,
      cis: dir.cis,
      kb: dir.kb,
    });
    expect(tickets).toHaveLength(2000);
    const numbers = new Set(tickets.map((t) => t.number));
    const wos = tickets.filter((t) => t.kind === 'workorder');
    expect(wos).toHaveLength(60);
    for (const wo of wos) {
      expect(numbers.has(String(wo.parentNumber))).toBe(true);
      if (wo.state !== 'new') expect(dir.technicians).toContain(wo.assigneeId);
    }
    expect(wos.filter((w) => w.assigneeId === 'tara').length).toBeGreaterThan(10);
  });
});

describe('demo desk for tests (sameEveryDay)', () => {
  const on = (now: number) =>
    demoDesk({ tickets: 300, days: 30, seed: 7, now, sameEveryDay: true }).tickets;
  const DAY = 24 * 3600_000;
  it('holds the same tickets in the same states on every day, with times up to now', () => {
    const monday = Date.UTC(2026, 11, 7, 23, 15);
    for (const now of [monday, monday + 1 * DAY + 5 * 3600_000, monday + 4 * DAY]) {
      const a = on(monday);
      const b = on(now);
      expect(b.map((t) => [t.kind, t.state, t.groupId, t.assigneeId, t.title])).toEqual(
        a.map((t) => [t.kind, t.state, t.groupId, t.assigneeId, t.title]),
      );
      // Every time moved by the same amount, and none of them after `now`.
      for (const [i, t] of b.entries()) {
        expect(Date.parse(String(t.createdAt)) - Date.parse(String(a[i]!.createdAt))).toBe(
          now - monday,
        );
        expect(Date.parse(String(t.updatedAt))).toBeLessThanOrEqual(now);
      }
    }
  });
  it('moves times only when asked: without it the desk is generated around now', () => {
    const now = Date.UTC(2026, 11, 9, 10);
    const plain = demoDesk({ tickets: 50, days: 30, seed: 7, now }).tickets;
    expect(Math.max(...plain.map((t) => Date.parse(String(t.createdAt))))).toBeLessThan(now);
    expect(weeklyAnchor(now)).toBe(now); // a Wednesday, 10:00 UTC, is its own anchor
    expect(weeklyAnchor(now - 1)).toBe(now - 7 * DAY);
  });
});

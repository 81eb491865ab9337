import { describe, expect, it } from 'vitest';
import { createRng } from '../../../server/src/provision/random';
import { demoDirectory, DEMO_STAFF } from '../../../server/src/provision/demo-directory';
import { demoTickets } from '../../../server/src/provision/demo-tickets';

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

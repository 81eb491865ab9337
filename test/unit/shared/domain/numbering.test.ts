import { describe, expect, it } from 'vitest';
import { newTicketNumber, parseTicketNumber, TICKET_KINDS } from '../../../../shared/domain';

function seeded(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('offline ticket numbers', () => {
  it('are readable, prefixed per kind and parse back strictly', () => {
    for (const kind of TICKET_KINDS) {
      const n = newTicketNumber(kind, {
        now: Date.UTC(2026, 2, 2),
        deviceId: 'dev-1',
        random: () => 0.5,
      });
      expect(n).toMatch(/^(INC|REQ|PRB|CHG|WO)-[0-9A-HJKMNP-TV-Z]{12}$/);
      expect(parseTicketNumber(n)).toEqual({ ok: true, kind, number: n });
    }
    for (const bad of [
      '',
      'INC-',
      'INC-0000000000O0',
      'XYZ-000000000000',
      'INC-000000000000/../x',
      'javascript:alert(1)',
    ]) {
      expect(parseTicketNumber(bad).ok).toBe(false);
    }
  });

  it('sort by creation time', () => {
    const a = newTicketNumber('incident', {
      now: Date.UTC(2026, 0, 1),
      deviceId: 'z',
      random: () => 0.99,
    });
    const b = newTicketNumber('incident', {
      now: Date.UTC(2026, 0, 2),
      deviceId: 'a',
      random: () => 0,
    });
    expect(a < b).toBe(true);
  });

  it('never collide in 10^6 ids from 100 devices over a busy day (with local re-draw)', () => {
    const rnd = seeded(42);
    const seen = new Set<string>();
    const start = Date.UTC(2026, 2, 2, 8);
    let redraws = 0;
    for (let d = 0; d < 100; d++) {
      const local = new Set<string>();
      for (let i = 0; i < 10_000; i++) {
        // 10,000 tickets per device in 8 hours: several per second at peak.
        const now = start + Math.floor(rnd() * 8 * 3600 * 1000);
        let n = newTicketNumber('incident', { now, deviceId: `device-${d}`, random: rnd });
        while (local.has(n)) {
          redraws++;
          n = newTicketNumber('incident', { now, deviceId: `device-${d}`, random: rnd });
        }
        local.add(n);
        if (seen.has(n)) throw new Error(`collision across devices: ${n}`);
        seen.add(n);
      }
    }
    expect(seen.size).toBe(1_000_000);
    expect(redraws).toBeLessThan(100);
  }, 60_000);
});

/**
 * What the merge does with the SLA record and the edit stamp, and how it compares values.
 * Written to kill the mutants the mutation check (test/mutation) found surviving in
 * shared/domain/merge.ts.
 */
import { describe, expect, it } from 'vitest';
import { mergeTicket, stableJson, type Ticket } from '../../../../shared/domain';
import { incident } from './fixtures';

const at = (m: number) => `2026-03-02T10:${String(m).padStart(2, '0')}:00.000Z`;
const edit = (t: Ticket, patch: Partial<Ticket>, m: number, by = 'alice'): Ticket => ({
  ...t,
  ...patch,
  updatedAt: at(m),
  updatedBy: by,
});
const both = (base: Ticket, a: Ticket, b: Ticket) => [
  mergeTicket(base, a, b).merged,
  mergeTicket(base, b, a).merged,
];

describe('merge: SLA record and edit stamp', () => {
  const base = incident();

  it('keeps the earliest response time, from either side', () => {
    const a = edit(base, { sla: { ...base.sla, respondedAt: at(1) } }, 5);
    const b = edit(base, { sla: { ...base.sla, respondedAt: at(3) } }, 6, 'ben');
    for (const m of both(base, a, b)) expect(m.sla.respondedAt).toBe(at(1));
  });

  it('keeps the resolution time of the side whose state wins, wherever it came from', () => {
    const resolved = edit(
      base,
      {
        state: 'resolved',
        resolution: { code: 'fixed', notes: 'Replaced the cable.' },
        sla: { ...base.sla, respondedAt: at(1), resolvedAt: at(2) },
      },
      2,
    );
    const retitled = edit(base, { title: 'VPN drops at HQ' }, 4, 'ben');
    for (const m of both(base, resolved, retitled)) {
      expect(m.state).toBe('resolved');
      expect(m.title).toBe('VPN drops at HQ');
      expect(m.sla.resolvedAt).toBe(at(2));
    }
  });

  it('stamps the later edit; at the same instant, the name last in alphabetical order', () => {
    const a = edit(base, { title: 'A' }, 7, 'alice');
    const b = edit(base, { description: 'B' }, 7, 'ben');
    for (const m of both(base, a, b)) expect([m.updatedAt, m.updatedBy]).toEqual([at(7), 'ben']);
  });

  it('two devices editing the same fields at the same instant end with the same document', () => {
    // Same millisecond on both clocks: no later edit to prefer, yet both devices, each merging
    // the other's version into its own, must show the same ticket and report the same loss.
    const resolution = { code: 'fixed', notes: 'Replaced the cable.' };
    const started = edit(base, { state: 'in-progress' }, 1);
    const a = edit(
      started,
      { title: 'VPN drops at HQ', impact: 1, state: 'resolved', resolution },
      7,
    );
    const b = edit(
      started,
      {
        title: 'VPN drops on floor 2',
        impact: 3,
        state: 'on-hold',
        onHoldReason: 'awaiting-caller',
      },
      7,
      'ben',
    );
    const onA = mergeTicket(started, a, b);
    const onB = mergeTicket(started, b, a);
    expect(onB.merged).toEqual(onA.merged);
    const outcome = (r: typeof onA) =>
      r.conflicts.map((c) => [c.field, c.kept === 'local' ? c.local : c.remote, c.lostValue]);
    expect(outcome(onA).map(([f]) => f)).toEqual(['title', 'impact', 'state']);
    expect(outcome(onB)).toEqual(outcome(onA));
    expect(['VPN drops at HQ', 'VPN drops on floor 2']).toContain(onA.merged.title);
    expect([1, 3]).toContain(onA.merged.impact);
    expect(['resolved', 'on-hold']).toContain(onA.merged.state);
  });

  it('compares objects by content, whatever the order of their keys', () => {
    expect(stableJson({ a: 1, b: { c: 2, d: 3 } })).toBe(stableJson({ b: { d: 3, c: 2 }, a: 1 }));
    // Both sides resolved the same way, the resolution's keys written in another order: no
    // conflict, nothing lost.
    const resolved = (resolution: Ticket['resolution'], m: number, by: string) =>
      edit(base, { state: 'resolved', resolution, sla: { ...base.sla, resolvedAt: at(m) } }, m, by);
    const a = resolved({ code: 'fixed', notes: 'Reset' }, 3, 'alice');
    const b = resolved({ notes: 'Reset', code: 'fixed' }, 4, 'ben');
    expect(mergeTicket(base, a, b).conflicts).toEqual([]);
  });
});

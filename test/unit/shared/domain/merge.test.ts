import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { conflictActivity, mergeTicket, type Ticket } from '../../../../shared/domain';
import { incident } from './fixtures';

const at = (m: number) => `2026-03-02T10:${String(m).padStart(2, '0')}:00.000Z`;
const edit = (t: Ticket, patch: Partial<Ticket>, m: number, by = 'alice'): Ticket => ({
  ...t,
  ...patch,
  updatedAt: at(m),
  updatedBy: by,
});

describe('three-way ticket merge', () => {
  const base = incident();
  it('takes each side’s own changes without conflict', () => {
    const local = edit(base, { title: 'VPN drops at HQ' }, 1);
    const remote = edit(base, { assigneeId: 'ben' }, 2, 'ben');
    const { merged, conflicts } = mergeTicket(base, local, remote);
    expect(merged).toMatchObject({ title: 'VPN drops at HQ', assigneeId: 'ben', updatedAt: at(2) });
    expect(conflicts).toEqual([]);
  });

  it('lets the later edit win a real conflict and records the lost value', () => {
    const local = edit(base, { impact: 1 }, 5);
    const remote = edit(base, { impact: 3 }, 3, 'ben');
    const { merged, conflicts } = mergeTicket(base, local, remote);
    expect(merged.impact).toBe(1);
    expect(merged.priority).toBe(2);
    expect(conflicts).toEqual([
      { field: 'impact', base: 2, local: 1, remote: 3, kept: 'local', lostValue: 3 },
    ]);
    const records = conflictActivity(merged.number, conflicts, merged, 'alice');
    expect(records[0]).toMatchObject({
      type: 'conflict',
      data: { field: 'impact', kept: 1, lost: 3 },
    });
    expect(conflictActivity(merged.number, conflicts, merged, 'alice')[0]?.id).toBe(records[0]?.id);
  });

  it('merges links and SLA pauses by union', () => {
    const local = edit(base, { links: [{ kind: 'kb', id: 'kb:1' }] }, 1);
    const remote = edit(base, { links: [{ kind: 'ci', id: 'ci:2' }] }, 2);
    expect(mergeTicket(base, local, remote).merged.links).toHaveLength(2);
  });

  it('keeps a pause closed on either side closed, and every pause from both sides', () => {
    const open = { from: at(1), to: null };
    const local = edit(base, { sla: { ...base.sla, pauses: [open] } }, 1);
    const remote = edit(
      base,
      {
        sla: {
          ...base.sla,
          pauses: [
            { ...open, to: at(4) },
            { from: at(6), to: null },
          ],
        },
      },
      6,
      'ben',
    );
    const expected = [
      { from: at(1), to: at(4) },
      { from: at(6), to: null },
    ];
    expect(mergeTicket(base, local, remote).merged.sla.pauses).toEqual(expected);
    expect(mergeTicket(base, remote, local).merged.sla.pauses).toEqual(expected);
  });

  it('is deterministic and symmetric, keeps one-sided edits, and loses no link (property)', () => {
    let oneSided = 0;
    // The base's own values are among the choices, so one-sided edits (one side leaves a field
    // as it was) happen in about a third of the cases per field.
    const titles = fc.constantFrom(base.title, 'A', 'B');
    const levels = fc.constantFrom(1 as const, 2 as const, 3 as const);
    const side = fc.record({
      title: titles,
      impact: levels,
      assigneeId: fc.constantFrom(base.assigneeId, 'alice', 'ben'),
      // Ten minutes only, so both sides often edit at the same instant (the tie-break by value).
      minute: fc.integer({ min: 0, max: 9 }),
      link: fc.constantFrom('kb:1', 'kb:2', 'ci:3'),
    });
    fc.assert(
      fc.property(side, side, (l, r) => {
        const local = edit(
          base,
          {
            title: l.title,
            impact: l.impact,
            assigneeId: l.assigneeId,
            links: [{ kind: 'kb', id: l.link }],
          },
          l.minute,
          'alice',
        );
        const remote = edit(
          base,
          {
            title: r.title,
            impact: r.impact,
            assigneeId: r.assigneeId,
            links: [{ kind: 'kb', id: r.link }],
          },
          r.minute,
          'ben',
        );
        const a = mergeTicket(base, local, remote);
        const b = mergeTicket(base, remote, local);
        expect(a.merged).toEqual(b.merged);
        expect(a.merged.links.map((x) => x.id)).toEqual(expect.arrayContaining([l.link, r.link]));
        // Every field edit is either kept or recorded as lost; a one-sided edit is kept, with no
        // conflict; the same edit on both sides is kept, with no conflict.
        for (const [field, lv, rv] of [
          ['title', l.title, r.title],
          ['impact', l.impact, r.impact],
          ['assigneeId', l.assigneeId, r.assigneeId],
        ] as const) {
          const kept = a.merged[field];
          const c = a.conflicts.find((x) => x.field === field);
          const localChanged = lv !== base[field];
          const remoteChanged = rv !== base[field];
          if (lv === rv) {
            expect(kept).toBe(lv);
            expect(c).toBeUndefined();
          } else if (localChanged && remoteChanged) {
            expect([lv, rv]).toContain(kept);
            expect(c?.lostValue).toBe(kept === lv ? rv : lv);
          } else {
            oneSided += 1;
            expect(kept).toBe(localChanged ? lv : rv);
            expect(c).toBeUndefined();
          }
        }
      }),
      { numRuns: 300 },
    );
    expect(oneSided).toBeGreaterThan(100);
  });
});

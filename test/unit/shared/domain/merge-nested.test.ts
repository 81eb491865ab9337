import { describe, expect, it } from 'vitest';
import { mergeTicket, type Ticket } from '../../../../shared/domain';
import { incident } from './fixtures';

const base: Ticket = {
  ...incident(),
  kind: 'workorder',
  workorder: { fieldStatus: 'scheduled', site: 'HQ', contactId: null, scheduledFor: null },
};
const at = (t: string) => `2026-03-02T${t}:00.000Z`;

describe('merge of kind details', () => {
  it('merges work-order details key by key: both sides keep their own change', () => {
    const local = {
      ...base,
      workorder: { ...base.workorder!, fieldStatus: 'work-done' as const },
      updatedAt: at('10:00'),
    };
    const remote = {
      ...base,
      workorder: { ...base.workorder!, scheduledFor: at('15:00') },
      updatedAt: at('11:00'),
    };
    const r = mergeTicket(base, local, remote);
    expect(r.merged.workorder).toEqual({
      ...base.workorder,
      fieldStatus: 'work-done',
      scheduledFor: at('15:00'),
    });
    expect(r.conflicts).toEqual([]);
  });

  it('records a clash on one key, keeping the later side, and is symmetric', () => {
    const local = {
      ...base,
      workorder: { ...base.workorder!, site: 'HQ door E2' },
      updatedAt: at('10:00'),
    };
    const remote = {
      ...base,
      workorder: { ...base.workorder!, site: 'HQ side door' },
      updatedAt: at('11:00'),
    };
    const a = mergeTicket(base, local, remote);
    const b = mergeTicket(base, remote, local);
    expect(a.merged.workorder?.site).toBe('HQ side door');
    expect(b.merged.workorder?.site).toBe('HQ side door');
    expect(a.conflicts.map((c) => [c.field, c.lostValue])).toEqual([
      ['workorder.site', 'HQ door E2'],
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import { canMove, mergeTicket, type Ticket } from '../../../../shared/domain';
import { incident } from './fixtures';

const at = (m: number) => `2026-03-02T10:${String(m).padStart(2, '0')}:00.000Z`;
const moved = (t: Ticket, patch: Partial<Ticket>, m: number, by: string): Ticket => ({
  ...t,
  ...patch,
  updatedAt: at(m),
  updatedBy: by,
});

describe('state merges respect the state machine', () => {
  const base = moved(incident(), { state: 'in-progress' }, 0, 'alice');
  const resolved = moved(
    base,
    { state: 'closed', resolution: { code: 'fixed', notes: 'Replaced the cable.' } },
    3,
    'ben',
  );
  const onHold = moved(base, { state: 'on-hold', onHoldReason: 'awaiting-caller' }, 5, 'alice');

  it('keeps the state the other side can reach even when the unreachable one is later', () => {
    // closed → on-hold is impossible, on-hold → closed is impossible too: later edit wins.
    // So use resolved, which on-hold can reach but which cannot go back to on-hold.
    const r = moved(
      base,
      { state: 'resolved', resolution: { code: 'fixed', notes: 'Replaced the cable.' } },
      3,
      'ben',
    );
    expect(canMove('incident', 'resolved', 'on-hold')).toBe(false);
    expect(canMove('incident', 'on-hold', 'resolved')).toBe(true);
    for (const [local, remote] of [
      [onHold, r],
      [r, onHold],
    ] as const) {
      const { merged, conflicts } = mergeTicket(base, local, remote);
      expect(merged.state).toBe('resolved');
      expect(conflicts.find((c) => c.field === 'state')?.lostValue).toMatchObject({
        state: 'on-hold',
      });
    }
  });

  it('falls back to the later edit when neither side can reach the other', () => {
    expect(canMove('incident', 'closed', 'on-hold')).toBe(false);
    expect(canMove('incident', 'on-hold', 'closed')).toBe(false);
    const a = mergeTicket(base, onHold, resolved).merged;
    const b = mergeTicket(base, resolved, onHold).merged;
    expect(a.state).toBe('on-hold');
    expect(b).toEqual(a);
  });
});

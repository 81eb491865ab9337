import { describe, expect, it } from 'vitest';
import { mergeTicket, pathBetween, type Ticket } from '../../../../shared/domain';
import { incident } from './fixtures';

const at = (m: number) => `2026-03-02T10:${String(m).padStart(2, '0')}:00.000Z`;
const moved = (t: Ticket, patch: Partial<Ticket>, m: number, by: string): Ticket => ({
  ...t,
  ...patch,
  updatedAt: at(m),
  updatedBy: by,
});

// The server accepts a state reachable by valid moves (several moves made offline arrive as one
// write), so a merged state must be reachable from the other side's, as the server will judge it.
describe('state merges respect the state machine', () => {
  const base = moved(incident(), { state: 'in-progress' }, 0, 'alice');
  const resolution = { code: 'fixed', notes: 'Replaced the cable.' };
  const closed = moved(base, { state: 'closed', resolution }, 3, 'ben');
  const cancelled = moved(base, { state: 'cancelled' }, 4, 'ben');
  const onHold = moved(base, { state: 'on-hold', onHoldReason: 'awaiting-caller' }, 5, 'alice');

  it('keeps the state the other side can reach even when the unreachable one is later', () => {
    // on-hold → resolved → closed is a run of valid moves (the resolution is on the document);
    // nothing leaves closed.
    expect(pathBetween('incident', 'closed', 'on-hold', false)).toBeNull();
    expect(pathBetween('incident', 'on-hold', 'closed', true)?.map((s) => s.to)).toEqual([
      'resolved',
      'closed',
    ]);
    for (const [local, remote] of [
      [onHold, closed],
      [closed, onHold],
    ] as const) {
      const { merged, conflicts } = mergeTicket(base, local, remote);
      expect(merged.state).toBe('closed');
      expect(conflicts.find((c) => c.field === 'state')?.lostValue).toMatchObject({
        state: 'on-hold',
      });
    }
  });

  it('falls back to the later edit when neither side can reach the other', () => {
    expect(pathBetween('incident', 'closed', 'cancelled', false)).toBeNull();
    expect(pathBetween('incident', 'cancelled', 'closed', true)).toBeNull();
    const a = mergeTicket(base, closed, cancelled).merged;
    const b = mergeTicket(base, cancelled, closed).merged;
    expect(a.state).toBe('cancelled');
    expect(b).toEqual(a);
  });

  it('keeps the later state when both can reach each other', () => {
    const resolved = moved(base, { state: 'resolved', resolution }, 6, 'ben');
    expect(pathBetween('incident', 'resolved', 'on-hold', false)).not.toBeNull();
    expect(mergeTicket(base, onHold, resolved).merged.state).toBe('resolved');
    expect(mergeTicket(base, resolved, onHold).merged.state).toBe('resolved');
  });
});

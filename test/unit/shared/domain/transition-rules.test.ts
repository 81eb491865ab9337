/**
 * Transitions at their edges: what each move requires (refused as missing input, with the rule's
 * words), what the SLA record keeps across several moves, and that final states have no way
 * out. Written to kill the mutants the mutation check (test/mutation) found surviving in
 * shared/domain/state-machine.ts and transition.ts.
 */
import { describe, expect, it } from 'vitest';
import {
  pathBetween,
  rulesFrom,
  STATE_MACHINES,
  TICKET_KINDS,
  transition,
  type Ticket,
  type TransitionInput,
} from '../../../../shared/domain';
import { incident } from './fixtures';

const ctx = (minute: number) => ({
  now: `2026-03-02T09:${String(minute).padStart(2, '0')}:00.000Z`,
  actor: 'alice',
});
const move = (t: Ticket, to: string, m: number, input: TransitionInput = {}): Ticket => {
  const r = transition(t, to, input, ctx(m));
  if (!r.ok) throw new Error(r.error.message);
  return r.ticket;
};

describe('transition rules', () => {
  it('nothing moves out of a final state, of any kind', () => {
    for (const kind of TICKET_KINDS)
      for (const state of STATE_MACHINES[kind].final) {
        expect(rulesFrom(kind, state), `${kind} ${state}`).toEqual([]);
        for (const to of STATE_MACHINES[kind].states)
          if (to !== state)
            expect(pathBetween(kind, state, to, true), `${kind} ${state} → ${to}`).toBeNull();
      }
  });

  it('refuses an unknown on-hold reason and a resolution without notes as missing input', () => {
    const t = move(incident(), 'in-progress', 1);
    const hold = transition(t, 'on-hold', { onHoldReason: 'lunch' as never }, ctx(2));
    expect(hold).toEqual({
      ok: false,
      error: { code: 'missing-input', message: 'Put on hold needs an on-hold reason.' },
    });
    const resolve = transition(
      t,
      'resolved',
      { resolution: { code: 'fixed', notes: '  ' } },
      ctx(2),
    );
    expect(resolve).toEqual({
      ok: false,
      error: { code: 'missing-input', message: 'Resolve needs a resolution code and notes.' },
    });
  });

  it('keeps the first response and the first resolution time; leaving hold clears its reason', () => {
    let t = move(incident(), 'in-progress', 1);
    t = move(t, 'on-hold', 2, { onHoldReason: 'awaiting-caller' });
    expect(t.onHoldReason).toBe('awaiting-caller');
    t = move(t, 'in-progress', 3);
    expect(t.onHoldReason).toBeNull();
    expect(t.sla.respondedAt).toBe(ctx(1).now);
    t = move(t, 'resolved', 4, { resolution: { code: 'fixed', notes: 'Reset' } });
    t = move(t, 'closed', 9);
    expect(t.sla).toMatchObject({ respondedAt: ctx(1).now, resolvedAt: ctx(4).now });
  });

  it('counts the time spent resolved as a pause when reopened', () => {
    let t = move(incident(), 'in-progress', 1);
    t = move(t, 'resolved', 4, { resolution: { code: 'fixed', notes: 'Reset' } });
    t = move(t, 'in-progress', 30);
    expect(t.sla.resolvedAt).toBeNull();
    expect(t.sla.pauses).toEqual([{ from: ctx(4).now, to: ctx(30).now, reason: 'resolved' }]);
    expect(t.resolution).toBeNull();
  });
});

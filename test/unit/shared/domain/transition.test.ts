import { describe, expect, it } from 'vitest';
import {
  allowedTransitions,
  isFinalState,
  STATE_MACHINES,
  TICKET_KINDS,
  transition,
} from '../../../../shared/domain';
import { incident } from './fixtures';

const ctx = (minute: number) => ({
  now: `2026-03-02T09:${String(minute).padStart(2, '0')}:00.000Z`,
  actor: 'alice',
});

describe('incident lifecycle', () => {
  it('runs new → in progress → on hold → in progress → resolved → closed with the SLA clock in step', () => {
    let t = incident();
    const step = (to: string, m: number, input = {}) => {
      const r = transition(t, to, input, ctx(m));
      if (!r.ok) throw new Error(r.error.message);
      t = r.ticket;
    };
    step('in-progress', 5);
    expect(t.sla.respondedAt).toBe(ctx(5).now);
    step('on-hold', 10, { onHoldReason: 'awaiting-caller' });
    expect(t.sla.pauses).toEqual([{ from: ctx(10).now, to: null, reason: 'awaiting-caller' }]);
    step('in-progress', 20);
    expect(t.sla.pauses).toEqual([
      { from: ctx(10).now, to: ctx(20).now, reason: 'awaiting-caller' },
    ]);
    step('resolved', 30, { resolution: { code: 'solved', notes: 'Reset the token' } });
    expect(t.sla.resolvedAt).toBe(ctx(30).now);
    step('in-progress', 31);
    expect(t.sla.resolvedAt).toBeNull();
    expect(t.resolution).toBeNull();
  });

  it('refuses moves off the machine and missing inputs with a readable reason', () => {
    const t = incident();
    expect(transition(t, 'closed', {}, ctx(1))).toMatchObject({
      ok: false,
      error: { code: 'not-allowed' },
    });
    expect(transition(t, 'on-hold', {}, ctx(1))).toMatchObject({
      ok: false,
      error: { code: 'missing-input', message: 'Put on hold needs an on-hold reason.' },
    });
    expect(
      transition(t, 'resolved', { resolution: { code: 'x', notes: ' ' } }, ctx(1)),
    ).toMatchObject({ ok: false });
  });

  it('offers only the moves of the current state', () => {
    expect(allowedTransitions(incident()).map((r) => r.to)).toEqual([
      'in-progress',
      'on-hold',
      'resolved',
      'cancelled',
    ]);
  });
});

describe('every state machine', () => {
  it.each(TICKET_KINDS)('%s: every state is reachable from the initial state', (kind) => {
    const m = STATE_MACHINES[kind];
    const seen = new Set<string>([m.initial]);
    let grew = true;
    while (grew) {
      grew = false;
      for (const r of m.transitions) {
        if (r.from.some((f: string) => seen.has(f)) && !seen.has(r.to)) {
          seen.add(r.to);
          grew = true;
        }
      }
    }
    expect([...seen].sort()).toEqual([...m.states].sort());
  });
});

describe('transition guards', () => {
  it('never produces an invalid ticket, even from a damaged one', () => {
    const damaged = { ...incident(), title: '' };
    expect(transition(damaged, 'in-progress', {}, ctx(1))).toEqual({
      ok: false,
      error: { code: 'invalid', message: 'title is required' },
    });
  });

  it('knows which states are final', () => {
    expect(
      ['new', 'resolved', 'closed', 'cancelled'].map((s) => isFinalState('incident', s)),
    ).toEqual([false, false, true, true]);
    expect(isFinalState('request', 'rejected')).toBe(true);
  });
});

/**
 * The SLA engine at its exact edges, on a P1 incident (24x7: response 15 min, resolution 4 h) so
 * that every instant is plain arithmetic: thresholds reached exactly, a stop exactly at the
 * target, a pause's last instant, pauses after a stop. Written to kill the mutants the mutation
 * check (test/mutation) found surviving in shared/domain/sla.ts.
 */
import { DEFAULT_SLA_CONFIG } from '../../../../server/src/provision/sla-defaults';
import { describe, expect, it } from 'vitest';
import { evaluateSla, slaCrossings, type Ticket } from '../../../../shared/domain';
import { incident, T0 } from './fixtures';

const MIN = 60_000;
const t0 = Date.parse(T0);
const iso = (ms: number) => new Date(ms).toISOString();
const p1 = (sla: Partial<Ticket['sla']> = {}): Ticket => {
  const t = incident({ impact: 1, urgency: 1 });
  return { ...t, sla: { ...t.sla, ...sla } };
};

describe('SLA boundaries', () => {
  it('warns at exactly 75% and 50%, not later', () => {
    const t = p1();
    expect(evaluateSla(t, t0 + 0.75 * 15 * MIN, DEFAULT_SLA_CONFIG)!.response.status).toBe(
      'warning-75',
    );
    expect(evaluateSla(t, t0 + 0.75 * 15 * MIN - 1, DEFAULT_SLA_CONFIG)!.response.status).toBe(
      'warning-50',
    );
    expect(evaluateSla(t, t0 + 0.5 * 15 * MIN, DEFAULT_SLA_CONFIG)!.response.status).toBe(
      'warning-50',
    );
    expect(evaluateSla(t, t0 + 0.5 * 15 * MIN - 1, DEFAULT_SLA_CONFIG)!.response.status).toBe('ok');
    expect(evaluateSla(t, t0 + 15 * MIN, DEFAULT_SLA_CONFIG)!.response.status).toBe('breached');
  });

  it('a clock stopped exactly at its target missed it, and reached its 100% threshold', () => {
    const t = p1({ respondedAt: iso(t0 + 15 * MIN) });
    const r = evaluateSla(t, t0 + 60 * MIN, DEFAULT_SLA_CONFIG)!.response;
    expect(r).toMatchObject({ stopped: true, status: 'missed', elapsedMs: 15 * MIN });
    const early = evaluateSla(
      p1({ respondedAt: iso(t0 + 15 * MIN - 1) }),
      t0 + 60 * MIN,
      DEFAULT_SLA_CONFIG,
    )!;
    expect(early.response.status).toBe('met');
    expect(
      slaCrossings(t, 0, t0 + 60 * MIN, DEFAULT_SLA_CONFIG)
        .filter((c) => c.clock === 'response')
        .map((c) => c.threshold),
    ).toEqual([50, 75, 100]);
  });

  it('is running again at the last instant of a pause (its end is not part of it)', () => {
    const pause = { from: iso(t0 + 60 * MIN), to: iso(t0 + 120 * MIN) };
    const t = p1({ respondedAt: iso(t0 + 5 * MIN), pauses: [pause] });
    expect(evaluateSla(t, t0 + 120 * MIN - 1, DEFAULT_SLA_CONFIG)!.resolution.paused).toBe(true);
    const atEnd = evaluateSla(t, t0 + 120 * MIN, DEFAULT_SLA_CONFIG)!.resolution;
    expect(atEnd.paused).toBe(false);
    expect(atEnd.status).not.toBe('paused');
    expect(atEnd.elapsedMs).toBe(60 * MIN);
  });

  it('a pause after a clock stopped does not move that clock’s due date', () => {
    // Responded after 5 minutes; put on hold from minute 10 to 70: the response was due at 15.
    const t = p1({
      respondedAt: iso(t0 + 5 * MIN),
      pauses: [{ from: iso(t0 + 10 * MIN), to: iso(t0 + 70 * MIN) }],
    });
    const s = evaluateSla(t, t0 + 120 * MIN, DEFAULT_SLA_CONFIG)!;
    expect(s.response.dueAt).toBe(iso(t0 + 15 * MIN));
    // The resolution clock is paused by it: due 4 h plus the hour on hold.
    expect(s.resolution.dueAt).toBe(iso(t0 + 5 * 60 * MIN));
  });
});

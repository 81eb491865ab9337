import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  evaluateSla,
  findSlaPolicy,
  isBusinessTime,
  nextSlaCrossing,
  PRIORITY_LABELS,
  publicHolidaysIn,
  slaCrossings,
  TICKET_KINDS,
  transition,
  validateCalendar,
  type Priority,
  type SlaConfig,
  type SlaSubject,
  type Ticket,
} from '../../../../shared/domain';
import { incident, T0 } from './fixtures';
import {
  DEFAULT_CALENDARS,
  DEFAULT_SLA_CONFIG,
  DEFAULT_SLA_POLICIES,
} from '../../../../server/src/provision/sla-defaults';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const ms = (iso: string) => Date.parse(iso);
const iso = (t: number) => new Date(t).toISOString();
const plus = (base: string, m: number) => iso(ms(base) + m);

type Pause = { from: string; to: string | null };
const subject = (
  priority: Priority,
  createdAt: string,
  sla: { respondedAt?: string | null; resolvedAt?: string | null; pauses?: Pause[] } = {},
  state = 'in-progress',
): SlaSubject => ({
  kind: 'incident',
  priority,
  state,
  createdAt,
  sla: { respondedAt: null, resolvedAt: null, pauses: [], ...sla },
});

const sla = (t: SlaSubject, now: string) => {
  const r = evaluateSla(t, ms(now), DEFAULT_SLA_CONFIG);
  if (!r) throw new Error('no SLA policy');
  return r;
};

// London business hours; all March dates before the 29th are GMT, so Z equals wall-clock time.
const THU = '2026-03-05T09:00:00.000Z';
const WEEKEND_PAUSE = { from: '2026-03-06T12:00:00.000Z', to: '2026-03-10T10:00:00.000Z' };

describe('SLA clocks, ITIL examples', () => {
  it.each([
    {
      name: 'P1 fresh incident: half the response time gone',
      t: subject(1, T0),
      now: plus(T0, 10 * MINUTE),
      response: { status: 'warning-50', elapsedMs: 10 * MINUTE, dueAt: plus(T0, 15 * MINUTE) },
      resolution: { status: 'ok', elapsedMs: 10 * MINUTE, dueAt: plus(T0, 4 * HOUR) },
    },
    {
      name: 'P1 at 80% of the response target',
      t: subject(1, T0),
      now: plus(T0, 12 * MINUTE),
      response: { status: 'warning-75', remainingMs: 3 * MINUTE, percent: 80 },
    },
    {
      name: 'P1 with no response after 20 minutes is breached',
      t: subject(1, T0),
      now: plus(T0, 20 * MINUTE),
      response: { status: 'breached', remainingMs: -5 * MINUTE, dueAt: plus(T0, 15 * MINUTE) },
    },
    {
      name: 'P1 answered in 5 minutes: response met, clock stopped',
      t: subject(1, T0, { respondedAt: plus(T0, 5 * MINUTE) }),
      now: plus(T0, 2 * HOUR),
      response: {
        status: 'met',
        elapsedMs: 5 * MINUTE,
        stopped: true,
        stoppedAt: plus(T0, 5 * MINUTE),
      },
      resolution: { status: 'warning-50', elapsedMs: 2 * HOUR, stopped: false },
    },
    {
      name: 'P1 answered after 16 minutes: response missed',
      t: subject(1, T0, { respondedAt: plus(T0, 16 * MINUTE) }),
      now: plus(T0, 1 * HOUR),
      response: { status: 'missed', elapsedMs: 16 * MINUTE },
    },
    {
      name: 'P1 over a weekend: 24x7 counts every hour',
      t: subject(1, '2026-03-06T17:00:00.000Z'),
      now: '2026-03-09T09:00:00.000Z',
      response: { status: 'breached' },
      resolution: { status: 'breached', elapsedMs: 64 * HOUR, percent: 1600 },
    },
    {
      name: 'P4 over the same weekend: business hours count 2 hours',
      t: subject(4, '2026-03-06T17:00:00.000Z'),
      now: '2026-03-09T09:00:00.000Z',
      response: { status: 'ok', elapsedMs: 2 * HOUR, dueAt: '2026-03-09T17:00:00.000Z' },
      resolution: { status: 'ok', percent: 4 },
    },
    {
      name: 'P4 paused from Friday noon to Tuesday 10:00',
      t: subject(4, THU, { respondedAt: plus(THU, 30 * MINUTE), pauses: [WEEKEND_PAUSE] }),
      now: '2026-03-10T12:00:00.000Z',
      // Thu 9 h + Fri 08–12 4 h + Tue 10–12 2 h.
      resolution: { status: 'ok', elapsedMs: 15 * HOUR, dueAt: '2026-03-13T17:00:00.000Z' },
    },
    {
      name: 'P4 with overlapping copies of the pause (merged from two devices)',
      t: subject(4, THU, {
        respondedAt: plus(THU, 30 * MINUTE),
        pauses: [
          WEEKEND_PAUSE,
          { from: '2026-03-07T00:00:00.000Z', to: '2026-03-09T12:00:00.000Z' },
          WEEKEND_PAUSE,
        ],
      }),
      now: '2026-03-10T12:00:00.000Z',
      resolution: { elapsedMs: 15 * HOUR, dueAt: '2026-03-13T17:00:00.000Z' },
    },
    {
      name: 'P4 still on hold: the open pause runs until now',
      t: subject(
        4,
        THU,
        { respondedAt: plus(THU, 30 * MINUTE), pauses: [{ ...WEEKEND_PAUSE, to: null }] },
        'on-hold',
      ),
      now: '2026-03-10T12:00:00.000Z',
      response: { status: 'met', paused: false },
      resolution: { status: 'paused', paused: true, elapsedMs: 13 * HOUR, dueAt: null },
    },
    {
      name: 'a breached ticket put on hold stays breached',
      t: subject(1, T0, { pauses: [{ from: plus(T0, 5 * HOUR), to: null }] }, 'on-hold'),
      now: plus(T0, 6 * HOUR),
      resolution: { status: 'breached', paused: true, elapsedMs: 5 * HOUR, dueAt: null },
    },
    {
      name: 'P4 across the London spring-forward weekend',
      t: subject(4, '2026-03-27T16:00:00.000Z'),
      now: '2026-03-30T09:00:00.000Z', // 10:00 BST
      response: { elapsedMs: 4 * HOUR, dueAt: '2026-03-30T15:00:00.000Z' },
    },
    {
      name: 'P3 resolution in 3 business days over Easter',
      t: subject(3, '2026-04-02T09:00:00.000Z'), // 10:00 BST, Thursday before Good Friday
      now: '2026-04-02T10:00:00.000Z',
      response: { dueAt: '2026-04-02T13:00:00.000Z' },
      resolution: { dueAt: '2026-04-09T09:00:00.000Z' },
    },
    {
      name: 'a clock read before the ticket exists (a device clock behind) shows nothing elapsed',
      t: subject(1, T0),
      now: plus(T0, -HOUR),
      response: { status: 'ok', elapsedMs: 0, percent: 0 },
    },
    {
      name: 'cancelled from new: both clocks cancelled, not met',
      t: subject(
        2,
        T0,
        { respondedAt: plus(T0, 5 * MINUTE), resolvedAt: plus(T0, 5 * MINUTE) },
        'cancelled',
      ),
      now: plus(T0, HOUR),
      response: { status: 'cancelled', stopped: true },
      resolution: { status: 'cancelled', elapsedMs: 5 * MINUTE },
    },
    {
      name: 'cancelled after work started: the response still counts',
      t: subject(
        2,
        T0,
        { respondedAt: plus(T0, 5 * MINUTE), resolvedAt: plus(T0, HOUR) },
        'cancelled',
      ),
      now: plus(T0, 2 * HOUR),
      response: { status: 'met' },
      resolution: { status: 'cancelled' },
    },
  ])('$name', ({ t, now, response, resolution }) => {
    const r = sla(t, now);
    if (response) expect(r.response).toMatchObject(response);
    if (resolution) expect(r.resolution).toMatchObject(resolution);
  });

  it('resumes the resolution clock where it stopped when a ticket is reopened', () => {
    let t: Ticket = incident({ impact: 1, urgency: 1 });
    const at = (m: number) => ({ now: plus(T0, m), actor: 'alice' });
    const step = (to: string, m: number, input = {}) => {
      const r = transition(t, to, input, at(m));
      if (!r.ok) throw new Error(r.error.message);
      t = r.ticket;
    };
    step('in-progress', 5 * MINUTE);
    step('resolved', HOUR, { resolution: { code: 'fixed', notes: 'Replaced the switch' } });
    expect(sla(t, plus(T0, 3 * HOUR)).resolution).toMatchObject({
      status: 'met',
      elapsedMs: HOUR,
    });
    step('in-progress', 3 * HOUR);
    expect(t.sla.pauses).toEqual([
      { from: plus(T0, HOUR), to: plus(T0, 3 * HOUR), reason: 'resolved' },
    ]);
    expect(sla(t, plus(T0, 4 * HOUR)).resolution).toMatchObject({
      status: 'warning-50',
      elapsedMs: 2 * HOUR,
      stopped: false,
      dueAt: plus(T0, 6 * HOUR),
    });
    expect(sla(t, plus(T0, 4 * HOUR)).response).toMatchObject({ status: 'met' });
  });

  it('names its policy and calendar, and uses a desk’s own configuration', () => {
    expect(sla(subject(1, T0), T0)).toMatchObject({
      policyId: 'sla:incident:p1',
      calendarId: '24x7',
    });
    const config: SlaConfig = {
      calendars: DEFAULT_CALENDARS,
      policies: [
        {
          id: 'strict',
          kind: 'incident',
          priority: 1,
          responseMs: 5 * MINUTE,
          resolutionMs: HOUR,
          calendarId: '24x7',
        },
      ],
    };
    expect(evaluateSla(subject(1, T0), ms(T0) + 5 * MINUTE, config)?.response.status).toBe(
      'breached',
    );
    expect(evaluateSla(subject(2, T0), ms(T0), config)).toBeNull();
    expect(slaCrossings(subject(2, T0), 0, ms(T0) + 100 * HOUR, config)).toEqual([]);
  });

  it('explains bad configuration and bad timestamps instead of guessing', () => {
    const config: SlaConfig = {
      calendars: [],
      policies: DEFAULT_SLA_POLICIES,
    };
    expect(() => evaluateSla(subject(1, T0), ms(T0), config)).toThrow(
      'SLA policy sla:incident:p1 counts on calendar "24x7", which is missing',
    );
    expect(() => evaluateSla(subject(1, 'yesterday'), ms(T0), DEFAULT_SLA_CONFIG)).toThrow(
      'createdAt "yesterday" is not a UTC timestamp',
    );
    expect(() =>
      evaluateSla(subject(1, T0, { respondedAt: 'soon' }), ms(T0), DEFAULT_SLA_CONFIG),
    ).toThrow('sla.respondedAt "soon" is not a UTC timestamp');
    expect(() =>
      evaluateSla(
        subject(1, T0, { pauses: [{ from: T0, to: 'later' }] }),
        ms(T0),
        DEFAULT_SLA_CONFIG,
      ),
    ).toThrow('SLA pause end "later" is not a UTC timestamp');
    expect(() => evaluateSla(subject(1, T0), NaN, DEFAULT_SLA_CONFIG)).toThrow(
      'now must be a finite time',
    );
  });
});

describe('threshold crossings (for notifications and SLA events)', () => {
  it('lists 50/75/100% of both clocks in time order', () => {
    expect(slaCrossings(subject(1, T0), ms(T0), ms(T0) + 5 * HOUR, DEFAULT_SLA_CONFIG)).toEqual([
      { clock: 'response', threshold: 50, level: 'warning', at: plus(T0, 7.5 * MINUTE) },
      { clock: 'response', threshold: 75, level: 'at-risk', at: plus(T0, 11.25 * MINUTE) },
      { clock: 'response', threshold: 100, level: 'breach', at: plus(T0, 15 * MINUTE) },
      { clock: 'resolution', threshold: 50, level: 'warning', at: plus(T0, 2 * HOUR) },
      { clock: 'resolution', threshold: 75, level: 'at-risk', at: plus(T0, 3 * HOUR) },
      { clock: 'resolution', threshold: 100, level: 'breach', at: plus(T0, 4 * HOUR) },
    ]);
  });

  it('includes the end of the window, not its start, and nothing after a stop or in a pause', () => {
    const answered = subject(1, T0, { respondedAt: plus(T0, 10 * MINUTE) });
    expect(
      slaCrossings(answered, ms(T0) + 7.5 * MINUTE, ms(T0) + 2 * HOUR, DEFAULT_SLA_CONFIG),
    ).toEqual([{ clock: 'resolution', threshold: 50, level: 'warning', at: plus(T0, 2 * HOUR) }]);
    const onHold = subject(1, T0, {
      respondedAt: plus(T0, 10 * MINUTE),
      pauses: [{ from: plus(T0, HOUR), to: null }],
    });
    expect(slaCrossings(onHold, ms(T0), ms(T0) + 100 * HOUR, DEFAULT_SLA_CONFIG)).toEqual([
      { clock: 'response', threshold: 50, level: 'warning', at: plus(T0, 7.5 * MINUTE) },
    ]);
    expect(nextSlaCrossing(onHold, ms(T0) + 7.5 * MINUTE, DEFAULT_SLA_CONFIG)).toBeNull();
  });

  it('tells a timer when to wake up next', () => {
    expect(nextSlaCrossing(subject(1, T0), ms(T0) + 7.5 * MINUTE, DEFAULT_SLA_CONFIG)).toEqual({
      clock: 'response',
      threshold: 75,
      level: 'at-risk',
      at: plus(T0, 11.25 * MINUTE),
    });
  });
});

describe('default policies and calendars', () => {
  it('cover every kind and priority, on calendars that exist and are valid', () => {
    for (const kind of TICKET_KINDS)
      for (const priority of [1, 2, 3, 4, 5] as const) {
        const p = findSlaPolicy(DEFAULT_SLA_CONFIG, { kind, priority });
        expect(p, `${kind} ${PRIORITY_LABELS[priority]}`).toBeDefined();
        expect(p!.responseMs).toBeLessThan(p!.resolutionMs);
        expect(DEFAULT_CALENDARS.map((c) => c.id)).toContain(p!.calendarId);
      }
    for (const cal of DEFAULT_CALENDARS) expect(validateCalendar(cal).ok).toBe(true);
  });

  it('keep the published incident targets', () => {
    const row = (priority: Priority) => {
      const p = findSlaPolicy(DEFAULT_SLA_CONFIG, { kind: 'incident', priority })!;
      return [p.responseMs / MINUTE, p.resolutionMs / HOUR, p.calendarId];
    };
    expect([1, 2, 3, 4].map((p) => row(p as Priority))).toEqual([
      [15, 4, '24x7'],
      [30, 8, '24x7'],
      [240, 30, 'business-hours'],
      [600, 50, 'business-hours'],
    ]);
  });

  it('take the bank holidays of England and Wales off, in any year', () => {
    const cal = DEFAULT_CALENDARS.find((c) => c.id === 'business-hours')!;
    if (cal.kind !== 'weekly' || !cal.publicHolidays)
      throw new Error('business-hours must be weekly with public holidays');
    const days = [2026, 2027, 2030].flatMap((y) => publicHolidaysIn(cal.publicHolidays!, y));
    expect(days.length).toBeGreaterThanOrEqual(24);
    for (const h of days) {
      const noon = Date.parse(`${h.date}T12:00:00.000Z`);
      expect(isBusinessTime(cal, noon), h.name).toBe(false);
    }
  });
});

// ---- properties -------------------------------------------------------------------------------

const STEP = 5 * MINUTE;
// Two and a half weeks over the London spring-forward (29 March) and Easter (3 and 6 April).
const BASE = ms('2026-03-20T00:00:00.000Z');
const stepArb = (max: number) => fc.integer({ min: 0, max });
const ticketArb = fc
  .record({
    priority: fc.constantFrom<Priority>(1, 3, 4),
    created: stepArb(2000),
    responded: fc.option(stepArb(3000)),
    resolved: fc.option(stepArb(3000)),
    pauses: fc.array(fc.tuple(stepArb(3000), fc.option(stepArb(800))), { maxLength: 4 }),
  })
  .map((r): SlaSubject => {
    const t = (s: number) => iso(BASE + s * STEP);
    const created = r.created;
    return subject(r.priority, t(created), {
      respondedAt: r.responded === null ? null : t(created + r.responded),
      resolvedAt: r.resolved === null ? null : t(created + r.resolved),
      pauses: r.pauses.map(([from, len]) => ({
        from: t(from),
        to: len === null ? null : t(from + len),
      })),
    });
  });

/** Slow reference: 5-minute steps that are business time and in no pause. */
function referenceElapsed(t: SlaSubject, clock: 'response' | 'resolution', now: number): number {
  const policy = findSlaPolicy(DEFAULT_SLA_CONFIG, t)!;
  const cal = DEFAULT_CALENDARS.find((c) => c.id === policy.calendarId)!;
  const stop = clock === 'response' ? t.sla.respondedAt : t.sla.resolvedAt;
  const end = Math.min(now, stop === null ? Infinity : ms(stop));
  let n = 0;
  for (let s = ms(t.createdAt); s < end; s += STEP) {
    const paused = t.sla.pauses.some((p) => ms(p.from) <= s && (p.to === null || s < ms(p.to)));
    if (!paused && isBusinessTime(cal, s)) n++;
  }
  return n * STEP;
}

describe('SLA properties', () => {
  it('counts exactly the business time outside pauses, never more than the wall clock', () => {
    fc.assert(
      fc.property(ticketArb, stepArb(5000), (t, nowStep) => {
        const now = BASE + nowStep * STEP;
        const r = evaluateSla(t, now, DEFAULT_SLA_CONFIG)!;
        for (const clock of ['response', 'resolution'] as const) {
          expect(r[clock].elapsedMs).toBe(referenceElapsed(t, clock, now));
          expect(r[clock].elapsedMs).toBeLessThanOrEqual(Math.max(0, now - ms(t.createdAt)));
        }
      }),
      { numRuns: 150 },
    );
  });

  it('elapsed never decreases as time goes on', () => {
    fc.assert(
      fc.property(ticketArb, stepArb(5000), stepArb(5000), (t, a, b) => {
        const [early, late] = [a, b].sort((x, y) => x - y) as [number, number];
        const r1 = evaluateSla(t, BASE + early * STEP, DEFAULT_SLA_CONFIG)!;
        const r2 = evaluateSla(t, BASE + late * STEP, DEFAULT_SLA_CONFIG)!;
        expect(r2.response.elapsedMs).toBeGreaterThanOrEqual(r1.response.elapsedMs);
        expect(r2.resolution.elapsedMs).toBeGreaterThanOrEqual(r1.resolution.elapsedMs);
      }),
    );
  });

  it('crossings and due dates agree with the readings at those instants', () => {
    fc.assert(
      fc.property(ticketArb, (t) => {
        for (const c of slaCrossings(t, -Infinity, Infinity, DEFAULT_SLA_CONFIG)) {
          const at = ms(c.at);
          const after = evaluateSla(t, at, DEFAULT_SLA_CONFIG)![c.clock];
          const before = evaluateSla(t, at - 1, DEFAULT_SLA_CONFIG)![c.clock];
          expect(after.percent).toBeGreaterThanOrEqual(c.threshold);
          expect(before.percent).toBeLessThan(c.threshold);
          if (c.threshold === 100 && !after.stopped) expect(after.status).toBe('breached');
          if (c.threshold === 100 && after.dueAt !== null) expect(after.dueAt).toBe(c.at);
        }
      }),
      { numRuns: 150 },
    );
  });
});

/**
 * One SLA, wherever it is shown: for random tickets (with records, priority changes, pauses of
 * every reason, replies, assignments) and random valid configurations (calendars in several zones
 * with generated and own holidays and half days; policies with conditions, pause rules and caps,
 * response definitions, restart rules), the queue's SLA filters, the ticket panel's readings and
 * events, the notifications, the tray and the wallboard say the same thing, and the SLA text
 * (shared/domain/sla-format.ts) is the same in the queue, the panel and the wallboard.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  createTicket,
  evaluateSla,
  formatSla,
  slaActivityEvents,
  slaClockShown,
  ticketSlaText,
  slaRecordEntries,
  transition,
  updateFields,
  validateSlaSettings,
  withSlaRecord,
  ON_HOLD_REASONS,
  type BusinessCalendar,
  type Level,
  type SlaConfig,
  type SlaPolicy,
  type Ticket,
} from '../../../shared/domain';
import { compileFilter, reachesAt } from '../../../shared/queue/filter';
import { slaEvents, trayCounts } from '../../../shared/notify/detect';
import {
  AT_RISK_DRILL,
  BREACHED_DRILL,
  computeWallboard,
  SlaMemo,
} from '../../../shared/wallboard';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const BASE = Date.parse('2026-12-21T06:00:00.000Z'); // Christmas week, into the new year

const zoneArb = fc.constantFrom(
  ['Europe/London', { country: 'GB', region: 'ENG' }],
  ['Europe/Berlin', { country: 'DE', region: 'BE' }],
  ['America/New_York', { country: 'US', region: 'NY' }],
  ['Asia/Tokyo', null],
) as fc.Arbitrary<[string, { country: string; region: string } | null]>;

const calendarArb: fc.Arbitrary<BusinessCalendar> = fc
  .record({
    zone: zoneArb,
    start: fc.integer({ min: 6, max: 10 }),
    length: fc.integer({ min: 4, max: 12 }),
    saturday: fc.boolean(),
    ownHoliday: fc.boolean(),
    halfDay: fc.boolean(),
  })
  .map(({ zone: [zone, publicHolidays], start, length, saturday, ownHoliday, halfDay }) => {
    const hh = (h: number) => `${String(h).padStart(2, '0')}:00`;
    const day = [{ start: hh(start), end: hh(Math.min(24, start + length)) }];
    return {
      kind: 'weekly' as const,
      id: 'office',
      name: 'Office',
      zone,
      week: { mon: day, tue: day, wed: day, thu: day, fri: day, ...(saturday ? { sat: day } : {}) },
      holidays: ownHoliday ? [{ date: '12-29', name: 'Desk closed' }] : [],
      publicHolidays,
      ...(halfDay
        ? { halfDays: [{ date: '12-24', name: 'Christmas Eve', closesAt: hh(start + 2) }] }
        : {}),
    };
  });

const reasonsArb = fc.subarray([...ON_HOLD_REASONS, 'awaiting-approval' as const]);
const policyArb = (priority: 1 | 2 | 3 | 4 | 5, i: number): fc.Arbitrary<SlaPolicy> =>
  fc
    .record({
      responseMin: fc.integer({ min: 5, max: 600 }),
      resolutionMin: fc.integer({ min: 30, max: 3000 }),
      office: fc.boolean(),
      rules: fc.option(fc.record({ response: reasonsArb, resolution: reasonsArb })),
      capMin: fc.option(fc.integer({ min: 10, max: 600 })),
      response: fc.constantFrom<'first-move' | 'first-public-reply' | 'first-assignment'>(
        'first-move',
        'first-public-reply',
        'first-assignment',
      ),
      restartFrom: fc.constantFrom<'creation' | 'change'>('creation', 'change'),
      network: fc.boolean(),
      warnings: fc.option(
        fc
          .tuple(fc.integer({ min: 1, max: 98 }), fc.integer({ min: 1, max: 98 }))
          .filter(([a, b]) => a !== b)
          .map(([a, b]) => ({ warning: Math.min(a, b), atRisk: Math.max(a, b) })),
      ),
    })
    .map((r) => ({
      id: `p${priority}-${i}`,
      kind: 'incident' as const,
      priority,
      responseMs: r.responseMin * MINUTE,
      resolutionMs: r.resolutionMin * MINUTE,
      calendarId: r.office ? 'office' : '24x7',
      response: r.response,
      restartFrom: r.restartFrom,
      ...(r.rules ? { pauseReasons: r.rules } : {}),
      ...(r.capMin ? { pauseCapMs: r.capMin * MINUTE } : {}),
      ...(r.warnings ? { thresholds: r.warnings } : {}),
      ...(r.network && i === 0 ? { conditions: { groupIds: ['group:network'] } } : {}),
    }));

const configArb: fc.Arbitrary<SlaConfig> = fc
  .record({
    calendar: calendarArb,
    policies: fc.tuple(
      ...([1, 2, 3, 4, 5] as const).map((p) => fc.tuple(policyArb(p, 0), policyArb(p, 1))),
    ),
  })
  .map(({ calendar, policies }) => ({
    version: 3,
    calendars: [{ kind: '24x7' as const, id: '24x7', name: '24x7' }, calendar],
    policies: policies.flat(),
  }));

type Step =
  | {
      readonly kind: 'move';
      readonly to: string;
      readonly reason: (typeof ON_HOLD_REASONS)[number];
    }
  | { readonly kind: 'levels'; readonly impact: Level; readonly urgency: Level }
  | { readonly kind: 'assign' }
  | { readonly kind: 'reply' }
  | { readonly kind: 'group' };
const levelArb = fc.constantFrom<Level>(1, 2, 3);
const stepArb: fc.Arbitrary<[number, Step]> = fc.tuple(
  fc.integer({ min: 1, max: 24 * 60 }),
  fc.oneof(
    fc.record({
      kind: fc.constant('move' as const),
      to: fc.constantFrom('in-progress', 'on-hold', 'resolved', 'cancelled'),
      reason: fc.constantFrom(...ON_HOLD_REASONS),
    }),
    fc.record({ kind: fc.constant('levels' as const), impact: levelArb, urgency: levelArb }),
    fc.constant({ kind: 'assign' as const }),
    fc.constant({ kind: 'reply' as const }),
    fc.constant({ kind: 'group' as const }),
  ),
);

/** A ticket's life as the console writes it: each change, then its record brought up to date. */
function lifeOf(config: SlaConfig, impact: Level, urgency: Level, steps: [number, Step][]) {
  let at = BASE;
  const iso = () => new Date(at).toISOString();
  const made = createTicket(
    {
      kind: 'incident',
      title: 'Random',
      description: '',
      requesterId: 'person:caller-0001',
      ciId: null,
      category: 'network',
      impact,
      urgency,
      groupId: 'group:network',
      assigneeId: null,
    },
    { now: iso(), actor: 'ben', number: 'INC-000000000001' },
  );
  if (!made.ok) throw new Error(made.errors.join('; '));
  let t = withSlaRecord(made.value, config, iso());
  for (const [minutes, step] of steps) {
    at += minutes * MINUTE;
    const ctx = { now: iso(), actor: 'ben' };
    let next: Ticket | null = null;
    if (step.kind === 'move') {
      const r = transition(
        t,
        step.to,
        {
          onHoldReason: step.reason,
          resolution: { code: 'fixed', notes: 'Done' },
        },
        ctx,
      );
      next = r.ok ? r.ticket : null;
    } else if (step.kind === 'levels' || step.kind === 'assign' || step.kind === 'group') {
      const patch =
        step.kind === 'levels'
          ? { impact: step.impact, urgency: step.urgency }
          : step.kind === 'assign'
            ? { assigneeId: 'alice' }
            : { groupId: t.groupId === 'group:network' ? 'group:desktop' : 'group:network' };
      const r = updateFields(t, patch, ctx);
      next = r.ok ? r.value : null;
    } else if (!t.sla.firstReplyAt) {
      next = { ...t, sla: { ...t.sla, firstReplyAt: iso() }, updatedAt: iso(), updatedBy: 'ben' };
    }
    if (next) {
      const recorded = withSlaRecord(next, config, next.updatedAt);
      slaRecordEntries(t, recorded, config); // the entries of every write must compute
      t = recorded;
    }
  }
  return { ticket: { ...t, assigneeId: 'alice' }, last: at };
}

describe('SLA agreement across the console', () => {
  it('generated configurations are valid', () => {
    fc.assert(
      fc.property(configArb, (config) => {
        expect(validateSlaSettings(config)).toMatchObject({ ok: true });
      }),
      { numRuns: 30 },
    );
  });

  it('queue, ticket panel, notifications and wallboard agree for random tickets and configurations', () => {
    fc.assert(
      fc.property(
        configArb,
        levelArb,
        levelArb,
        fc.array(stepArb, { maxLength: 8 }),
        fc.integer({ min: 0, max: 10 * 24 * 60 }),
        fc.constantFrom('UTC', 'Europe/Berlin', 'America/Los_Angeles', 'Asia/Kolkata'),
        (config, impact, urgency, steps, laterMin, zone) => {
          const { ticket: t, last } = lifeOf(config, impact, urgency, steps);
          const now = last + laterMin * MINUTE;
          const sla = evaluateSla(t, now, config);
          const open = !['resolved', 'closed', 'cancelled'].includes(t.state);
          const readings = sla ? [sla.response, sla.resolution] : [];
          const running = readings.filter((r) => !r.stopped);
          // Queue: the SLA filters (and the breaching-soon count) from reachesAt.
          const queueBreached = (reachesAt(t, 100, config) ?? Infinity) <= now;
          const ctx = { me: 'alice', groupIds: [], now, sla: config };
          const queueWarned = compileFilter({ sla: 'breaching-soon' }, ctx)(t);
          expect(queueBreached).toBe(running.some((r) => r.percent >= 100));
          expect(compileFilter({ sla: 'breached' }, ctx)(t)).toBe(queueBreached);
          // Breaching soon: a running clock, not paused, at or past its at-risk warning.
          expect(queueWarned).toBe(
            running.some((r) => !r.paused && r.percent >= r.warnings.atRisk),
          );
          // The tray's count is the queue's Breaching soon over my open tickets.
          expect(
            trayCounts([t], { name: 'alice', groupIds: new Set() }, now, config),
          ).toMatchObject({ breachingSoon: open && queueWarned ? 1 : 0 });
          // Ticket panel: the readings above, and its threshold events.
          const events = slaActivityEvents(t, now, config).map((e) => e.body);
          for (const r of readings) {
            const label = r.clock === 'response' ? 'Response' : 'Resolution';
            expect(events.includes(`${label} target breached`)).toBe(r.percent >= 100);
            const risk = r.warnings.atRisk;
            expect(events.includes(`${label} target ${risk}% used`)).toBe(r.percent >= risk);
            if (!r.stopped && !r.paused) expect(r.status === 'breached').toBe(r.percent >= 100);
          }
          // Notifications: warnings and breaches of my open tickets.
          if (open) {
            const notes = slaEvents(
              [t],
              { name: 'alice', groupIds: new Set() },
              -Infinity,
              now,
              config,
            );
            for (const r of readings) {
              const of = (type: string) =>
                notes.some((n) => n.type === type && 'target' in n && n.target === r.clock);
              expect(of('sla-breached')).toBe(r.percent >= 100);
              expect(of('sla-warning')).toBe(r.percent >= r.warnings.atRisk);
            }
            // In the viewer's zone they carry the clock in the formatter's words.
            const worded = slaEvents(
              [t],
              { name: 'alice', groupIds: new Set() },
              -Infinity,
              now,
              config,
              zone,
            );
            expect(worded.map((n) => n.type)).toEqual(notes.map((n) => n.type));
            for (const n of worded)
              if ('target' in n) {
                const shown = slaClockShown(t, n.target, now, config)!;
                expect(n.sla).toBe(formatSla(shown, { now, zone, variant: 'long' }).text);
              }
          }
          // Wallboard: the breached and at-risk lists, fresh and through the memo.
          const opts = { now, dayStartMs: now - HOUR, online: [], limit: 5, slaConfig: config };
          const board = computeWallboard([t], opts);
          const memo = new SlaMemo(config);
          memo.at(last)(t);
          const memoBoard = computeWallboard([t], { ...opts, slaOf: memo.at(now) });
          const breached = open && readings.some((r) => r.status === 'breached');
          const atRisk = open && !breached && readings.some((r) => r.status === 'warning-75');
          expect(board.breached.total).toBe(breached ? 1 : 0);
          expect(board.atRisk.total).toBe(atRisk ? 1 : 0);
          // Each tile's drill-down lists exactly what the tile counts.
          expect(compileFilter(AT_RISK_DRILL, ctx)(t)).toBe(atRisk);
          expect(compileFilter(BREACHED_DRILL, ctx)(t)).toBe(breached);
          expect(memoBoard.breached.total).toBe(board.breached.total);
          expect(memoBoard.atRisk.total).toBe(board.atRisk.total);
          // One text everywhere: the queue's chip (short), the panel (long) and the wallboard's
          // lists, fresh and through the memo, in the viewer's zone.
          for (const variant of ['short', 'long'] as const) {
            const o = { now, zone, variant };
            const queueText = ticketSlaText(t, config, o)?.text ?? null;
            expect(queueText === null).toBe(running.length === 0);
            for (const b of [board, memoBoard])
              for (const a of [...b.breached.items, ...b.atRisk.items])
                expect(formatSla(a.shown, o).text).toBe(queueText);
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});

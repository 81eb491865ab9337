/**
 * Queue filters and order against an oracle of their own (the queue index tests compare the index
 * with compileFilter, so they cannot see a wrong filter): every clause written out plainly here,
 * the SLA clauses read from evaluateSla, over the demo desk with random filters; the SLA clauses
 * at their exact instants; the order with its tie-break. Written to kill the mutants the
 * mutation check (test/mutation) found surviving in shared/queue/filter.ts.
 */
import { DEFAULT_SLA_CONFIG } from '../../../../server/src/provision/sla-defaults';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  compareTickets,
  compileFilter,
  SORT_FIELDS,
  type QueueContext,
  type QueueFilter,
} from '../../../../shared/queue';
import {
  evaluateSla,
  isDoneState,
  slaCrossings,
  TICKET_KINDS,
  type Ticket,
} from '../../../../shared/domain';
import { createRng } from '../../../../server/src/provision/random';
import { demoDirectory } from '../../../../server/src/provision/demo-directory';
import { demoTickets } from '../../../../server/src/provision/demo-tickets';
import { incident, T0 } from '../domain/fixtures';

const NOW = Date.UTC(2026, 10, 25, 12);
const rng = createRng(29);
const dir = demoDirectory(rng);
const tickets = demoTickets(rng, {
  count: 250,
  days: 30,
  now: NOW,
  agents: dir.agents,
  technicians: dir.technicians,
  callers: dir.callers,
  cis: dir.cis,
  kb: dir.kb,
}) as unknown as Ticket[];
const ctx: QueueContext = {
  me: 'alice',
  groupIds: ['group:service-desk', 'group:desktop'],
  now: NOW,
  sla: DEFAULT_SLA_CONFIG,
};

/** The filter as its documentation states it, clause by clause. */
function expected(f: QueueFilter, t: Ticket, c: QueueContext): boolean {
  if (f.kinds && !f.kinds.includes(t.kind)) return false;
  if (f.open === true && isDoneState(t.kind, t.state)) return false;
  if (f.open === false && !isDoneState(t.kind, t.state)) return false;
  if (f.states && !f.states.includes(t.state)) return false;
  if (f.priorities && !f.priorities.includes(t.priority)) return false;
  if (f.groups && !(f.groups === 'mine' ? c.groupIds : f.groups).includes(t.groupId)) return false;
  if (f.assignees) {
    const names = f.assignees.map((a) => (a === 'me' ? c.me : a));
    if (t.assigneeId === null ? !names.includes('unassigned') : !names.includes(t.assigneeId))
      return false;
  }
  if (f.categories && !f.categories.includes(t.category)) return false;
  const words = (f.text ?? '').toLowerCase().split(/\s+/).filter(Boolean);
  const hay = `${t.number} ${t.title} ${t.description}`.toLowerCase();
  if (!words.every((w) => hay.includes(w))) return false;
  if (f.sla) {
    // A running clock at or past 75% (breaching soon) or 100% (breached) of its target.
    const s = evaluateSla(t, c.now, DEFAULT_SLA_CONFIG);
    const limit = f.sla === 'breached' ? 100 : 75;
    if (!s || ![s.response, s.resolution].some((k) => !k.stopped && k.percent >= limit))
      return false;
  }
  return true;
}

const some = <T>(xs: readonly T[]) => fc.subarray([...new Set(xs)], { minLength: 1 });
// One to three clauses (more rarely match anything on 250 tickets).
const clause: fc.Arbitrary<QueueFilter> = fc.oneof(
  some(TICKET_KINDS).map((kinds) => ({ kinds })),
  fc.boolean().map((open) => ({ open })),
  some(tickets.map((t) => t.state)).map((states) => ({ states })),
  some(tickets.map((t) => t.priority)).map((priorities) => ({ priorities })),
  fc
    .oneof(fc.constant('mine' as const), some(tickets.map((t) => t.groupId)))
    .map((groups) => ({ groups })),
  some(['me', 'unassigned', ...tickets.flatMap((t) => t.assigneeId ?? [])]).map((assignees) => ({
    assignees,
  })),
  some(tickets.map((t) => t.category)).map((categories) => ({ categories })),
  fc
    .constantFrom('printer', 'vpn drops', 'VPN', 'the', 'offline printer', 'zzz')
    .map((text) => ({ text })),
  fc.constantFrom('breaching-soon' as const, 'breached' as const).map((sla) => ({ sla })),
);
const filter = fc
  .array(clause, { minLength: 1, maxLength: 3 })
  .map((cs): QueueFilter => Object.assign({}, ...cs) as QueueFilter);

describe('queue filters against their own oracle', () => {
  it('every clause, on the demo desk, random filters (property)', () => {
    let mixed = 0;
    fc.assert(
      fc.property(filter, (f) => {
        const match = compileFilter(f, ctx);
        const got = tickets.map((t) => match(t));
        expect(got).toEqual(tickets.map((t) => expected(f, t, ctx)));
        if (got.includes(true) && got.includes(false)) mixed += 1;
      }),
      { numRuns: 400 },
    );
    // The property saw filters that keep some tickets and drop others, often.
    expect(mixed).toBeGreaterThan(100);
  });

  it('each clause alone both keeps and drops tickets of the demo desk', () => {
    const one: QueueFilter[] = [
      { kinds: ['incident'] },
      { open: true },
      { states: ['new'] },
      { priorities: [1, 2] },
      { groups: 'mine' },
      { assignees: ['unassigned'] },
      { assignees: ['me'] },
      { categories: [tickets[0]!.category] },
      { text: tickets[0]!.title.split(' ')[0]! },
      { sla: 'breaching-soon' },
      { sla: 'breached' },
    ];
    for (const f of one) {
      const got = tickets.map(compileFilter(f, ctx));
      expect(got, JSON.stringify(f)).toEqual(tickets.map((t) => expected(f, t, ctx)));
      expect(got, JSON.stringify(f)).toContain(true);
      expect(got, JSON.stringify(f)).toContain(false);
    }
  });
});

describe('SLA clauses at their exact instants', () => {
  // A P1 incident, 24x7: response due 15 min after creation, resolution 4 h.
  const t0 = Date.parse(T0);
  const MIN = 60_000;
  const p1 = incident({ impact: 1, urgency: 1 });
  const at = (f: QueueFilter, t: Ticket, now: number) => compileFilter(f, { ...ctx, now })(t);

  it('breaching soon from the 75% instant on; breached from the 100% instant on', () => {
    const c = slaCrossings(p1, 0, t0 + 60 * MIN, DEFAULT_SLA_CONFIG).filter(
      (x) => x.clock === 'response',
    );
    const [at75, at100] = [75, 100].map((n) => Date.parse(c.find((x) => x.threshold === n)!.at));
    expect(at100).toBe(t0 + 15 * MIN);
    expect(at({ sla: 'breaching-soon' }, p1, at75! - 1)).toBe(false);
    expect(at({ sla: 'breaching-soon' }, p1, at75!)).toBe(true);
    expect(at({ sla: 'breached' }, p1, at75!)).toBe(false);
    expect(at({ sla: 'breached' }, p1, at100! - 1)).toBe(false);
    expect(at({ sla: 'breached' }, p1, at100!)).toBe(true);
  });

  it('breaching soon leaves out a paused clock; breached keeps one paused after its breach', () => {
    const iso = (ms: number) => new Date(ms).toISOString();
    // On hold (a pause of no recorded reason stops both clocks) from 13 min on: past 75% of the
    // 15 min response, not yet breached.
    const held = {
      ...p1,
      state: 'on-hold',
      sla: { ...p1.sla, pauses: [{ from: iso(t0 + 13 * MIN), to: null }] },
    };
    expect(at({ sla: 'breaching-soon' }, held, t0 + 12 * MIN)).toBe(true);
    expect(at({ sla: 'breaching-soon' }, held, t0 + 13 * MIN)).toBe(false);
    expect(at({ sla: 'breaching-soon' }, held, t0 + 600 * MIN)).toBe(false);
    // Resumed at 14 min: running again, and breaching soon again.
    const resumed = {
      ...held,
      state: 'in-progress',
      sla: { ...held.sla, pauses: [{ from: iso(t0 + 13 * MIN), to: iso(t0 + 14 * MIN) }] },
    };
    expect(at({ sla: 'breaching-soon' }, resumed, t0 + 14 * MIN)).toBe(true);
    // Breached at 15 min, on hold from 20 min: still breached, no longer breaching soon.
    const late = {
      ...p1,
      state: 'on-hold',
      sla: { ...p1.sla, pauses: [{ from: iso(t0 + 20 * MIN), to: null }] },
    };
    expect(at({ sla: 'breached' }, late, t0 + 30 * MIN)).toBe(true);
    expect(at({ sla: 'breaching-soon' }, late, t0 + 30 * MIN)).toBe(false);
  });

  it('a clock that has stopped no longer counts; the other running clock still does', () => {
    // Responded late (after its 15 min), resolution (4 h) still running and far from breach.
    const answered = {
      ...p1,
      sla: { ...p1.sla, respondedAt: new Date(t0 + 20 * MIN).toISOString() },
    };
    expect(at({ sla: 'breached' }, answered, t0 + 30 * MIN)).toBe(false);
    // Unanswered: breached at 30 min through its response clock, well before the resolution's.
    expect(at({ sla: 'breached' }, p1, t0 + 30 * MIN)).toBe(true);
    expect(at({ sla: 'breached' }, answered, t0 + 4 * 60 * MIN)).toBe(true);
  });
});

describe('queue order', () => {
  it('sorts by the field in its direction, ties always by number ascending', () => {
    for (const field of SORT_FIELDS)
      for (const dir of ['asc', 'desc'] as const) {
        const sorted = [...tickets].sort(compareTickets({ field, dir }));
        for (let i = 1; i < sorted.length; i++) {
          const [a, b] = [sorted[i - 1]!, sorted[i]!];
          const [x, y] = [a[field] ?? '', b[field] ?? ''];
          if (x === y) expect(a.number < b.number, `${field} ${dir} tie`).toBe(true);
          else expect(dir === 'asc' ? x < y : x > y, `${field} ${dir}`).toBe(true);
        }
      }
  });
});

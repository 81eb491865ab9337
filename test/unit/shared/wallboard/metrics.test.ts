import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  evaluateSla,
  isDoneState,
  KIND_PREFIX,
  type Priority,
  type Ticket,
  type TicketKind,
} from '../../../../shared/domain';
import { compileFilter, type QueueContext } from '../../../../shared/queue';
import {
  ageBandIndex,
  backlogDrill,
  AT_RISK_DRILL,
  BREACHED_DRILL,
  computeWallboard,
  tileStatus,
  type WallboardActivity,
  type WallboardOptions,
} from '../../../../shared/wallboard';
import { incident } from '../domain/fixtures';
import { DEFAULT_SLA_CONFIG } from '../../../../server/src/provision/sla-defaults';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
/** Wednesday 4 March 2026, 12:00 UTC (London is on UTC until 29 March). */
const NOW = Date.UTC(2026, 2, 4, 12);
const DAY_START = Date.UTC(2026, 2, 4);
const ago = (ms: number): string => new Date(NOW - ms).toISOString();

const base = incident();
let seq = 0;
/** A ticket from the shared fixture: in progress, P3, created 2 hours ago, clocks untouched. */
function tk(over: Partial<Ticket> = {}): Ticket {
  seq += 1;
  return {
    ...base,
    number: `${KIND_PREFIX[over.kind ?? 'incident']}-${String(seq).padStart(12, '0')}`,
    priority: 3,
    state: 'in-progress',
    createdAt: ago(2 * HOUR),
    sla: { respondedAt: null, resolvedAt: null, pauses: [] },
    ...over,
  };
}
/** In progress, responded 5 minutes after creation (within every response target used here). */
const running = (priority: Priority, createdAgo: number, over: Partial<Ticket> = {}): Ticket =>
  tk({
    priority,
    createdAt: ago(createdAgo),
    sla: { respondedAt: ago(createdAgo - 5 * MIN), resolvedAt: null, pauses: [] },
    ...over,
  });
/** On hold since `heldAgo` (an open pause), responded 5 minutes after creation. */
const held = (
  priority: Priority,
  createdAgo: number,
  heldAgo: number,
  over: Partial<Ticket> = {},
): Ticket =>
  tk({
    priority,
    state: 'on-hold',
    onHoldReason: 'awaiting-caller',
    createdAt: ago(createdAgo),
    sla: {
      respondedAt: ago(createdAgo - 5 * MIN),
      resolvedAt: null,
      pauses: [{ from: ago(heldAgo), to: null }],
    },
    ...over,
  });
/** Resolved `resolvedAgo` ago, responded 5 minutes after creation. */
const resolved = (
  priority: Priority,
  createdAgo: number,
  resolvedAgo: number,
  over: Partial<Ticket> = {},
): Ticket =>
  tk({
    priority,
    state: 'resolved',
    resolution: { code: 'solved-permanently', notes: 'Fixed' },
    createdAt: ago(createdAgo),
    sla: { respondedAt: ago(createdAgo - 5 * MIN), resolvedAt: ago(resolvedAgo), pauses: [] },
    ...over,
  });

const opts = (over: Partial<WallboardOptions> = {}): WallboardOptions => ({
  now: NOW,
  dayStartMs: DAY_START,
  online: [],
  limit: 10,
  slaConfig: DEFAULT_SLA_CONFIG,
  ...over,
});
const ctx: QueueContext = { me: 'sam', groupIds: [], now: NOW, sla: DEFAULT_SLA_CONFIG };
const cells = (counts: number[], groupId: string | null) =>
  counts.map((count, i) => ({
    priority: i + 1,
    count,
    drill: backlogDrill(groupId, (i + 1) as Priority),
  }));
const none = { measured: 0, compliant: 0, rate: null };
const byPriorityNone = [1, 2, 3, 4, 5].map((priority) => ({ priority, ...none }));

describe('empty input', () => {
  it('has zero counts and null (not NaN) rates', () => {
    const w = computeWallboard([], opts());
    expect(w.openTotal).toBe(0);
    expect(w.backlog).toEqual({
      rows: [],
      totals: { cells: cells([0, 0, 0, 0, 0], null), total: 0, drill: { open: true } },
    });
    expect(w.ageBands.map((b) => b.count)).toEqual([0, 0, 0, 0, 0, 0]);
    const emptyBreakdown = { overall: none, byPriority: byPriorityNone, byGroup: [] };
    expect(w.compliance).toEqual({ now: emptyBreakdown, today: emptyBreakdown });
    expect(w.atRisk).toEqual({ total: 0, items: [] });
    expect(w.breached).toEqual({ total: 0, items: [], drill: { open: true, sla: 'breached' } });
    const zero = { created: 0, resolved: 0 };
    expect(w.flow).toEqual({ last30m: zero, last60m: zero, today: zero });
    expect(w.agents).toEqual([]);
    expect(w.majorIncidents).toEqual([]);
    expect(w.quality).toEqual({
      resolvedToday: 0,
      reopenedToday: null,
      reopenRate: null,
      fcrEligible: 0,
      fcrCount: 0,
      fcrRate: null,
    });
  });

  it('with empty activity counts zero reopens but still has no rate', () => {
    const w = computeWallboard([], opts({ activity: [] }));
    expect(w.quality.reopenedToday).toBe(0);
    expect(w.quality.reopenRate).toBeNull();
  });

  it('lists online people even with no tickets', () => {
    expect(computeWallboard([], opts({ online: new Set(['zoe']) })).agents).toEqual([
      { assigneeId: 'zoe', open: 0, online: true },
    ]);
  });

  it('refuses a non-finite now or day start', () => {
    expect(() => computeWallboard([], opts({ now: NaN }))).toThrow(/now/);
    expect(() => computeWallboard([], opts({ dayStartMs: Infinity }))).toThrow(/dayStartMs/);
  });
});

describe('backlog by group × priority', () => {
  const net = 'group:network';
  const desk = 'group:desktop';
  const tickets = [
    running(1, HOUR, { groupId: net }),
    tk({ priority: 1, state: 'new', groupId: net, createdAt: ago(5 * MIN) }),
    running(3, 2 * HOUR, { groupId: net }),
    running(2, HOUR, { groupId: desk }),
    held(5, 3 * HOUR, HOUR, { groupId: desk }),
    tk({ kind: 'request', state: 'awaiting-approval', groupId: desk }),
    // Done: never in the backlog.
    resolved(1, 3 * HOUR, HOUR, { groupId: net }),
    resolved(3, 3 * DAY, 2 * DAY, { groupId: desk, state: 'closed' }),
    tk({ priority: 2, state: 'cancelled', groupId: net, sla: { ...base.sla, resolvedAt: ago(1) } }),
    tk({
      kind: 'request',
      state: 'fulfilled',
      groupId: desk,
      sla: { ...base.sla, resolvedAt: ago(1) },
    }),
  ];
  const w = computeWallboard(tickets, opts());

  it('counts open tickets only, per group and priority, with totals', () => {
    expect(w.openTotal).toBe(6);
    expect(w.backlog.rows).toEqual([
      {
        groupId: desk,
        cells: cells([0, 1, 1, 0, 1], desk),
        total: 3,
        drill: { open: true, groups: [desk] },
      },
      {
        groupId: net,
        cells: cells([2, 0, 1, 0, 0], net),
        total: 3,
        drill: { open: true, groups: [net] },
      },
    ]);
    expect(w.backlog.totals).toEqual({
      cells: cells([2, 1, 2, 0, 1], null),
      total: 6,
      drill: { open: true },
    });
  });

  it('drills down with the plain queue filter of the cell', () => {
    expect(w.backlog.rows[1]!.cells[0]!.drill).toEqual({
      open: true,
      groups: ['group:network'],
      priorities: [1],
    });
    expect(w.backlog.totals.cells[2]!.drill).toEqual({ open: true, priorities: [3] });
  });

  it('every drill-down shows exactly as many tickets as its cell counts', () => {
    const shown = (f: Parameters<typeof compileFilter>[0]) =>
      tickets.filter(compileFilter(f, ctx)).length;
    for (const row of [...w.backlog.rows, w.backlog.totals]) {
      expect(shown(row.drill)).toBe(row.total);
      for (const cell of row.cells) expect(shown(cell.drill)).toBe(cell.count);
    }
  });
});

describe('age bands', () => {
  it('bins open tickets by createdAt, lower bounds inclusive', () => {
    const ages = [
      -5 * MIN, // clock skew: created "in the future" counts as newest
      30 * MIN,
      HOUR - 1000,
      HOUR,
      3 * HOUR,
      4 * HOUR,
      23 * HOUR,
      DAY,
      2 * DAY,
      3 * DAY,
      7 * DAY,
      30 * DAY,
    ];
    const tickets = [
      ...ages.map((a) => running(4, a)),
      resolved(4, 30 * MIN, 10 * MIN), // done: not in the backlog
    ];
    const w = computeWallboard(tickets, opts());
    expect(w.ageBands.map((b) => [b.label, b.count])).toEqual([
      ['<1h', 3],
      ['1–4h', 2],
      ['4–24h', 2],
      ['1–3d', 2],
      ['3–7d', 1],
      ['>7d', 2],
    ]);
    expect(w.ageBands[5]).toEqual({
      id: 'gt-7d',
      label: '>7d',
      fromMs: 7 * DAY,
      toMs: null,
      count: 2,
    });
  });

  it('ageBandIndex', () => {
    expect(
      [-1, 0, HOUR - 1, HOUR, 4 * HOUR, DAY - 1, DAY, 3 * DAY, 7 * DAY].map(ageBandIndex),
    ).toEqual([0, 0, 0, 1, 2, 2, 3, 4, 5]);
  });
});

describe('SLA compliance', () => {
  // P1 incident: resolution 4 h, P2: 8 h, both on the 24x7 calendar.
  const net = 'group:network';
  const desk = 'group:desktop';
  const openTickets = [
    running(1, HOUR), // A: 25%, compliant
    running(1, 5 * HOUR), // B: 125%, breached
    held(1, 5 * HOUR, 3 * HOUR), // C: 2 h = 50%, paused, compliant
    held(1, 6 * HOUR, HOUR), // D: 5 h = 125% before the pause: breached while on hold
    running(2, 7 * HOUR, { groupId: desk }), // E: 87.5%, at risk but compliant
  ];
  const resolvedTickets = [
    resolved(1, 3 * HOUR, HOUR), // F: 2 h of 4 h, met
    resolved(1, 10 * HOUR, HOUR, { state: 'closed' }), // G: 9 h of 4 h, missed
    resolved(2, 2 * DAY, DAY + HOUR), // H: resolved yesterday
    tk({
      priority: 1,
      state: 'cancelled',
      createdAt: ago(3 * HOUR),
      sla: { respondedAt: ago(2 * HOUR), resolvedAt: ago(2 * HOUR), pauses: [] },
    }), // I: cancelled today, left out
    resolved(2, 4 * HOUR, 30 * MIN, { groupId: desk }), // J: 3.5 h of 8 h, met
  ];
  const w = computeWallboard([...openTickets, ...resolvedTickets], opts());

  it('now: share of open tickets whose resolution clock is not breached', () => {
    expect(w.compliance.now.overall).toEqual({ measured: 5, compliant: 3, rate: 0.6 });
    expect(w.compliance.now.byPriority).toEqual([
      { priority: 1, measured: 4, compliant: 2, rate: 0.5 },
      { priority: 2, measured: 1, compliant: 1, rate: 1 },
      { priority: 3, ...none },
      { priority: 4, ...none },
      { priority: 5, ...none },
    ]);
    expect(w.compliance.now.byGroup).toEqual([
      { groupId: desk, measured: 1, compliant: 1, rate: 1 },
      { groupId: net, measured: 4, compliant: 2, rate: 0.5 },
    ]);
  });

  it('today: share of tickets resolved since the day start within target', () => {
    expect(w.compliance.today.overall).toEqual({ measured: 3, compliant: 2, rate: 2 / 3 });
    expect(w.compliance.today.byPriority.slice(0, 2)).toEqual([
      { priority: 1, measured: 2, compliant: 1, rate: 0.5 },
      { priority: 2, measured: 1, compliant: 1, rate: 1 },
    ]);
    expect(w.compliance.today.byGroup).toEqual([
      { groupId: desk, measured: 1, compliant: 1, rate: 1 },
      { groupId: net, measured: 2, compliant: 1, rate: 0.5 },
    ]);
  });

  it('is null, not NaN, when nothing was resolved today', () => {
    const only = computeWallboard(openTickets, opts());
    expect(only.compliance.today.overall).toEqual(none);
    expect(only.compliance.now.byPriority[2]!.rate).toBeNull();
  });
});

describe('at-risk and breached lists', () => {
  // P1: response 15 min, resolution 4 h; P2: 30 min, 8 h (24x7).
  const K = running(1, 3.5 * HOUR, { title: 'K' }); // resolution 87.5%, due in 30 min
  const L = running(1, 3 * HOUR, { title: 'L' }); // exactly 75%, due in 1 h
  const M = tk({ priority: 2, state: 'new', createdAt: ago(20 * MIN), title: 'M' }); // response 66.7%
  const N = tk({
    priority: 2,
    state: 'new',
    createdAt: ago(25 * MIN),
    title: 'N',
    groupId: 'group:desktop',
    assigneeId: 'ben',
  }); // response 83.3%, due in 5 min
  const O = held(1, 4 * HOUR, HOUR, { title: 'O' }); // 75% but paused: not running, not at risk
  const P = running(1, 5 * HOUR, { title: 'P' }); // resolution 125%, due 1 h ago
  const Q = tk({ priority: 1, state: 'new', createdAt: ago(HOUR), title: 'Q' }); // response 400%
  const R = held(1, 6 * HOUR, HOUR, { title: 'R' }); // 125%, breached before the pause
  const S = tk({ priority: 1, state: 'new', createdAt: ago(5 * HOUR), title: 'S' }); // both clocks
  const gone = resolved(1, 9 * HOUR, 30 * MIN, { title: 'done' }); // done: on no list
  const tickets = [K, L, M, N, O, P, Q, R, S, gone];
  const w = computeWallboard(tickets, opts());

  it('at risk: a running clock at or past 75%, most urgent first', () => {
    expect(w.atRisk.total).toBe(3);
    expect(w.atRisk.items.map((a) => a.title)).toEqual(['N', 'K', 'L']);
    expect(w.atRisk.items[0]).toEqual({
      number: N.number,
      title: 'N',
      groupId: 'group:desktop',
      assigneeId: 'ben',
      priority: 2,
      clock: 'response',
      percent: expect.closeTo(83.333, 2) as number,
      dueAtMs: NOW + 5 * MIN,
      msRemaining: 5 * MIN,
      shown: {
        reading: expect.objectContaining({ clock: 'response', remainingMs: 5 * MIN }) as unknown,
        dayMs: 24 * HOUR,
        pauseReason: null,
      },
    });
    expect(w.atRisk.items[1]).toMatchObject({
      clock: 'resolution',
      percent: 87.5,
      dueAtMs: NOW + 30 * MIN,
      msRemaining: 30 * MIN,
    });
    expect(w.atRisk.items[2]).toMatchObject({ percent: 75, msRemaining: HOUR });
  });

  it('breached: overdue first, a paused breach (due unknown) last', () => {
    expect(w.breached.total).toBe(4);
    expect(w.breached.items.map((a) => a.title)).toEqual(['S', 'P', 'Q', 'R']);
    expect(w.breached.items[0]).toMatchObject({
      clock: 'response', // due 4 h 45 min ago, before its resolution clock (1 h ago)
      percent: 2000,
      dueAtMs: NOW - 4.75 * HOUR,
      msRemaining: -4.75 * HOUR,
    });
    expect(w.breached.items[1]).toMatchObject({
      clock: 'resolution',
      percent: 125,
      dueAtMs: NOW - HOUR,
      msRemaining: -HOUR,
    });
    expect(w.breached.items[2]).toMatchObject({ clock: 'response', percent: 400 });
    expect(w.breached.items[3]).toEqual({
      number: R.number,
      title: 'R',
      groupId: 'group:network',
      assigneeId: null,
      priority: 1,
      clock: 'resolution',
      percent: 125,
      dueAtMs: null,
      msRemaining: -HOUR,
      shown: {
        reading: expect.objectContaining({ clock: 'resolution', paused: true }) as unknown,
        dayMs: 24 * HOUR,
        pauseReason: null,
      },
    });
  });

  it('caps both lists at the limit but counts them all', () => {
    const capped = computeWallboard(tickets, opts({ limit: 2 }));
    expect(capped.atRisk.total).toBe(3);
    expect(capped.atRisk.items.map((a) => a.title)).toEqual(['N', 'K']);
    expect(capped.breached.total).toBe(4);
    expect(capped.breached.items.map((a) => a.title)).toEqual(['S', 'P']);
    expect(computeWallboard(tickets, opts({ limit: 0 })).breached.items).toEqual([]);
  });

  it('breaks ties by priority, then number', () => {
    const a = running(2, 7 * HOUR, { title: 'a' }); // P2 due in 1 h
    const b = running(1, 3 * HOUR, { title: 'b' }); // P1 due in 1 h
    const c = running(1, 3 * HOUR, { title: 'c' });
    expect(computeWallboard([a, c, b], opts()).atRisk.items.map((x) => x.title)).toEqual([
      'b',
      'c',
      'a',
    ]);
  });

  it('the breached drill-down is the queue filter that shows the same tickets', () => {
    expect(w.breached.drill).toEqual(BREACHED_DRILL);
    const shown = tickets.filter(compileFilter(BREACHED_DRILL, ctx)).map((t) => t.title);
    expect(shown.sort()).toEqual(['P', 'Q', 'R', 'S']);
  });

  it('the at-risk drill-down is the queue filter that shows the same tickets', () => {
    const shown = tickets.filter(compileFilter(AT_RISK_DRILL, ctx)).map((t) => t.title);
    expect(shown.sort()).toEqual(w.atRisk.items.map((a) => a.title).sort());
    expect(shown).toHaveLength(w.atRisk.total);
  });
});

describe('created vs resolved', () => {
  it('counts the last 30 and 60 minutes and since the day start, bounds inclusive', () => {
    const old = 2 * DAY;
    const tickets = [
      tk({ createdAt: ago(10 * MIN) }),
      tk({ createdAt: ago(30 * MIN) }),
      tk({ createdAt: ago(31 * MIN) }),
      tk({ createdAt: ago(60 * MIN) }),
      tk({ createdAt: ago(61 * MIN) }),
      tk({ createdAt: ago(11 * HOUR) }), // 01:00 today
      tk({ createdAt: ago(13 * HOUR) }), // 23:00 yesterday
      tk({ createdAt: ago(-MIN) }), // a minute ahead: not yet
      resolved(4, old, 5 * MIN),
      resolved(4, old, 45 * MIN, { state: 'closed' }),
      resolved(4, old, 2 * HOUR),
      resolved(4, old, 13 * HOUR), // yesterday
      resolved(4, old, -5 * MIN), // ahead of now: not yet
      tk({
        state: 'cancelled',
        createdAt: ago(old),
        sla: { respondedAt: null, resolvedAt: ago(5 * MIN), pauses: [] },
      }), // cancelled is not resolved
    ];
    expect(computeWallboard(tickets, opts()).flow).toEqual({
      last30m: { created: 2, resolved: 1 },
      last60m: { created: 4, resolved: 2 },
      today: { created: 6, resolved: 3 },
    });
  });
});

describe('agent load', () => {
  it('counts open assignments, flags who is online, highest load first', () => {
    const tickets = [
      running(3, HOUR, { assigneeId: 'alice' }),
      running(3, HOUR, { assigneeId: 'alice' }),
      held(3, 3 * HOUR, HOUR, { assigneeId: 'alice' }),
      running(3, HOUR, { assigneeId: 'carol' }),
      running(3, HOUR, { assigneeId: 'bob' }),
      running(3, HOUR, { assigneeId: null }),
      resolved(3, 3 * HOUR, HOUR, { assigneeId: 'carol' }),
      resolved(3, 3 * HOUR, HOUR, { assigneeId: 'erin' }),
    ];
    const expected = [
      { assigneeId: 'alice', open: 3, online: false },
      { assigneeId: 'bob', open: 1, online: true },
      { assigneeId: 'carol', open: 1, online: false },
      { assigneeId: 'dave', open: 0, online: true },
    ];
    expect(computeWallboard(tickets, opts({ online: ['bob', 'dave'] })).agents).toEqual(expected);
    expect(computeWallboard(tickets, opts({ online: new Set(['dave', 'bob']) })).agents).toEqual(
      expected,
    );
  });
});

describe('major incidents', () => {
  it('are open P1 incidents with an open child, longest-running first', () => {
    const mi1 = running(1, 2 * HOUR, { title: 'Mail down', groupId: 'group:collab' });
    const mi2 = running(1, HOUR, { title: 'VPN down', assigneeId: 'alice' });
    const p1OnlyDoneChildren = running(1, HOUR);
    const p2 = running(2, HOUR);
    const p1Resolved = resolved(1, 3 * HOUR, HOUR);
    const problem = running(1, HOUR, { kind: 'problem', state: 'assessment' });
    const child = (parent: Ticket, over: Partial<Ticket>) =>
      tk({ parentNumber: parent.number, ...over });
    const tickets = [
      mi1,
      child(mi1, { createdAt: ago(90 * MIN) }),
      resolved(3, 100 * MIN, 10 * MIN, { parentNumber: mi1.number }),
      child(mi1, { kind: 'request', state: 'new', createdAt: ago(30 * MIN) }),
      mi2,
      child(mi2, { createdAt: ago(5 * HOUR) }), // logged before its parent, linked later
      p1OnlyDoneChildren,
      resolved(3, HOUR, 10 * MIN, { parentNumber: p1OnlyDoneChildren.number }),
      p2,
      child(p2, {}),
      p1Resolved,
      child(p1Resolved, {}),
      problem,
      child(problem, {}),
    ];
    expect(computeWallboard(tickets, opts()).majorIncidents).toEqual([
      {
        number: mi1.number,
        title: 'Mail down',
        groupId: 'group:collab',
        assigneeId: null,
        openChildren: 2,
        allChildren: 3,
        declaredAtMs: NOW - 100 * MIN, // its first child's creation, after its own
        msSinceDeclared: 100 * MIN,
      },
      {
        number: mi2.number,
        title: 'VPN down',
        groupId: 'group:network',
        assigneeId: 'alice',
        openChildren: 1,
        allChildren: 1,
        declaredAtMs: NOW - HOUR, // its own creation, after its child's
        msSinceDeclared: HOUR,
      },
    ]);
  });
});

describe('reopen rate and first-contact resolution', () => {
  const F1 = resolved(3, 3 * HOUR, HOUR, { createdBy: 'alice', assigneeId: 'alice' });
  const F2 = resolved(3, 3 * HOUR, HOUR, { createdBy: 'alice', assigneeId: null });
  const F3 = resolved(3, 5 * HOUR, HOUR, {
    createdBy: 'alice',
    assigneeId: 'alice',
    sla: {
      respondedAt: ago(5 * HOUR),
      resolvedAt: ago(HOUR),
      pauses: [{ from: ago(4 * HOUR), to: ago(3 * HOUR) }],
    },
  }); // was on hold
  const F4 = resolved(3, 3 * HOUR, HOUR, { createdBy: 'alice', assigneeId: 'bob' }); // handed off
  const F5 = resolved(3, 3 * HOUR, HOUR, {
    kind: 'request',
    number: 'REQ-0000000000F5',
    state: 'fulfilled',
    resolution: null,
    createdBy: 'alice',
    assigneeId: 'alice',
  });
  const F6 = resolved(3, 3 * HOUR, HOUR, {
    kind: 'problem',
    createdBy: 'alice',
    assigneeId: 'alice',
  }); // not a contact
  const F7 = resolved(3, 3 * HOUR, HOUR, { createdBy: 'alice', assigneeId: 'alice' });
  const X = running(3, 3 * DAY, { createdBy: 'alice', assigneeId: 'alice' }); // reopened today
  const Y = running(3, 3 * DAY, {
    kind: 'request',
    number: 'REQ-00000000000Y',
  }); // reopened today
  const Z = running(3, 3 * DAY); // reopened yesterday
  const tickets = [F1, F2, F3, F4, F5, F6, F7, X, Y, Z];
  const entry = (
    ticketNumber: string,
    type: WallboardActivity['type'],
    at: string,
    data: Record<string, unknown>,
  ): WallboardActivity => ({ ticketNumber, type, at, data });
  const activity = [
    entry(X.number, 'state-change', ago(2 * HOUR), { from: 'resolved', to: 'in-progress' }),
    entry(F3.number, 'state-change', ago(2 * HOUR), { from: 'resolved', to: 'in-progress' }),
    entry(Y.number, 'state-change', ago(3 * HOUR), { from: 'fulfilled', to: 'in-progress' }),
    entry(Z.number, 'state-change', ago(13 * HOUR), { from: 'resolved', to: 'in-progress' }),
    entry(F1.number, 'state-change', ago(3 * HOUR), { from: 'new', to: 'in-progress' }),
    entry(F2.number, 'state-change', ago(3 * HOUR), {}), // malformed: ignored
    entry(F5.number, 'field-change', ago(2 * HOUR), { field: 'groupId', from: 'a', to: 'b' }),
    entry(F7.number, 'field-change', ago(2 * HOUR), {
      field: 'assigneeId',
      from: null,
      to: 'alice',
    }), // a first pick-up, no reassignment
    entry(F1.number, 'work-note', ago(HOUR), { from: 'resolved', to: 'new' }), // not a move
  ];

  it('without activity: FCR from the tickets alone, no reopen figures', () => {
    expect(computeWallboard(tickets, opts()).quality).toEqual({
      resolvedToday: 7,
      reopenedToday: null,
      reopenRate: null,
      fcrEligible: 6, // F1–F5, F7 (F6 is a problem)
      fcrCount: 4, // F1, F2, F5, F7
      fcrRate: 4 / 6,
    });
  });

  it('with activity: reopens today, and a group change spoils FCR', () => {
    expect(computeWallboard(tickets, opts({ activity })).quality).toEqual({
      resolvedToday: 7,
      reopenedToday: 3, // X, F3, Y
      reopenRate: 3 / 9, // of the 7 resolved today plus X and Y
      fcrEligible: 6,
      fcrCount: 3, // F1, F2, F7
      fcrRate: 0.5,
    });
  });
});

describe('tile status', () => {
  it('higher is worse', () => {
    const t = { amber: 10, red: 20, direction: 'higher-is-worse' } as const;
    expect([5, 10, 19.9, 20, 100].map((v) => tileStatus(v, t))).toEqual([
      'ok',
      'amber',
      'amber',
      'red',
      'red',
    ]);
  });

  it('lower is worse', () => {
    const t = { amber: 0.9, red: 0.8, direction: 'lower-is-worse' } as const;
    expect([0.95, 0.9, 0.85, 0.8, 0.1].map((v) => tileStatus(v, t))).toEqual([
      'ok',
      'amber',
      'amber',
      'red',
      'red',
    ]);
  });

  it('nothing measured is ok', () => {
    const t = { amber: 0.9, red: 0.8, direction: 'lower-is-worse' } as const;
    expect(tileStatus(null, t)).toBe('ok');
    expect(tileStatus(NaN, t)).toBe('ok');
  });
});

describe('agreement with the SLA engine', () => {
  // The wallboard skips the engine for tickets too young to alert; this checks the skip never
  // changes a figure, against a brute-force reading of every open ticket.
  const ticketArb = fc.record({
    priority: fc.constantFrom<Priority>(1, 2, 3, 4, 5),
    kind: fc.constantFrom<TicketKind>('incident', 'request', 'change'),
    createdAgo: fc.integer({ min: -HOUR, max: 20 * DAY }),
    respondedAfter: fc.option(fc.integer({ min: 0, max: 3 * DAY })),
    pause: fc.option(
      fc.record({ after: fc.integer({ min: 0, max: 3 * DAY }), open: fc.boolean() }),
    ),
  });
  it('at risk, breached and compliance now match a direct evaluation', () => {
    fc.assert(
      fc.property(fc.array(ticketArb, { maxLength: 30 }), (specs) => {
        const tickets = specs.map((s) => {
          const created = NOW - s.createdAgo;
          const at = (ms: number) => new Date(Math.min(ms, NOW)).toISOString();
          return tk({
            kind: s.kind,
            priority: s.priority,
            state: 'new',
            createdAt: new Date(created).toISOString(),
            sla: {
              respondedAt: s.respondedAfter === null ? null : at(created + s.respondedAfter),
              resolvedAt: null,
              pauses: s.pause
                ? [{ from: at(created + s.pause.after), to: s.pause.open ? null : at(NOW) }]
                : [],
            },
          });
        });
        const w = computeWallboard(tickets, opts({ limit: 1000 }));
        const readings = tickets.map((t) => evaluateSla(t, NOW, DEFAULT_SLA_CONFIG)!);
        const statuses = readings.map((r) => [r.response.status, r.resolution.status]);
        const breached = statuses.filter((s) => s.includes('breached')).length;
        const atRisk = statuses.filter(
          (s) => !s.includes('breached') && s.includes('warning-75'),
        ).length;
        expect(w.breached.total).toBe(breached);
        expect(w.atRisk.total).toBe(atRisk);
        expect(w.compliance.now.overall.measured).toBe(tickets.length);
        expect(w.compliance.now.overall.compliant).toBe(
          readings.filter((r) => r.resolution.status !== 'breached').length,
        );
      }),
      { numRuns: 200 },
    );
  });
});

describe('scale', () => {
  const STATES: Record<TicketKind, readonly string[]> = {
    incident: ['new', 'in-progress', 'on-hold', 'resolved', 'closed', 'cancelled'],
    request: ['new', 'awaiting-approval', 'in-progress', 'fulfilled', 'closed'],
    problem: ['assessment', 'root-cause-analysis', 'resolved'],
    change: ['scheduled', 'implement', 'review', 'closed'],
    workorder: ['assigned', 'in-progress', 'on-hold', 'completed'],
  };
  const KINDS: readonly TicketKind[] = ['incident', 'incident', 'incident', 'request', 'change'];
  function generated(n: number): Ticket[] {
    const out: Ticket[] = [];
    for (let i = 0; i < n; i++) {
      const kind = KINDS[i % KINDS.length]!;
      const states = STATES[kind];
      const state = states[(i * 7) % states.length]!;
      const created = NOW - ((i * 7919) % (30 * 24 * 60)) * MIN;
      const at = (ms: number) => new Date(Math.min(ms, NOW)).toISOString();
      const done = isDoneState(kind, state);
      out.push({
        ...base,
        number: `${KIND_PREFIX[kind]}-${String(i).padStart(12, '0')}`,
        kind,
        state,
        priority: ((i % 5) + 1) as Priority,
        groupId: `group:g${i % 12}`,
        assigneeId: i % 9 === 0 ? null : `agent${i % 40}`,
        parentNumber: i % 50 === 7 ? `INC-${String(i - 7).padStart(12, '0')}` : null,
        onHoldReason: state === 'on-hold' ? 'awaiting-caller' : null,
        createdAt: at(created),
        sla: {
          respondedAt: state === 'new' ? null : at(created + 20 * MIN),
          resolvedAt: done ? at(created + ((i % 97) + 1) * HOUR) : null,
          pauses:
            state === 'on-hold' || state === 'awaiting-approval'
              ? [{ from: at(created + 30 * MIN), to: null }]
              : [],
        },
      });
    }
    return out;
  }

  it('computes 100,000 tickets without error', () => {
    const tickets = generated(100_000);
    const w = computeWallboard(tickets, opts({ online: ['agent1', 'agent2'], limit: 25 }));
    expect(w.openTotal).toBeGreaterThan(0);
    expect(w.backlog.totals.total).toBe(w.openTotal);
    expect(w.ageBands.reduce((s, b) => s + b.count, 0)).toBe(w.openTotal);
    expect(w.agents.reduce((s, a) => s + a.open, 0)).toBeLessThanOrEqual(w.openTotal);
    expect(w.atRisk.items.length).toBeLessThanOrEqual(25);
    expect(w.breached.items.length).toBeLessThanOrEqual(25);
    expect(w.compliance.now.overall.measured).toBe(w.openTotal);
    const numbers: number[] = [];
    JSON.stringify(w, (_k, v: unknown) => {
      if (typeof v === 'number') numbers.push(v);
      return v;
    });
    expect(numbers.some(Number.isNaN)).toBe(false);
  });
});

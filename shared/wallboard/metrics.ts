/**
 * The supervisors' wallboard, computed from the local replica: backlog by group × priority, age
 * of the open backlog, SLA compliance, at-risk and breached tickets, created vs resolved, agent
 * load, active major incidents, reopen rate and first-contact resolution. Pure: `now` and the
 * start of the local day are parameters, nothing here reads the clock or storage.
 *
 * Vocabulary used throughout:
 * - open: not in a done state of its kind (`isDoneState`), exactly as the queue filter's
 *   `open: true`, so every drill-down filter shows the tickets its tile counted;
 * - resolved: in a done state other than `cancelled` (resolved, fulfilled, completed, closed,
 *   rejected, a change in review) with `sla.resolvedAt` at or before `now`; it was resolved at
 *   `sla.resolvedAt` (restamped by a later re-resolve after a reopen);
 * - today: the instants in [`dayStartMs`, `now`]; the caller computes `dayStartMs` (local
 *   midnight of the desk) so this module needs no time zone.
 *
 * Full recomputation, no incremental accumulator: almost every figure depends on `now` (SLA
 * percentages, at-risk and breached lists, age bands, the 30/60-minute windows), so an
 * accumulator would still have to re-read the SLA clock of every open ticket on each snapshot,
 * and that read is most of the cost. So this is one plain pass over the tickets: one SLA
 * evaluation per open or resolved-today ticket, except open tickets younger (in wall-clock time)
 * than 75% of their targets, which cannot be at risk or breached (see `tooYoungToAlert`), and
 * counters in maps. On 100,000 demo tickets (16,830 open) a warm refresh took 120–140 ms of CPU
 * on the 2-core development machine under a load average of 2–3, three quarters of it in the
 * SLA engine; the first call in a process is slower while the engine's code and time-zone
 * caches warm up.
 */
import {
  DEFAULT_SLA_WARNINGS,
  evaluateSla,
  policyMatches,
  responseAt,
  shownSlaClock,
  isDoneState,
  KIND_PREFIX,
  TICKET_KINDS,
  type ActivityEntry,
  type Priority,
  type SlaClockName,
  type SlaClockReading,
  type SlaConfig,
  type SlaPolicy,
  type SlaShown,
  type Ticket,
  type TicketKind,
  type TicketSla,
} from '../domain';
import type { QueueFilter } from '../queue';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** The priorities a backlog row has a cell for, in column order. */
export const WALLBOARD_PRIORITIES = [1, 2, 3, 4, 5] as const satisfies readonly Priority[];

/** Age bands of the open backlog (by `createdAt`, wall-clock time): [fromMs, toMs). */
export const AGE_BANDS = [
  { id: 'lt-1h', label: '<1h', fromMs: 0, toMs: HOUR },
  { id: '1h-4h', label: '1–4h', fromMs: HOUR, toMs: 4 * HOUR },
  { id: '4h-24h', label: '4–24h', fromMs: 4 * HOUR, toMs: DAY },
  { id: '1d-3d', label: '1–3d', fromMs: DAY, toMs: 3 * DAY },
  { id: '3d-7d', label: '3–7d', fromMs: 3 * DAY, toMs: 7 * DAY },
  { id: 'gt-7d', label: '>7d', fromMs: 7 * DAY, toMs: null },
] as const;
/** One age band's id. */
export type AgeBandId = (typeof AGE_BANDS)[number]['id'];

/** Rolling windows of the created-vs-resolved tile. */
export const FLOW_WINDOWS_MS = { last30m: 30 * MINUTE, last60m: 60 * MINUTE } as const;

/**
 * The activity fields the wallboard reads. Only two entry types matter, with this `data`:
 * `state-change` `{ from: string, to: string }` (states) and `field-change`
 * `{ field: string, from: unknown, to: unknown }`. Entries of other types, or without these
 * fields, are ignored.
 */
export type WallboardActivity = Pick<ActivityEntry, 'ticketNumber' | 'type' | 'at' | 'data'>;

/** Inputs besides the tickets. */
export type WallboardOptions = {
  /** Now, in epoch ms. */
  readonly now: number;
  /** Start of the desk's local day (local midnight), epoch ms, computed by the caller. */
  readonly dayStartMs: number;
  /** User names currently online (e.g. `onlineUsers()` of shared/presence). */
  readonly online: ReadonlySet<string> | readonly string[];
  /** Activity entries; needed for the reopen rate and to sharpen first-contact resolution. */
  readonly activity?: readonly WallboardActivity[];
  /** At most this many tickets in each of the at-risk and breached lists. */
  readonly limit: number;
  /** The desk's SLA policies and calendars (null before they have loaded: no SLA tiles). */
  readonly slaConfig: SlaConfig | null;
  /**
   * The SLA reading of a ticket at `now` (default: `evaluateSla`). A caller refreshing often may
   * pass a memo that reuses a reading until the ticket changes or its next threshold crossing
   * (statuses change only there; countdowns are derived from `dueAtMs` at display time).
   */
  readonly slaOf?: (t: Ticket) => TicketSla | null;
};

/** One cell of the backlog matrix: open tickets of one group and priority. */
export type BacklogCell = {
  readonly priority: Priority;
  readonly count: number;
  readonly drill: QueueFilter;
};

/** One row of the backlog matrix: a group's open tickets per priority. */
export type BacklogRow = {
  readonly groupId: string;
  /** One cell per priority, P1 first. */
  readonly cells: readonly BacklogCell[];
  readonly total: number;
  readonly drill: QueueFilter;
};

/** Open tickets by assignment group × priority, with a totals row over all groups. */
export type Backlog = {
  /** Groups with at least one open ticket, by group id. */
  readonly rows: readonly BacklogRow[];
  readonly totals: {
    readonly cells: readonly BacklogCell[];
    readonly total: number;
    readonly drill: QueueFilter;
  };
};

/** Open tickets whose age falls in one band. */
export type AgeBandCount = {
  readonly id: AgeBandId;
  readonly label: string;
  readonly fromMs: number;
  /** Exclusive upper bound; null for the last, open-ended band. */
  readonly toMs: number | null;
  readonly count: number;
};

/** Compliant out of measured; `rate` is their ratio in [0, 1], null when nothing was measured. */
export type Compliance = {
  readonly measured: number;
  readonly compliant: number;
  readonly rate: number | null;
};

/** Compliance overall, per priority (always five entries) and per group (groups measured). */
export type ComplianceBreakdown = {
  readonly overall: Compliance;
  readonly byPriority: readonly (Compliance & { readonly priority: Priority })[];
  readonly byGroup: readonly (Compliance & { readonly groupId: string })[];
};

/**
 * SLA compliance, always of the resolution clock, for tickets an SLA policy covers.
 *
 * - `now`: measured = open tickets; compliant = those whose resolution clock is not breached at
 *   `now`. A paused clock is compliant unless it had already breached before the pause (the SLA
 *   engine keeps a breach as breached while on hold).
 * - `today`: measured = tickets resolved today (resolution clock stopped in [`dayStartMs`,
 *   `now`]), cancelled tickets left out (the engine's `cancelled` status); compliant = those
 *   stopped before reaching their target (`met`; `missed` is stopped at or after 100%).
 *
 * `rate` is null, never NaN, when nothing was measured.
 */
export type SlaCompliance = {
  readonly now: ComplianceBreakdown;
  readonly today: ComplianceBreakdown;
};

/** An open ticket on the at-risk or breached list, read through its most urgent clock. */
export type SlaAlert = {
  readonly number: string;
  readonly title: string;
  readonly groupId: string;
  readonly assigneeId: string | null;
  readonly priority: Priority;
  readonly clock: SlaClockName;
  /** Elapsed as a percentage of the target, not capped. */
  readonly percent: number;
  /** When the clock reaches (reached) its target, epoch ms; null while paused. */
  readonly dueAtMs: number | null;
  /** Business ms left before the target (the SLA engine's `remainingMs`); negative once breached. */
  readonly msRemaining: number;
  /** The clock as the SLA formatter (shared/domain/sla-format.ts) puts it on screen. */
  readonly shown: SlaShown;
};

/** A capped list of alerts and how many there are in all. */
export type SlaAlertList = {
  readonly total: number;
  readonly items: readonly SlaAlert[];
};

/** Tickets created and resolved in one window. */
export type FlowCount = { readonly created: number; readonly resolved: number };

/** Created vs resolved over the last 30 and 60 minutes and today, each window [start, `now`]. */
export type Flow = {
  readonly last30m: FlowCount;
  readonly last60m: FlowCount;
  readonly today: FlowCount;
};

/** Open tickets assigned to one person, and whether that person is online. */
export type AgentLoad = {
  readonly assigneeId: string;
  readonly open: number;
  readonly online: boolean;
};

/** An active major incident (see `computeWallboard`). */
export type MajorIncident = {
  readonly number: string;
  readonly title: string;
  readonly groupId: string;
  readonly assigneeId: string | null;
  readonly openChildren: number;
  readonly allChildren: number;
  /** Earliest instant it can have been major: its creation or its first child's, the later. */
  readonly declaredAtMs: number;
  readonly msSinceDeclared: number;
};

/**
 * Reopen rate and first-contact resolution (FCR) today.
 *
 * Reopen (needs `activity`; tickets keep no state history): a ticket is reopened today if a
 * `state-change` entry in [`dayStartMs`, `now`] moved it from a done state of its kind (kind
 * from the number prefix) to a state that is not done. `reopenRate` = reopened today ÷ (tickets
 * resolved today ∪ tickets reopened today), so a ticket resolved and reopened the same day
 * counts once in the denominator and the rate never exceeds 1. Without `activity` both
 * `reopenedToday` and `reopenRate` are null.
 *
 * FCR is an approximation, as tickets record neither past assignees nor past states: among
 * incidents and requests resolved today (`fcrEligible`; problems, changes and work orders are
 * not contacts), a ticket counts as first-contact resolved when
 * 1. `sla.pauses` is empty: it was never on hold (every on-hold adds a pause); this is stricter
 *    than "no on-hold", as a request's approval wait and time spent resolved before a reopen
 *    are pauses too; and
 * 2. it is assigned to its creator or to nobody: it never left the agent who logged it, as far
 *    as the final state shows (a hand-off and back, A → B → A, is invisible); and
 * 3. with `activity`, no `field-change` entry of that ticket changes `groupId`, or changes
 *    `assigneeId` from anything but an explicit `from: null` (a first pick-up is no
 *    reassignment).
 * `fcrRate` = first-contact resolved ÷ `fcrEligible`, null when nothing is eligible.
 */
export type QualityToday = {
  /** Tickets resolved today (all kinds, cancelled excluded). */
  readonly resolvedToday: number;
  readonly reopenedToday: number | null;
  readonly reopenRate: number | null;
  readonly fcrEligible: number;
  readonly fcrCount: number;
  readonly fcrRate: number | null;
};

/** Everything the wallboard shows. */
export type Wallboard = {
  readonly now: number;
  readonly dayStartMs: number;
  readonly openTotal: number;
  readonly backlog: Backlog;
  readonly ageBands: readonly AgeBandCount[];
  readonly compliance: SlaCompliance;
  /** Open, not breached, with a running (not paused) clock at or past 75% of its target. */
  readonly atRisk: SlaAlertList;
  /** Open with a clock past its target (running or paused since); `drill` lists them all. */
  readonly breached: SlaAlertList & { readonly drill: QueueFilter };
  readonly flow: Flow;
  /** By open load, highest first, then by name; online people with no open ticket included. */
  readonly agents: readonly AgentLoad[];
  /** Longest-running first. */
  readonly majorIncidents: readonly MajorIncident[];
  readonly quality: QualityToday;
};

/** Tile colours. */
export type TileStatus = 'ok' | 'amber' | 'red';

/** When a tile turns amber and red, and whether a higher or a lower value is worse. */
export type TileThresholds = {
  readonly amber: number;
  readonly red: number;
  readonly direction: 'higher-is-worse' | 'lower-is-worse';
};

/**
 * The colour of a tile showing `value`: red at or beyond `red`, else amber at or beyond `amber`,
 * else ok ("beyond" = above for higher-is-worse, below for lower-is-worse). A value of null or
 * NaN (nothing measured) is ok.
 */
export function tileStatus(value: number | null, t: TileThresholds): TileStatus {
  if (value === null || Number.isNaN(value)) return 'ok';
  const reached = (threshold: number): boolean =>
    t.direction === 'higher-is-worse' ? value >= threshold : value <= threshold;
  if (reached(t.red)) return 'red';
  if (reached(t.amber)) return 'amber';
  return 'ok';
}

/** The index in `AGE_BANDS` of an age in ms (a negative age, clock skew, counts as newest). */
export function ageBandIndex(ageMs: number): number {
  for (let i = AGE_BANDS.length - 1; i > 0; i--) if (ageMs >= AGE_BANDS[i]!.fromMs) return i;
  return 0;
}

/** The drill-down filter of a backlog cell, row (priority null) or column (group null). */
export function backlogDrill(groupId: string | null, priority: Priority | null): QueueFilter {
  return {
    open: true,
    ...(groupId === null ? {} : { groups: [groupId] }),
    ...(priority === null ? {} : { priorities: [priority] }),
  };
}

/** The drill-down of the breached list: the queue filter that shows exactly those tickets. */
export const BREACHED_DRILL: QueueFilter = { open: true, sla: 'breached' };
/** The queue filter that lists exactly the tickets the At risk tile counts. */
export const AT_RISK_DRILL: QueueFilter = { open: true, sla: 'at-risk' };

// ---------------------------------------------------------------------------------------------

type Counter = { measured: number; compliant: number };

class ComplianceTally {
  private readonly overall: Counter = { measured: 0, compliant: 0 };
  private readonly byPriority: Counter[] = WALLBOARD_PRIORITIES.map(() => ({
    measured: 0,
    compliant: 0,
  }));
  private readonly byGroup = new Map<string, Counter>();

  add(t: Ticket, compliant: boolean): void {
    const ok = compliant ? 1 : 0;
    let g = this.byGroup.get(t.groupId);
    if (!g) this.byGroup.set(t.groupId, (g = { measured: 0, compliant: 0 }));
    g.measured++;
    g.compliant += ok;
    this.overall.measured++;
    this.overall.compliant += ok;
    const p = this.byPriority[t.priority - 1];
    if (p) {
      p.measured++;
      p.compliant += ok;
    }
  }

  result(): ComplianceBreakdown {
    return {
      overall: compliance(this.overall),
      byPriority: WALLBOARD_PRIORITIES.map((priority, i) => ({
        priority,
        ...compliance(this.byPriority[i]!),
      })),
      byGroup: [...this.byGroup]
        .sort(([a], [b]) => compareText(a, b))
        .map(([groupId, c]) => ({ groupId, ...compliance(c) })),
    };
  }
}

function compliance(c: Counter): Compliance {
  return {
    measured: c.measured,
    compliant: c.compliant,
    rate: c.measured === 0 ? null : c.compliant / c.measured,
  };
}

const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const ratio = (n: number, d: number): number | null => (d === 0 ? null : n / d);
type Candidate = { readonly t: Ticket; readonly r: SlaClockReading };

/**
 * Most urgent first: earliest due (a paused clock, due nobody knows when, after the others),
 * then least time left. `dueAt` strings come from `toISOString`, so they sort as instants.
 */
function compareUrgency(a: SlaClockReading, b: SlaClockReading): number {
  if (a.dueAt !== b.dueAt) {
    if (a.dueAt === null) return 1;
    if (b.dueAt === null) return -1;
    return a.dueAt < b.dueAt ? -1 : 1;
  }
  return a.remainingMs - b.remainingMs;
}

/** The most urgent clock of `sla` in `status`, if any. */
function urgentClock(sla: TicketSla, status: 'breached' | 'warning-75'): SlaClockReading | null {
  const { response: a, resolution: b } = sla;
  if (a.status !== status) return b.status === status ? b : null;
  return b.status === status && compareUrgency(b, a) < 0 ? b : a;
}

/**
 * The alert of a listed candidate, its clock read afresh at `now` for the words on screen (a
 * memo's reading is current in status, not in business time left).
 */
function alertOf(c: Candidate, now: number, config: SlaConfig): SlaAlert {
  const t = c.t;
  const fresh = shownSlaClock(t, now, config);
  const shown: SlaShown =
    fresh && fresh.reading.clock === c.r.clock
      ? fresh
      : { reading: c.r, dayMs: DAY, pauseReason: null };
  const r = shown.reading;
  return {
    shown,
    number: t.number,
    title: t.title,
    groupId: t.groupId,
    assigneeId: t.assigneeId,
    priority: t.priority,
    clock: r.clock,
    percent: r.percent,
    dueAtMs: r.dueAt === null ? null : Date.parse(r.dueAt),
    msRemaining: r.remainingMs,
  };
}

const compareCandidates = (a: Candidate, b: Candidate): number =>
  compareUrgency(a.r, b.r) || a.t.priority - b.t.priority || compareText(a.t.number, b.t.number);

/** Keeps the `limit` most urgent candidates, sorted, and counts them all. */
class TopAlerts {
  private readonly top: Candidate[] = [];
  private total = 0;
  private readonly limit: number;

  constructor(limit: number) {
    this.limit = Number.isFinite(limit) ? Math.max(0, Math.floor(limit)) : Infinity;
  }

  add(c: Candidate): void {
    this.total++;
    const { top } = this;
    const last = top[top.length - 1];
    if (this.limit === 0 || (top.length >= this.limit && last && compareCandidates(c, last) >= 0))
      return;
    let i = top.length;
    while (i > 0 && compareCandidates(c, top[i - 1]!) < 0) i--;
    top.splice(i, 0, c);
    if (top.length > this.limit) top.pop();
  }

  result(now: number, config: SlaConfig): SlaAlertList {
    return { total: this.total, items: this.top.map((c) => alertOf(c, now, config)) };
  }
}

const KIND_BY_PREFIX = new Map<string, TicketKind>(TICKET_KINDS.map((k) => [KIND_PREFIX[k], k]));

/** The kind of a ticket number from its prefix (INC-…), if known. */
function kindOfNumber(number: string): TicketKind | undefined {
  const dash = number.indexOf('-');
  return dash < 0 ? undefined : KIND_BY_PREFIX.get(number.slice(0, dash));
}

/**
 * `YYYY-MM-DD` of `ms` in UTC: every ISO timestamp that sorts before it is earlier than `ms`
 * (outside the years 1900–9999, an empty string, which nothing sorts before).
 */
function dateKey(ms: number): string {
  return ms >= Date.UTC(1900, 0, 1) && ms < Date.UTC(10000, 0, 1)
    ? new Date(ms).toISOString().slice(0, 10)
    : '';
}

/**
 * True if no running clock of open ticket `t` can have reached its policy's at-risk warning
 * (75% unless the policy says otherwise) by `now`, so
 * the SLA engine need not be asked: business time never runs faster than the wall clock, and
 * pauses only take time off, so a clock's elapsed time is at most the ticket's age. A stopped
 * response clock (met or missed) raises no alert; a stopped resolution clock on an open ticket
 * is left to the engine.
 */
function tooYoungToAlert(
  t: Ticket,
  policy: SlaPolicy,
  createdMs: number,
  now: number,
  nowDate: string,
): boolean {
  const age = now - createdMs;
  const atRisk = (policy.thresholds ?? DEFAULT_SLA_WARNINGS).atRisk;
  if (!(age * 100 < policy.resolutionMs * atRisk) || t.sla.resolvedAt !== null) return false;
  const responded = responseAt(policy, t);
  if (responded !== null && (responded < nowDate || Date.parse(responded) <= now)) return true;
  return age * 100 < policy.responseMs * atRisk;
}

function isList(x: ReadonlySet<string> | readonly string[]): x is readonly string[] {
  return Array.isArray(x);
}

type ChildTally = { open: number; all: number; earliestCreated: number };

function cellsOf(counts: readonly number[], groupId: string | null): BacklogCell[] {
  return WALLBOARD_PRIORITIES.map((priority, i) => ({
    priority,
    count: counts[i] ?? 0,
    drill: backlogDrill(groupId, priority),
  }));
}

/** Per-ticket facts that never change for one ticket object (tickets are immutable). */
const FACTS = new WeakMap<Ticket, { readonly open: boolean; readonly createdMs: number }>();

/**
 * The whole wallboard from every ticket of the replica (open and done), in one pass.
 *
 * A major incident is an open priority-1 incident with at least one open child (a ticket of any
 * kind whose `parentNumber` is its number); shared/domain has no other notion of one. Its
 * declaration time is not recorded, so `declaredAtMs` is the later of its own `createdAt` and
 * the earliest `createdAt` among all its children: the first child link cannot predate either,
 * so this is the earliest instant at which it can have been major (a child linked long after
 * it was logged makes it earlier than the real link).
 */
export function computeWallboard(tickets: readonly Ticket[], o: WallboardOptions): Wallboard {
  const { now, dayStartMs } = o;
  if (!Number.isFinite(now)) throw new Error(`now must be a finite time in ms, not ${now}`);
  if (!Number.isFinite(dayStartMs))
    throw new Error(`dayStartMs must be a finite time in ms, not ${dayStartMs}`);
  const config: SlaConfig = o.slaConfig ?? { policies: [], calendars: [] };
  const slaOf = o.slaOf ?? ((t: Ticket) => evaluateSla(t, now, config));
  const from30 = now - FLOW_WINDOWS_MS.last30m;
  const from60 = now - FLOW_WINDOWS_MS.last60m;
  const cutoffDate = dateKey(Math.min(from60, dayStartMs));
  // Policies by kind and priority, in order; the first whose conditions match wins, as in
  // findSlaPolicy.
  const policies = new Map<string, SlaPolicy[][]>();
  for (const p of config.policies) {
    let byPriority = policies.get(p.kind);
    if (!byPriority) policies.set(p.kind, (byPriority = []));
    (byPriority[p.priority] ??= []).push(p);
  }
  const policyOf = (t: Ticket): SlaPolicy | undefined => {
    const candidates = policies.get(t.kind)?.[t.priority];
    if (!candidates) return undefined;
    if (candidates.length === 1 && !candidates[0]!.conditions) return candidates[0];
    return candidates.find((p) => policyMatches(p, t, config.facts));
  };
  const nowDate = dateKey(now);

  const groups = new Map<string, number[]>();
  const columnTotals = [0, 0, 0, 0, 0];
  const ages = AGE_BANDS.map(() => 0);
  const complianceNow = new ComplianceTally();
  const complianceToday = new ComplianceTally();
  const atRisk = new TopAlerts(o.limit);
  const breached = new TopAlerts(o.limit);
  const created = { last30m: 0, last60m: 0, today: 0 };
  const resolved = { last30m: 0, last60m: 0, today: 0 };
  const load = new Map<string, number>();
  const p1Incidents: Ticket[] = [];
  const children = new Map<string, ChildTally>();
  const resolvedTodayNumbers = new Set<string>();
  const fcrCandidates: Ticket[] = [];

  for (const t of tickets) {
    // Tickets are replaced, never mutated: what depends only on the ticket is worked out once.
    let f = FACTS.get(t);
    if (f === undefined) {
      f = { open: !isDoneState(t.kind, t.state), createdMs: Date.parse(t.createdAt) };
      FACTS.set(t, f);
    }
    const open = f.open;
    const createdMs = f.createdMs;
    if (createdMs <= now) {
      if (createdMs >= from30) created.last30m++;
      if (createdMs >= from60) created.last60m++;
      if (createdMs >= dayStartMs) created.today++;
    }
    if (t.parentNumber !== null && t.parentNumber !== t.number) {
      let c = children.get(t.parentNumber);
      if (!c) children.set(t.parentNumber, (c = { open: 0, all: 0, earliestCreated: Infinity }));
      c.all++;
      if (open) c.open++;
      const childCreated = createdMs;
      if (childCreated < c.earliestCreated) c.earliestCreated = childCreated;
    }

    if (open) {
      const pi = t.priority - 1;
      let row = groups.get(t.groupId);
      if (!row) groups.set(t.groupId, (row = [0, 0, 0, 0, 0]));
      if (pi >= 0 && pi < 5) {
        row[pi]!++;
        columnTotals[pi]!++;
      }
      if (!Number.isNaN(createdMs)) ages[ageBandIndex(now - createdMs)]!++;
      if (t.assigneeId !== null) load.set(t.assigneeId, (load.get(t.assigneeId) ?? 0) + 1);
      if (t.kind === 'incident' && t.priority === 1) p1Incidents.push(t);
      // A running SLA record fixes the policy (targets may differ from today's match).
      const policy = t.sla.record ? t.sla.record.policy : policyOf(t);
      if (!policy) continue;
      if (tooYoungToAlert(t, policy, createdMs, now, nowDate)) {
        complianceNow.add(t, true);
        continue;
      }
      const sla = slaOf(t);
      if (!sla) continue;
      const s = sla.resolution.status;
      if (s !== 'cancelled') complianceNow.add(t, s !== 'breached' && s !== 'missed');
      const late = urgentClock(sla, 'breached');
      const soon = late ? null : urgentClock(sla, 'warning-75');
      if (late) breached.add({ t, r: late });
      else if (soon) atRisk.add({ t, r: soon });
      continue;
    }

    const resolvedAt = t.sla.resolvedAt;
    if (t.state === 'cancelled' || resolvedAt === null || resolvedAt < cutoffDate) continue;
    const resolvedMs = Date.parse(resolvedAt);
    if (!(resolvedMs <= now)) continue;
    if (resolvedMs >= from30) resolved.last30m++;
    if (resolvedMs >= from60) resolved.last60m++;
    if (resolvedMs < dayStartMs) continue;
    resolved.today++;
    resolvedTodayNumbers.add(t.number);
    if (t.kind === 'incident' || t.kind === 'request') fcrCandidates.push(t);
    const s = slaOf(t)?.resolution.status;
    if (s === 'met' || s === 'missed') complianceToday.add(t, s === 'met');
  }

  // Activity: reopens today, and reassignments over the whole life of a ticket.
  let reopenedToday: number | null = null;
  let reopenRate: number | null = null;
  const reassigned = new Set<string>();
  if (o.activity) {
    const reopened = new Set<string>();
    for (const e of o.activity) {
      if (e.type === 'state-change') {
        const at = Date.parse(e.at);
        if (!(at >= dayStartMs && at <= now)) continue;
        const { from, to } = e.data;
        const kind = kindOfNumber(e.ticketNumber);
        if (typeof from !== 'string' || typeof to !== 'string' || !kind) continue;
        if (isDoneState(kind, from) && !isDoneState(kind, to)) reopened.add(e.ticketNumber);
      } else if (e.type === 'field-change') {
        const field = e.data.field;
        if (field === 'groupId' || (field === 'assigneeId' && e.data.from !== null))
          reassigned.add(e.ticketNumber);
      }
    }
    reopenedToday = reopened.size;
    let union = resolvedTodayNumbers.size;
    for (const n of reopened) if (!resolvedTodayNumbers.has(n)) union++;
    reopenRate = ratio(reopenedToday, union);
  }
  const fcrCount = fcrCandidates.filter(
    (t) =>
      t.sla.pauses.length === 0 &&
      (t.assigneeId === null || t.assigneeId === t.createdBy) &&
      !reassigned.has(t.number),
  ).length;

  const onlineSet: ReadonlySet<string> = isList(o.online) ? new Set(o.online) : o.online;
  for (const name of onlineSet) if (!load.has(name)) load.set(name, 0);
  const agents: AgentLoad[] = [...load]
    .map(([assigneeId, n]) => ({ assigneeId, open: n, online: onlineSet.has(assigneeId) }))
    .sort((a, b) => b.open - a.open || compareText(a.assigneeId, b.assigneeId));

  const majorIncidents: MajorIncident[] = [];
  for (const t of p1Incidents) {
    const c = children.get(t.number);
    if (!c || c.open === 0) continue;
    const declaredAtMs = Math.max(Date.parse(t.createdAt), c.earliestCreated);
    majorIncidents.push({
      number: t.number,
      title: t.title,
      groupId: t.groupId,
      assigneeId: t.assigneeId,
      openChildren: c.open,
      allChildren: c.all,
      declaredAtMs,
      msSinceDeclared: now - declaredAtMs,
    });
  }
  majorIncidents.sort((a, b) => a.declaredAtMs - b.declaredAtMs || compareText(a.number, b.number));

  return {
    now,
    dayStartMs,
    openTotal: columnTotals.reduce((s, n) => s + n, 0),
    backlog: {
      rows: [...groups]
        .sort(([a], [b]) => compareText(a, b))
        .map(([groupId, counts]) => ({
          groupId,
          cells: cellsOf(counts, groupId),
          total: counts.reduce((s, n) => s + n, 0),
          drill: backlogDrill(groupId, null),
        })),
      totals: {
        cells: cellsOf(columnTotals, null),
        total: columnTotals.reduce((s, n) => s + n, 0),
        drill: backlogDrill(null, null),
      },
    },
    ageBands: AGE_BANDS.map((b, i) => ({ ...b, count: ages[i] ?? 0 })),
    compliance: { now: complianceNow.result(), today: complianceToday.result() },
    atRisk: atRisk.result(now, config),
    breached: { ...breached.result(now, config), drill: BREACHED_DRILL },
    flow: {
      last30m: { created: created.last30m, resolved: resolved.last30m },
      last60m: { created: created.last60m, resolved: resolved.last60m },
      today: { created: created.today, resolved: resolved.today },
    },
    agents,
    majorIncidents,
    quality: {
      resolvedToday: resolved.today,
      reopenedToday,
      reopenRate,
      fcrEligible: fcrCandidates.length,
      fcrCount,
      fcrRate: ratio(fcrCount, fcrCandidates.length),
    },
  };
}

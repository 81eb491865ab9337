/**
 * The SLA engine. Each ticket has two clocks, response (until the first move out of "new") and
 * resolution (until resolved / fulfilled / completed), both started at creation and counted in
 * business time of the policy's calendar. Paused intervals (`ticket.sla.pauses`, an open one
 * running until now) are not counted, however they overlap each other, nights or weekends, when
 * the policy says their reason pauses that clock, and for at most the policy's pause cap.
 * Warnings at 50% and 75% of the target, breach at 100%. Everything derives from the ticket, the
 * desk's SLA configuration (from the directory; sla-config.ts) and `now`, so the clock runs the
 * same on every device, online or not. There is no default configuration here: a caller passes
 * the desk's own.
 */
import { addBusinessMs, businessMsBetween, type BusinessCalendar } from './calendar';
import type { TicketKind } from './kinds';
import type { Priority } from './priority';
import type { OnHoldReason, Ticket } from './ticket';

/**
 * More conditions of a policy besides kind and priority; each list given must contain the
 * ticket's value (requester's site or organisation and the CI's service come from the directory,
 * through `SlaConfig.facts`). An absent or empty list matches anything.
 */
export type SlaConditions = {
  readonly groupIds?: readonly string[];
  readonly categories?: readonly string[];
  readonly sites?: readonly string[];
  readonly orgs?: readonly string[];
  readonly services?: readonly string[];
};

/** What counts as the response, per policy. */
export const SLA_RESPONSE_MEANS = ['first-move', 'first-public-reply', 'first-assignment'] as const;
/** One definition of the response. */
export type SlaResponseMeans = (typeof SLA_RESPONSE_MEANS)[number];

/** When `ticket`'s response happened under `policy` (null: not yet). */
export function responseAt(policy: SlaPolicy, ticket: SlaSubject): string | null {
  switch (policy.response ?? 'first-move') {
    case 'first-move':
      return ticket.sla.respondedAt;
    case 'first-public-reply':
      return ticket.sla.firstReplyAt ?? null;
    case 'first-assignment':
      return ticket.sla.firstAssignedAt ?? null;
  }
}

/** The policy `ticket`'s clocks run under: its running record's, else the first that matches. */
export function effectiveSlaPolicy(ticket: SlaSubject, config: SlaConfig): SlaPolicy | undefined {
  return ticket.sla.record ? ticket.sla.record.policy : findSlaPolicy(config, ticket);
}

/** When each clock of `ticket` stops (null: still running); null when no policy covers it. */
export function slaStops(
  ticket: SlaSubject,
  config: SlaConfig,
): { readonly response: string | null; readonly resolution: string | null } | null {
  const policy = effectiveSlaPolicy(ticket, config);
  return policy
    ? { response: responseAt(policy, ticket), resolution: ticket.sla.resolvedAt }
    : null;
}

/** Why a clock is paused: an on-hold reason, or a paused state such as awaiting-approval. */
export type SlaPauseReason = OnHoldReason | 'awaiting-approval';

/** Which pause reasons stop each clock. */
export type SlaPauseRules = {
  readonly response: readonly SlaPauseReason[];
  readonly resolution: readonly SlaPauseReason[];
};

/**
 * Response and resolution targets (business ms) for tickets of one kind and priority that meet the
 * conditions, on one calendar. The first matching policy in the configuration's order wins.
 */
export type SlaPolicy = {
  readonly id: string;
  readonly name?: string;
  readonly kind: TicketKind;
  readonly priority: Priority;
  readonly responseMs: number;
  readonly resolutionMs: number;
  readonly calendarId: string;
  readonly conditions?: SlaConditions;
  /** Absent: every pause stops both clocks (the rule before pause rules existed). */
  readonly pauseReasons?: SlaPauseRules;
  /** The longest a single pause stops a clock (wall-clock ms); after it the clock runs again. */
  readonly pauseCapMs?: number | null;
  /** Warning thresholds; absent: 50% and 75%. */
  readonly thresholds?: SlaThresholds;
  /**
   * What stops the response clock: the first move out of `new` (absent: this), the first public
   * reply to the requester, or the first assignment to a person.
   */
  readonly response?: SlaResponseMeans;
  /**
   * Where the new record counts from when a priority change (or a changed condition) replaces
   * the running one: the ticket's creation (ServiceNow's retroactive start) or the change.
   * Absent: the change.
   */
  readonly restartFrom?: 'creation' | 'change';
};

/** What the directory knows about requesters and CIs, for policy conditions. */
export type SlaFacts = {
  readonly personSite?: ReadonlyMap<string, string>;
  readonly personOrg?: ReadonlyMap<string, string>;
  readonly ciService?: ReadonlyMap<string, string>;
};

/** SLA policies (in match order) and the calendars they count on. */
export type SlaConfig = {
  readonly policies: readonly SlaPolicy[];
  readonly calendars: readonly BusinessCalendar[];
  /** The configuration's version in the directory (0 for one that was never stored). */
  readonly version?: number;
  readonly facts?: SlaFacts;
};

/** The two clocks of every ticket. */
export const SLA_CLOCKS = ['response', 'resolution'] as const;
/** One SLA clock. */
export type SlaClockName = (typeof SLA_CLOCKS)[number];

/** The default warning thresholds and the breach, in percent of the target. */
export const SLA_THRESHOLDS = [50, 75, 100] as const;

/**
 * A policy's two warnings, in percent of the target (0 < warning < atRisk < 100): the first
 * warning (status `warning-50`, named after the default) and "at risk" (status `warning-75`: the
 * notifications, the queue's Breaching soon and the wallboard's at-risk list). The breach is
 * always at 100%.
 */
export type SlaThresholds = { readonly warning: number; readonly atRisk: number };
/** 50% and 75%. */
export const DEFAULT_SLA_WARNINGS: SlaThresholds = { warning: 50, atRisk: 75 };

/** Which threshold a crossing is. */
export type SlaLevel = 'warning' | 'at-risk' | 'breach';

/**
 * Where a clock stands. Running: ok, warning-50, warning-75, breached (≥ 100%, also while on
 * hold), paused. Stopped: met, missed (stopped at or after 100%), cancelled (stopped by cancelling
 * the ticket; left out of compliance).
 */
export type SlaStatus =
  'ok' | 'warning-50' | 'warning-75' | 'breached' | 'paused' | 'met' | 'missed' | 'cancelled';

/** One clock read at an instant. */
export type SlaClockReading = {
  readonly clock: SlaClockName;
  readonly status: SlaStatus;
  readonly targetMs: number;
  /** Business ms counted so far (until the stop for a stopped clock), pauses left out. */
  readonly elapsedMs: number;
  /** Target minus elapsed; negative once breached. */
  readonly remainingMs: number;
  /** Elapsed as a percentage of the target, not capped at 100. */
  readonly percent: number;
  /** The policy's warning thresholds (percent). */
  readonly warnings: SlaThresholds;
  readonly paused: boolean;
  /** When the current pause stops the clock no longer (its cap), if it is capped. */
  readonly pausedUntil: string | null;
  readonly stopped: boolean;
  readonly stoppedAt: string | null;
  /** When the clock reaches (or reached) its target; null while paused, as nobody knows yet. */
  readonly dueAt: string | null;
};

/** Both clocks of a ticket and the policy they come from. */
export type TicketSla = {
  readonly policyId: string;
  readonly calendarId: string;
  /** The SLA record the clocks run under (null: a ticket from before records, on the current policy). */
  readonly recordId: string | null;
  readonly response: SlaClockReading;
  readonly resolution: SlaClockReading;
};

/** A clock reaching a threshold at an instant (for notifications and SLA events). */
export type SlaCrossing = {
  readonly clock: SlaClockName;
  /** The threshold in percent of the target (the policy's warnings, or 100). */
  readonly threshold: number;
  readonly level: SlaLevel;
  readonly at: string;
};

/** The ticket fields a policy's conditions read (only kind and priority are always there). */
export type PolicySubject = Pick<Ticket, 'kind' | 'priority'> &
  Partial<Pick<Ticket, 'groupId' | 'category' | 'requesterId' | 'ciId'>>;

/** The ticket fields the SLA engine reads. */
export type SlaSubject = PolicySubject & Pick<Ticket, 'state' | 'createdAt' | 'sla'>;

const within = (list: readonly string[] | undefined, value: string | null | undefined): boolean =>
  list === undefined || list.length === 0 || (value != null && list.includes(value));

/** True if `ticket` meets `policy`'s kind, priority and conditions. */
export function policyMatches(policy: SlaPolicy, ticket: PolicySubject, facts?: SlaFacts): boolean {
  if (policy.kind !== ticket.kind || policy.priority !== ticket.priority) return false;
  const c = policy.conditions;
  if (!c) return true;
  const requester = ticket.requesterId ?? null;
  return (
    within(c.groupIds, ticket.groupId) &&
    within(c.categories, ticket.category) &&
    within(c.sites, requester === null ? null : facts?.personSite?.get(requester)) &&
    within(c.orgs, requester === null ? null : facts?.personOrg?.get(requester)) &&
    within(c.services, ticket.ciId ? facts?.ciService?.get(ticket.ciId) : null)
  );
}

/** The first policy in `config`'s order that `ticket` meets, if there is one. */
export function findSlaPolicy(config: SlaConfig, ticket: PolicySubject): SlaPolicy | undefined {
  return config.policies.find((p) => policyMatches(p, ticket, config.facts));
}

type Span = readonly [from: number, to: number];

function instant(iso: string, what: string): number {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new Error(`${what} "${iso}" is not a UTC timestamp`);
  return ms;
}

/** True if a pause for `reason` stops `clock` under `policy`. */
function pauses(policy: SlaPolicy, clock: SlaClockName, reason: string | undefined): boolean {
  // Pauses written before pause rules carry no reason, and resolved spans always pause.
  if (!policy.pauseReasons || reason === undefined || reason === 'resolved') return true;
  return (policy.pauseReasons[clock] as readonly string[]).includes(reason);
}

/**
 * The pauses that stop `clock`, as sorted, disjoint spans within [start, stop); an open pause
 * never ends unless the policy caps it.
 */
function pauseSpans(
  ticket: SlaSubject,
  policy: SlaPolicy,
  clock: SlaClockName,
  start: number,
  stop: number,
): Span[] {
  const cap = policy.pauseCapMs ?? Infinity;
  const spans = ticket.sla.pauses
    .filter((p) => pauses(policy, clock, p.reason))
    .map((p): Span => {
      const from = instant(p.from, 'SLA pause start');
      const end = p.to === null ? Infinity : instant(p.to, 'SLA pause end');
      // The cap ends a long pause early (time spent resolved is never capped).
      const to = p.reason === 'resolved' ? end : Math.min(end, from + cap);
      return [Math.max(from, start), Math.min(to, stop)];
    })
    .filter(([a, b]) => a < b)
    .sort((x, y) => x[0] - y[0]);
  const merged: [number, number][] = [];
  for (const [a, b] of spans) {
    const last = merged[merged.length - 1];
    if (last && a <= last[1]) last[1] = Math.max(last[1], b);
    else merged.push([a, b]);
  }
  return merged;
}

/** Business ms in [start, end) outside the spans. */
function elapsedUntil(cal: BusinessCalendar, start: number, spans: Span[], end: number): number {
  let total = 0;
  let t = start;
  for (const [a, b] of spans) {
    if (a >= end) break;
    total += businessMsBetween(cal, t, a);
    t = b;
    if (t >= end) return total;
  }
  return total + businessMsBetween(cal, t, end);
}

/** The earliest instant by which `amount` business ms have run outside the spans. */
function instantReaching(
  cal: BusinessCalendar,
  start: number,
  spans: Span[],
  amount: number,
): number | null {
  let t = start;
  let left = amount;
  for (const [a, b] of spans) {
    const free = businessMsBetween(cal, t, a);
    if (left <= free) return addBusinessMs(cal, t, left);
    left -= free;
    t = b;
  }
  // After an open pause nobody knows when the clock runs again.
  return t === Infinity ? null : addBusinessMs(cal, t, left);
}

type Clock = {
  readonly name: SlaClockName;
  readonly cal: BusinessCalendar;
  readonly targetMs: number;
  readonly start: number;
  readonly stop: number | null;
  readonly cancelled: boolean;
  readonly spans: Span[];
  readonly warnings: SlaThresholds;
};

function clocksOf(
  ticket: SlaSubject,
  config: SlaConfig,
): { policy: SlaPolicy; recordId: string | null; clocks: Clock[] } | null {
  // A ticket's running SLA record fixes its policy and start; older tickets follow the current one.
  const record = ticket.sla.record ?? null;
  const policy = record ? record.policy : findSlaPolicy(config, ticket);
  if (!policy) return null;
  const cal = record?.calendar ?? config.calendars.find((c) => c.id === policy.calendarId);
  if (!cal)
    throw new Error(
      `SLA policy ${policy.id} counts on calendar "${policy.calendarId}", which is missing`,
    );
  const start = record
    ? instant(record.startedAt, 'SLA record start')
    : instant(ticket.createdAt, 'createdAt');
  const respondedAt = responseAt(policy, ticket);
  const { resolvedAt } = ticket.sla;
  const cancelled = ticket.state === 'cancelled';
  const clock = (name: SlaClockName, targetMs: number, stopIso: string | null): Clock => {
    const stop =
      stopIso === null
        ? null
        : instant(stopIso, `sla.${name === 'response' ? 'respondedAt' : 'resolvedAt'}`);
    return {
      name,
      cal,
      targetMs,
      start,
      stop,
      // A response recorded by the cancel itself is no response.
      cancelled: cancelled && (name === 'resolution' || respondedAt === resolvedAt),
      spans: pauseSpans(ticket, policy, name, start, stop ?? Infinity),
      warnings: policy.thresholds ?? DEFAULT_SLA_WARNINGS,
    };
  };
  return {
    policy,
    recordId: record?.id ?? null,
    clocks: [
      clock('response', policy.responseMs, respondedAt),
      clock('resolution', policy.resolutionMs, resolvedAt),
    ],
  };
}

function statusOf(c: Clock, elapsed: number, stopped: boolean, paused: boolean): SlaStatus {
  if (stopped) return c.cancelled ? 'cancelled' : elapsed >= c.targetMs ? 'missed' : 'met';
  if (elapsed >= c.targetMs) return 'breached';
  if (paused) return 'paused';
  if (elapsed * 100 >= c.targetMs * c.warnings.atRisk) return 'warning-75';
  if (elapsed * 100 >= c.targetMs * c.warnings.warning) return 'warning-50';
  return 'ok';
}

function read(c: Clock, now: number): SlaClockReading {
  // The clock as of `now`: a stop recorded later (another device's clock ahead of this one, or a
  // replay of history) has not happened yet.
  const stopped = c.stop !== null && c.stop <= now;
  const elapsedMs = elapsedUntil(c.cal, c.start, c.spans, stopped ? c.stop : now);
  const paused = !stopped && c.spans.some(([a, b]) => a <= now && now < b);
  const pause = paused ? c.spans.find(([a, b]) => a <= now && now < b) : undefined;
  const due = paused ? null : instantReaching(c.cal, c.start, c.spans, c.targetMs);
  return {
    clock: c.name,
    status: statusOf(c, elapsedMs, stopped, paused),
    targetMs: c.targetMs,
    elapsedMs,
    remainingMs: c.targetMs - elapsedMs,
    percent: (elapsedMs / c.targetMs) * 100,
    warnings: c.warnings,
    paused,
    pausedUntil: pause && Number.isFinite(pause[1]) ? new Date(pause[1]).toISOString() : null,
    stopped,
    stoppedAt: stopped ? new Date(c.stop).toISOString() : null,
    dueAt: due === null ? null : new Date(due).toISOString(),
  };
}

/** Both SLA clocks of `ticket` at `now` (epoch ms); null when no policy covers its kind and priority. */
export function evaluateSla(ticket: SlaSubject, now: number, config: SlaConfig): TicketSla | null {
  if (!Number.isFinite(now)) throw new Error(`now must be a finite time in ms, not ${now}`);
  const found = clocksOf(ticket, config);
  if (!found) return null;
  const [response, resolution] = found.clocks.map((c) => read(c, now));
  return {
    policyId: found.policy.id,
    calendarId: found.policy.calendarId,
    recordId: found.recordId,
    response: response!,
    resolution: resolution!,
  };
}

function crossings(ticket: SlaSubject, config: SlaConfig): { c: SlaCrossing; at: number }[] {
  const found = clocksOf(ticket, config);
  if (!found) return [];
  const out: { c: SlaCrossing; at: number }[] = [];
  for (const clock of found.clocks) {
    const levels = [
      ['warning', clock.warnings.warning],
      ['at-risk', clock.warnings.atRisk],
      ['breach', 100],
    ] as const;
    for (const [level, threshold] of levels) {
      const at = instantReaching(
        clock.cal,
        clock.start,
        clock.spans,
        Math.ceil((clock.targetMs * threshold) / 100),
      );
      // A clock stopped exactly at a threshold reached it (missed at 100%).
      if (at === null || (clock.stop !== null && at > clock.stop)) continue;
      out.push({
        c: { clock: clock.name, threshold, level, at: new Date(at).toISOString() },
        at,
      });
    }
  }
  return out.sort((x, y) => x.at - y.at);
}

/** Thresholds (50, 75, 100%) the clocks of `ticket` reach in (`from`, `to`], in time order. */
export function slaCrossings(
  ticket: SlaSubject,
  from: number,
  to: number,
  config: SlaConfig,
): SlaCrossing[] {
  return crossings(ticket, config)
    .filter((x) => x.at > from && x.at <= to)
    .map((x) => x.c);
}

/** The next threshold a clock of `ticket` reaches after `after`, if known (for a timer). */
export function nextSlaCrossing(
  ticket: SlaSubject,
  after: number,
  config: SlaConfig,
): SlaCrossing | null {
  return crossings(ticket, config).find((x) => x.at > after)?.c ?? null;
}

/**
 * The SLA engine. Each ticket has two clocks, response (until the first move out of "new") and
 * resolution (until resolved / fulfilled / completed), both started at creation and counted in
 * business time of the policy's calendar. Paused intervals (`ticket.sla.pauses`, an open one
 * running until now) are never counted, however they overlap each other, nights or weekends.
 * Warnings at 50% and 75% of the target, breach at 100%. Everything derives from the ticket and
 * `now`, so the clock runs the same on every device, online or not.
 */
import { addBusinessMs, businessMsBetween, type BusinessCalendar } from './calendar';
import type { TicketKind } from './kinds';
import type { Priority } from './priority';
import { DEFAULT_SLA_CONFIG } from './sla-defaults';
import type { Ticket } from './ticket';

/** Response and resolution targets (business ms) for one kind and priority, on one calendar. */
export type SlaPolicy = {
  readonly id: string;
  readonly kind: TicketKind;
  readonly priority: Priority;
  readonly responseMs: number;
  readonly resolutionMs: number;
  readonly calendarId: string;
};

/** SLA policies and the calendars they count on. */
export type SlaConfig = {
  readonly policies: readonly SlaPolicy[];
  readonly calendars: readonly BusinessCalendar[];
};

/** The two clocks of every ticket. */
export const SLA_CLOCKS = ['response', 'resolution'] as const;
/** One SLA clock. */
export type SlaClockName = (typeof SLA_CLOCKS)[number];

/** Warning thresholds and the breach, in percent of the target. */
export const SLA_THRESHOLDS = [50, 75, 100] as const;
/** One threshold. */
export type SlaThreshold = (typeof SLA_THRESHOLDS)[number];

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
  readonly paused: boolean;
  readonly stopped: boolean;
  readonly stoppedAt: string | null;
  /** When the clock reaches (or reached) its target; null while paused, as nobody knows yet. */
  readonly dueAt: string | null;
};

/** Both clocks of a ticket and the policy they come from. */
export type TicketSla = {
  readonly policyId: string;
  readonly calendarId: string;
  readonly response: SlaClockReading;
  readonly resolution: SlaClockReading;
};

/** A clock reaching a threshold at an instant (for notifications and SLA events). */
export type SlaCrossing = {
  readonly clock: SlaClockName;
  readonly threshold: SlaThreshold;
  readonly at: string;
};

/** The ticket fields the SLA engine reads. */
export type SlaSubject = Pick<Ticket, 'kind' | 'priority' | 'state' | 'createdAt' | 'sla'>;

/** The policy for `kind` and `priority` in `config`, if there is one. */
export function findSlaPolicy(
  config: SlaConfig,
  kind: TicketKind,
  priority: Priority,
): SlaPolicy | undefined {
  return config.policies.find((p) => p.kind === kind && p.priority === priority);
}

type Span = readonly [from: number, to: number];

function instant(iso: string, what: string): number {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new Error(`${what} "${iso}" is not a UTC timestamp`);
  return ms;
}

/** Pauses as sorted, disjoint spans within [start, stop); an open pause never ends. */
function pauseSpans(ticket: SlaSubject, start: number, stop: number): Span[] {
  const spans = ticket.sla.pauses
    .map((p): Span => {
      const from = instant(p.from, 'SLA pause start');
      const to = p.to === null ? Infinity : instant(p.to, 'SLA pause end');
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
};

function clocksOf(
  ticket: SlaSubject,
  config: SlaConfig,
): { policy: SlaPolicy; clocks: Clock[] } | null {
  const policy = findSlaPolicy(config, ticket.kind, ticket.priority);
  if (!policy) return null;
  const cal = config.calendars.find((c) => c.id === policy.calendarId);
  if (!cal)
    throw new Error(
      `SLA policy ${policy.id} counts on calendar "${policy.calendarId}", which is missing`,
    );
  const start = instant(ticket.createdAt, 'createdAt');
  const { respondedAt, resolvedAt } = ticket.sla;
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
      spans: pauseSpans(ticket, start, stop ?? Infinity),
    };
  };
  return {
    policy,
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
  if (elapsed * 100 >= c.targetMs * 75) return 'warning-75';
  if (elapsed * 100 >= c.targetMs * 50) return 'warning-50';
  return 'ok';
}

function read(c: Clock, now: number): SlaClockReading {
  // The clock as of `now`: a stop recorded later (another device's clock ahead of this one, or a
  // replay of history) has not happened yet.
  const stopped = c.stop !== null && c.stop <= now;
  const elapsedMs = elapsedUntil(c.cal, c.start, c.spans, stopped ? c.stop : now);
  const paused = !stopped && c.spans.some(([a, b]) => a <= now && now < b);
  const due = paused ? null : instantReaching(c.cal, c.start, c.spans, c.targetMs);
  return {
    clock: c.name,
    status: statusOf(c, elapsedMs, stopped, paused),
    targetMs: c.targetMs,
    elapsedMs,
    remainingMs: c.targetMs - elapsedMs,
    percent: (elapsedMs / c.targetMs) * 100,
    paused,
    stopped,
    stoppedAt: stopped ? new Date(c.stop).toISOString() : null,
    dueAt: due === null ? null : new Date(due).toISOString(),
  };
}

/** Both SLA clocks of `ticket` at `now` (epoch ms); null when no policy covers its kind and priority. */
export function evaluateSla(
  ticket: SlaSubject,
  now: number,
  config: SlaConfig = DEFAULT_SLA_CONFIG,
): TicketSla | null {
  if (!Number.isFinite(now)) throw new Error(`now must be a finite time in ms, not ${now}`);
  const found = clocksOf(ticket, config);
  if (!found) return null;
  const [response, resolution] = found.clocks.map((c) => read(c, now));
  return {
    policyId: found.policy.id,
    calendarId: found.policy.calendarId,
    response: response!,
    resolution: resolution!,
  };
}

function crossings(ticket: SlaSubject, config: SlaConfig): { c: SlaCrossing; at: number }[] {
  const found = clocksOf(ticket, config);
  if (!found) return [];
  const out: { c: SlaCrossing; at: number }[] = [];
  for (const clock of found.clocks) {
    for (const threshold of SLA_THRESHOLDS) {
      const at = instantReaching(
        clock.cal,
        clock.start,
        clock.spans,
        Math.ceil((clock.targetMs * threshold) / 100),
      );
      // A clock stopped exactly at a threshold reached it (missed at 100%).
      if (at === null || (clock.stop !== null && at > clock.stop)) continue;
      out.push({ c: { clock: clock.name, threshold, at: new Date(at).toISOString() }, at });
    }
  }
  return out.sort((x, y) => x.at - y.at);
}

/** Thresholds (50, 75, 100%) the clocks of `ticket` reach in (`from`, `to`], in time order. */
export function slaCrossings(
  ticket: SlaSubject,
  from: number,
  to: number,
  config: SlaConfig = DEFAULT_SLA_CONFIG,
): SlaCrossing[] {
  return crossings(ticket, config)
    .filter((x) => x.at > from && x.at <= to)
    .map((x) => x.c);
}

/** The next threshold a clock of `ticket` reaches after `after`, if known (for a timer). */
export function nextSlaCrossing(
  ticket: SlaSubject,
  after: number,
  config: SlaConfig = DEFAULT_SLA_CONFIG,
): SlaCrossing | null {
  return crossings(ticket, config).find((x) => x.at > after)?.c ?? null;
}

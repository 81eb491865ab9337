/**
 * One way of putting an SLA on screen, used by every place that shows one (queue rows, the ticket
 * panel, the wallboard, desktop notifications): the due date and time in the viewer's time zone,
 * the remaining or overdue *business* time in clear units (days are the SLA calendar's working
 * days), and the percent of the target elapsed in the long variant. Pure: the zone and the
 * instant are arguments.
 *
 *   short: "resp 3 h 20 min left · due Thu 14:00", "res overdue 67 bus. days"
 *   long:  "Response due Thu 14:00 · 3 h 20 min business time left · 58% elapsed"
 *          "Resolution paused (awaiting vendor) · 2 h business time left · 70% elapsed"
 */
import { minutesOf, WEEKDAYS, type BusinessCalendar } from './calendar-check';
import {
  evaluateSla,
  effectiveSlaPolicy,
  type SlaClockName,
  type SlaClockReading,
  type SlaConfig,
  type SlaSubject,
} from './sla';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * The length of a working day of `cal` in ms: the most common daily total of working hours over
 * the week (the longer one on a tie), 24 h for a 24x7 calendar or a week without hours.
 */
export function workingDayMs(cal: BusinessCalendar): number {
  if (cal.kind === '24x7') return DAY;
  const counts = new Map<number, number>();
  for (const d of WEEKDAYS) {
    const total = (cal.week[d] ?? []).reduce(
      (sum, h) => sum + ((minutesOf(h.end) ?? 0) - (minutesOf(h.start) ?? 0)) * MINUTE,
      0,
    );
    if (total > 0) counts.set(total, (counts.get(total) ?? 0) + 1);
  }
  let best = 0;
  let seen = 0;
  for (const [len, n] of counts)
    if (n > seen || (n === seen && len > best)) [best, seen] = [len, n];
  return best > 0 ? best : DAY;
}

/**
 * An amount of business time in words, rounded down to the minute (never more time left than
 * there is): "less than 1 min", "45 min", "3 h 20 min", "2 business days 3 h" (a day being
 * `dayMs`), whole days only from 10 days on. The short variant writes "bus. days".
 */
export function businessDuration(ms: number, dayMs: number, variant: 'short' | 'long'): string {
  if (!Number.isFinite(ms) || !(dayMs > 0)) throw new Error(`Cannot word ${ms} ms of ${dayMs}`);
  const abs = Math.abs(ms);
  if (abs < MINUTE) return 'less than 1 min';
  if (abs < HOUR) return `${Math.floor(abs / MINUTE)} min`;
  if (abs < dayMs) {
    const h = Math.floor(abs / HOUR);
    const m = Math.floor((abs - h * HOUR) / MINUTE);
    return m === 0 ? `${h} h` : `${h} h ${m} min`;
  }
  const days = Math.floor(abs / dayMs);
  const unit = variant === 'short' ? 'bus. day' : 'business day';
  const dayText = `${days} ${unit}${days === 1 ? '' : 's'}`;
  const h = Math.floor((abs - days * dayMs) / HOUR);
  return days >= 10 || h === 0 ? dayText : `${dayText} ${h} h`;
}

const parts = (ms: number, zone: string): Record<string, string> => {
  const out: Record<string, string> = {};
  const fmt = new Intl.DateTimeFormat('en-GB', {
    timeZone: zone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  for (const p of fmt.formatToParts(ms)) out[p.type] = p.value;
  return out;
};

/**
 * Instant `at` on the wall clock of `zone` as a person reads a due date: "Thu 14:00" within six
 * days either side of `now`, "3 Aug 14:00" further off in the same year, "3 Aug 2027 14:00"
 * otherwise. Throws on an unknown zone.
 */
export function dueText(at: number, now: number, zone: string): string {
  const a = parts(at, zone);
  const time = `${a.hour}:${a.minute}`;
  if (Math.abs(at - now) < 6 * DAY) return `${a.weekday} ${time}`;
  const sameYear = parts(now, zone).year === a.year;
  return `${a.day} ${a.month}${sameYear ? '' : ` ${a.year}`} ${time}`;
}

/** What the formatter needs to know about the clock it shows. */
export type SlaShown = {
  readonly reading: SlaClockReading;
  /** The length of a working day of the clock's calendar, for "business days". */
  readonly dayMs: number;
  /** Why it is paused (an on-hold reason, awaiting-approval, resolved), when it is and one is known. */
  readonly pauseReason: string | null;
};

const SEVERITY: Record<SlaClockReading['status'], number> = {
  breached: 0,
  'warning-75': 1,
  'warning-50': 2,
  ok: 3,
  paused: 4,
  met: 5,
  missed: 5,
  cancelled: 5,
};

/**
 * The more urgent of two readings: the worse status (breached, at risk, warning, ok, paused),
 * then the earlier due time (unknown last), then less time left. The wallboard's lists pick by
 * the same order.
 */
export function compareSlaUrgency(a: SlaClockReading, b: SlaClockReading): number {
  const s = SEVERITY[a.status] - SEVERITY[b.status];
  if (s !== 0) return s;
  if (a.dueAt !== b.dueAt) {
    if (a.dueAt === null) return 1;
    if (b.dueAt === null) return -1;
    return a.dueAt < b.dueAt ? -1 : 1;
  }
  return a.remainingMs - b.remainingMs;
}

/**
 * The clock of `ticket` that every place shows at `now`: its most urgent running clock
 * (`compareSlaUrgency`), with what the formatter needs; null when no clock runs (no policy, or
 * both stopped).
 */
export function shownSlaClock(ticket: SlaSubject, now: number, config: SlaConfig): SlaShown | null {
  const sla = evaluateSla(ticket, now, config);
  if (!sla) return null;
  const running = [sla.response, sla.resolution].filter((r) => !r.stopped);
  if (running.length === 0) return null;
  const reading = running.reduce((a, b) => (compareSlaUrgency(b, a) < 0 ? b : a));
  return shownOf(ticket, reading, now, config);
}

/** Clock `clock` of `ticket` at `now` as the formatter needs it; null when no policy covers it. */
export function slaClockShown(
  ticket: SlaSubject,
  clock: SlaClockName,
  now: number,
  config: SlaConfig,
): SlaShown | null {
  const sla = evaluateSla(ticket, now, config);
  return sla && shownOf(ticket, sla[clock], now, config);
}

function shownOf(
  ticket: SlaSubject,
  reading: SlaClockReading,
  now: number,
  config: SlaConfig,
): SlaShown {
  const policy = effectiveSlaPolicy(ticket, config);
  const cal =
    ticket.sla.record?.calendar ?? config.calendars.find((c) => c.id === policy?.calendarId);
  let pauseReason: string | null = null;
  if (reading.paused) {
    // The pause covering now that stops this clock and has a reason (old pauses have none).
    const rules = policy?.pauseReasons?.[reading.clock] as readonly string[] | undefined;
    const covering = ticket.sla.pauses.filter(
      (p) =>
        Date.parse(p.from) <= now &&
        (p.to === null || Date.parse(p.to) > now) &&
        (rules === undefined ||
          p.reason === undefined ||
          p.reason === 'resolved' ||
          rules.includes(p.reason)),
    );
    pauseReason = covering.find((p) => p.reason !== undefined)?.reason ?? null;
  }
  return { reading, dayMs: cal ? workingDayMs(cal) : DAY, pauseReason };
}

/** The SLA text of one clock, and its state for colours and tests. */
export type SlaText = {
  readonly text: string;
  readonly state: 'ok' | 'warning' | 'breached' | 'paused' | 'stopped';
};

const CLOCK_NAME: Record<SlaClockName, { short: string; long: string }> = {
  response: { short: 'resp', long: 'Response' },
  resolution: { short: 'res', long: 'Resolution' },
};

/** Options of `formatSla`: the viewer's IANA time zone, the instant, the variant. */
export type SlaFormatOptions = {
  readonly now: number;
  readonly zone: string;
  readonly variant: 'short' | 'long';
};

/**
 * The words for a clock: "resp 3 h 20 min left · due Thu 14:00" (short, chips and lists) or
 * "Response due Thu 14:00 · 3 h 20 min business time left · 58% elapsed" (long, the panel and
 * notifications); overdue "overdue by 2 business days"; paused "paused (awaiting vendor)", with
 * the time that will be left when it runs again. `reading` must be read at `now`.
 */
export function formatSla(shown: SlaShown, o: SlaFormatOptions): SlaText {
  const { reading: r, dayMs, pauseReason } = shown;
  const long = o.variant === 'long';
  const name = CLOCK_NAME[r.clock][o.variant];
  const amount = businessDuration(r.remainingMs, dayMs, o.variant);
  const pct = long ? ` · ${Math.floor(r.percent)}% elapsed` : '';
  if (r.stopped) {
    const verdict = r.status === 'cancelled' ? 'cancelled' : r.status === 'met' ? 'met' : 'missed';
    return { text: `${name} ${verdict}`, state: 'stopped' };
  }
  const overdue = r.remainingMs <= 0;
  const pausedText = r.paused
    ? `paused${pauseReason ? ` (${pauseReason.replace(/-/g, ' ')})` : ''}` +
      (r.pausedUntil && long ? ` until ${dueText(Date.parse(r.pausedUntil), o.now, o.zone)}` : '')
    : null;
  if (overdue) {
    const due = r.dueAt && long ? ` · was due ${dueText(Date.parse(r.dueAt), o.now, o.zone)}` : '';
    const tail = pausedText ? ` · ${pausedText}` : due;
    const by = long ? 'overdue by' : 'overdue';
    return { text: `${name} ${by} ${amount}${tail}${pct}`, state: 'breached' };
  }
  // "business days" says business already; hours and minutes say it in the long form.
  const business = long && Math.abs(r.remainingMs) < dayMs ? 'business time ' : '';
  const left = `${amount} ${business}left`;
  if (pausedText) return { text: `${name} ${pausedText} · ${left}${pct}`, state: 'paused' };
  const dueAt = r.dueAt ? `due ${dueText(Date.parse(r.dueAt), o.now, o.zone)}` : null;
  // The short form leads with the amount, which a narrow queue column keeps in sight.
  const words = !dueAt
    ? `${name} ${left}`
    : long
      ? `${name} ${dueAt} · ${left}`
      : `${name} ${left} · ${dueAt}`;
  return {
    text: `${words}${pct}`,
    state: r.percent >= r.warnings.atRisk ? 'warning' : 'ok',
  };
}

/** `formatSla` of the clock `shownSlaClock` picks; null when no clock runs. */
export function ticketSlaText(
  ticket: SlaSubject,
  config: SlaConfig,
  o: SlaFormatOptions,
): (SlaText & { readonly shown: SlaShown }) | null {
  const shown = shownSlaClock(ticket, o.now, config);
  return shown && { ...formatSla(shown, o), shown };
}

/**
 * True if `reading` counts as "breaching soon" at the instant it was read: running (neither
 * stopped nor paused) and at or past its policy's at-risk warning, breached included. The
 * queue's Breaching soon view and the tray count by it.
 */
export function isBreachingSoon(reading: SlaClockReading): boolean {
  return !reading.stopped && !reading.paused && reading.percent >= reading.warnings.atRisk;
}

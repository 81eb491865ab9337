/**
 * Business calendars as data, and their validation with messages a person can act on. Free of
 * luxon and of the holiday library, so the server's validate_doc_update can bundle it (see
 * sla-config.ts); the arithmetic is in calendar.ts.
 *
 * A weekly calendar has working hours per weekday on the wall clock of one IANA time zone, minus
 * days off: the public holidays of a country or region (generated for any year, public-holidays.ts)
 * and the desk's own closed days; plus half days (the day closes early) and extra working days.
 * Dates are `YYYY-MM-DD` for one day or `MM-DD` for that day every year, in the calendar's zone.
 */
import { checkString, isRecord, type Problems } from './check';
import type { Validated } from './ticket';

/** Weekday keys, Monday first (ISO 8601). */
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
/** One weekday key. */
export type Weekday = (typeof WEEKDAYS)[number];

/** Working hours within one day, wall-clock `HH:mm`, end exclusive; `24:00` is midnight after. */
export type WorkingHours = { readonly start: string; readonly end: string };

/** A day off, `YYYY-MM-DD` (that day) or `MM-DD` (every year) in the calendar's zone. */
export type Holiday = { readonly date: string; readonly name: string };

/** A working day that closes early (24 December afternoon): no business time from `closesAt`. */
export type HalfDay = { readonly date: string; readonly name: string; readonly closesAt: string };

/** A day worked outside the usual week (a Saturday before a migration), with its hours. */
export type ExtraWorkingDay = {
  readonly date: string;
  readonly name: string;
  readonly hours: readonly WorkingHours[];
};

/**
 * Public holidays generated for any year: ISO 3166 country and, optionally, its region as the
 * holiday library names it (GB/ENG for England and Wales, DE/BE for Berlin, US/NY for New York).
 */
export type PublicHolidays = { readonly country: string; readonly region?: string };

/** A business calendar: always on (24x7) or weekly hours in a zone minus days off. */
export type BusinessCalendar =
  | { readonly kind: '24x7'; readonly id: string; readonly name: string }
  | {
      readonly kind: 'weekly';
      readonly id: string;
      readonly name: string;
      readonly zone: string;
      readonly week: Readonly<Partial<Record<Weekday, readonly WorkingHours[]>>>;
      /** The desk's own closed days. */
      readonly holidays: readonly Holiday[];
      readonly publicHolidays?: PublicHolidays | null;
      readonly halfDays?: readonly HalfDay[];
      readonly workingDays?: readonly ExtraWorkingDay[];
    };

/** A weekly business calendar. */
export type WeeklyCalendar = BusinessCalendar & { readonly kind: 'weekly' };

const DAY = 24 * 60 * 60_000;
const TIME_RE = /^(?:([01]\d|2[0-3]):([0-5]\d)|(24):(00))$/;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MONTH_DAY_RE = /^(\d{2})-(\d{2})$/;

/** Minutes after midnight of `HH:mm` (`24:00` allowed), or null. */
export function minutesOf(text: string): number | null {
  const m = TIME_RE.exec(text);
  return m ? Number(m[1] ?? m[3]) * 60 + Number(m[2] ?? m[4]) : null;
}

/** Days since 1970-01-01 of a real `YYYY-MM-DD` date, or null. */
export function epochDayOf(date: string): number | null {
  const m = DATE_RE.exec(date);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  return back.getUTCFullYear() === y && back.getUTCMonth() === mo - 1 && back.getUTCDate() === d
    ? ms / DAY
    : null;
}

/**
 * The epoch day of `date` in `year`: a `YYYY-MM-DD` date only in its own year, an `MM-DD` date in
 * every year it exists (29 February in leap years only); null otherwise.
 */
export function epochDayIn(date: string, year: number): number | null {
  const md = MONTH_DAY_RE.exec(date);
  if (md) return epochDayOf(`${String(year).padStart(4, '0')}-${md[1]}-${md[2]}`);
  return date.startsWith(`${String(year).padStart(4, '0')}-`) ? epochDayOf(date) : null;
}

/** True if `date` is `YYYY-MM-DD` or a recurring `MM-DD` that exists in some year. */
function isCalendarDate(date: string, recurringAllowed: boolean): boolean {
  if (epochDayOf(date) !== null) return true;
  return recurringAllowed && MONTH_DAY_RE.test(date) && epochDayIn(date, 2028) !== null;
}

/**
 * True if `zone` is an IANA time zone name this JavaScript runtime knows. Plain Intl, as the
 * server's validation has no luxon; luxon's own check does the same.
 */
export function isKnownZone(zone: string): boolean {
  if (zone.length === 0 || zone.length > 64) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone }).format(0);
    return true;
  } catch {
    return false;
  }
}

/** Checks a list of working hours; returns their total in minutes. */
function checkHours(p: Problems, where: string, hours: unknown): number {
  if (!Array.isArray(hours)) {
    p.push(`${where} must be a list of working hours`);
    return 0;
  }
  let total = 0;
  let prevEnd = -1;
  let prevText = '';
  for (const h of hours as unknown[]) {
    const start = isRecord(h) && typeof h.start === 'string' ? minutesOf(h.start) : null;
    const end = isRecord(h) && typeof h.end === 'string' ? minutesOf(h.end) : null;
    if (!isRecord(h) || start === null || end === null) {
      p.push(`${where}: working hours need a start and an end like 08:00 and 18:00`);
      continue;
    }
    const text = `${String(h.start)}–${String(h.end)}`;
    if (start >= end) p.push(`${where}: ${text} must end after it starts`);
    else if (start < prevEnd) p.push(`${where}: ${text} must start after ${prevText} ends`);
    else total += end - start;
    prevEnd = Math.max(prevEnd, end);
    prevText = text;
  }
  return total;
}

function checkDated(
  p: Problems,
  list: unknown,
  what: string,
  one: string,
  recurring: boolean,
  each: (p: Problems, item: Record<string, unknown>) => void,
): void {
  if (list === undefined) return;
  if (!Array.isArray(list)) {
    p.push(`${what} must be a list`);
    return;
  }
  if (list.length > 1000) p.push(`${what}: at most 1000 entries`);
  for (const h of list as unknown[]) {
    if (!isRecord(h)) p.push(`each ${one} needs a date and a name`);
    else if (typeof h.date !== 'string' || !isCalendarDate(h.date, recurring))
      p.push(
        `${one} date "${String(h.date)}" must be a real date like 2026-12-25` +
          (recurring ? ' (or 12-25 for every year)' : ''),
      );
    else if (typeof h.name !== 'string' || h.name.length > 200)
      p.push(`${one} ${h.date} needs a name`);
    else each(p, h);
  }
}

/** Validates any value as a business calendar, with messages a person can act on. */
export function validateCalendar(doc: unknown): Validated<BusinessCalendar> {
  if (!isRecord(doc)) return { ok: false, errors: ['calendar must be an object'] };
  const p: Problems = [];
  checkString(p, doc.id, 'id', 1, 120);
  checkString(p, doc.name, 'name', 1, 200);
  if (doc.kind === 'weekly') {
    if (typeof doc.zone !== 'string' || !isKnownZone(doc.zone))
      p.push(`zone "${String(doc.zone)}" is not an IANA time zone like Europe/London`);
    if (!isRecord(doc.week)) p.push('week must map weekdays (mon … sun) to working hours');
    else {
      const before = p.length;
      const unknown = Object.keys(doc.week).filter(
        (k) => !(WEEKDAYS as readonly string[]).includes(k),
      );
      if (unknown.length > 0) p.push(`week has unknown days ${unknown.join(', ')}; use mon … sun`);
      let total = 0;
      for (const day of WEEKDAYS)
        if (doc.week[day] !== undefined) total += checkHours(p, `week.${day}`, doc.week[day]);
      // Only when the hours given are fine does "no hours at all" say something new.
      if (total === 0 && p.length === before)
        p.push('a weekly calendar needs working hours on at least one day');
    }
    if (!Array.isArray(doc.holidays)) p.push('holidays must be a list');
    else checkDated(p, doc.holidays, 'holidays', 'holiday', true, () => undefined);
    const ph = doc.publicHolidays;
    if (ph !== undefined && ph !== null) {
      if (!isRecord(ph) || typeof ph.country !== 'string' || !/^[A-Z]{2}$/.test(ph.country))
        p.push('publicHolidays needs a country code like GB, DE or US');
      else if (
        ph.region !== undefined &&
        (typeof ph.region !== 'string' || !/^[A-Z0-9]{1,4}$/.test(ph.region))
      )
        p.push(
          `publicHolidays region ${JSON.stringify(ph.region)} must be a code like ENG, BE or NY`,
        );
    }
    checkDated(p, doc.halfDays, 'halfDays', 'half day', true, (q, h) => {
      const m = typeof h.closesAt === 'string' ? minutesOf(h.closesAt) : null;
      if (m === null || m === 0 || m === 24 * 60)
        q.push(`halfDays: ${String(h.date)} needs closesAt, a time like 12:00`);
    });
    checkDated(p, doc.workingDays, 'workingDays', 'working day', false, (q, h) => {
      if (checkHours(q, `workingDays ${String(h.date)}`, h.hours) === 0 && Array.isArray(h.hours))
        q.push(`workingDays: ${String(h.date)} needs working hours`);
    });
  } else if (doc.kind !== '24x7') p.push('kind must be 24x7 or weekly');
  return p.length > 0
    ? { ok: false, errors: p }
    : { ok: true, value: doc as unknown as BusinessCalendar };
}

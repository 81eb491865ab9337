/**
 * Business calendars: when the service desk's clock runs. A weekly calendar has working hours per
 * weekday (several intervals a day allowed) on the wall clock of one IANA time zone, and holidays
 * (dates in that zone); the 24x7 calendar always runs.
 *
 * Business time is the set of instants whose wall-clock time in the calendar's zone falls in a
 * working interval of a working day. Across a DST change that is exactly what a person on site
 * would count: the hour skipped in spring never happened, the hour repeated in autumn counts
 * twice. The engine splits time into runs of constant UTC offset (zone-offsets.ts); within a run
 * the wall clock is UTC shifted by a constant, so each run is measured on a plain 24-hour-day
 * timeline, a day or a whole week at a time, never a minute at a time.
 */
import { checkString, isRecord, type Problems } from './check';
import type { Validated } from './ticket';
import { isKnownZone, offsetRun } from './zone-offsets';

/** Weekday keys, Monday first (ISO 8601). */
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
/** One weekday key. */
export type Weekday = (typeof WEEKDAYS)[number];

/** Working hours within one day, wall-clock `HH:mm`, end exclusive; `24:00` is midnight after. */
export type WorkingHours = { readonly start: string; readonly end: string };

/** A day off, `YYYY-MM-DD` in the calendar's zone. */
export type Holiday = { readonly date: string; readonly name: string };

/** A business calendar: always on (24x7) or weekly hours in a zone minus holidays. */
export type BusinessCalendar =
  | { readonly kind: '24x7'; readonly id: string; readonly name: string }
  | {
      readonly kind: 'weekly';
      readonly id: string;
      readonly name: string;
      readonly zone: string;
      readonly week: Readonly<Partial<Record<Weekday, readonly WorkingHours[]>>>;
      readonly holidays: readonly Holiday[];
    };

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const WEEK = 7 * DAY;
const TIME_RE = /^(?:([01]\d|2[0-3]):([0-5]\d)|(24):(00))$/;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

function minutesOf(text: string): number | null {
  const m = TIME_RE.exec(text);
  return m ? Number(m[1] ?? m[3]) * 60 + Number(m[2] ?? m[4]) : null;
}

function epochDayOf(date: string): number | null {
  const m = DATE_RE.exec(date);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  return back.getUTCFullYear() === y && back.getUTCMonth() === mo - 1 && back.getUTCDate() === d
    ? ms / DAY
    : null;
}

function checkDay(p: Problems, day: Weekday, hours: unknown): number {
  if (!Array.isArray(hours)) {
    p.push(`week.${day} must be a list of working hours`);
    return 0;
  }
  let total = 0;
  let prevEnd = -1;
  let prevText = '';
  for (const h of hours as unknown[]) {
    const start = isRecord(h) && typeof h.start === 'string' ? minutesOf(h.start) : null;
    const end = isRecord(h) && typeof h.end === 'string' ? minutesOf(h.end) : null;
    if (!isRecord(h) || start === null || end === null) {
      p.push(`week.${day}: working hours need a start and an end like 08:00 and 18:00`);
      continue;
    }
    const text = `${String(h.start)}–${String(h.end)}`;
    if (start >= end) p.push(`week.${day}: ${text} must end after it starts`);
    else if (start < prevEnd) p.push(`week.${day}: ${text} must start after ${prevText} ends`);
    else total += end - start;
    prevEnd = Math.max(prevEnd, end);
    prevText = text;
  }
  return total;
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
        if (doc.week[day] !== undefined) total += checkDay(p, day, doc.week[day]);
      // Only when the hours given are fine does "no hours at all" say something new.
      if (total === 0 && p.length === before)
        p.push('a weekly calendar needs working hours on at least one day');
    }
    if (!Array.isArray(doc.holidays)) p.push('holidays must be a list');
    else
      for (const h of doc.holidays as unknown[]) {
        if (!isRecord(h)) p.push('each holiday needs a date and a name');
        else if (typeof h.date !== 'string' || epochDayOf(h.date) === null)
          p.push(`holiday date "${String(h.date)}" must be a real date like 2026-12-25`);
        else if (typeof h.name !== 'string') p.push(`holiday ${h.date} needs a name`);
      }
  } else if (doc.kind !== '24x7') p.push('kind must be 24x7 or weekly');
  return p.length > 0
    ? { ok: false, errors: p }
    : { ok: true, value: doc as unknown as BusinessCalendar };
}

/** A weekly calendar prepared for arithmetic: intervals in ms after local midnight. */
type Compiled = {
  readonly zone: string;
  /** Per weekday (Monday = 0): flat [start, end, start, end, …]. */
  readonly days: readonly (readonly number[])[];
  readonly weekMs: number;
  /** Sorted days off, as days since 1970-01-01 on the local calendar. */
  readonly holidays: readonly number[];
};

const compiled = new WeakMap<BusinessCalendar, Compiled>();

function compile(cal: BusinessCalendar & { kind: 'weekly' }): Compiled {
  const hit = compiled.get(cal);
  if (hit) return hit;
  const v = validateCalendar(cal);
  if (!v.ok) throw new Error(`Calendar "${cal.id}" is invalid: ${v.errors.join('; ')}`);
  const days = WEEKDAYS.map((d) =>
    (cal.week[d] ?? []).flatMap((h) => [minutesOf(h.start)! * MINUTE, minutesOf(h.end)! * MINUTE]),
  );
  const weekMs = days.reduce((sum, iv) => {
    for (let i = 0; i < iv.length; i += 2) sum += iv[i + 1]! - iv[i]!;
    return sum;
  }, 0);
  const holidays = [...new Set(cal.holidays.map((h) => epochDayOf(h.date)!))].sort((a, b) => a - b);
  const out = { zone: cal.zone, days, weekMs, holidays };
  compiled.set(cal, out);
  return out;
}

// 1970-01-01 was a Thursday: day 0 has index 3 when Monday is 0.
const weekdayIndex = (day: number): number => (((day + 3) % 7) + 7) % 7;

function firstHolidayFrom(c: Compiled, day: number): number {
  let lo = 0;
  let hi = c.holidays.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (c.holidays[mid]! < day) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const isHoliday = (c: Compiled, day: number): boolean =>
  c.holidays[firstHolidayFrom(c, day)] === day;

/** True if the 7 days from `day` on are all ordinary (no holiday). */
const plainWeek = (c: Compiled, day: number): boolean => {
  const next = c.holidays[firstHolidayFrom(c, day)];
  return next === undefined || next >= day + 7;
};

/** Business ms in [a, b) of the wall-clock timeline, where every day has 24 hours. */
function wallMeasure(c: Compiled, a: number, b: number): number {
  let total = 0;
  for (let day = Math.floor(a / DAY); day * DAY < b;) {
    const dayStart = day * DAY;
    if (dayStart >= a && dayStart + WEEK <= b && plainWeek(c, day)) {
      total += c.weekMs;
      day += 7;
      continue;
    }
    if (!isHoliday(c, day)) {
      const iv = c.days[weekdayIndex(day)]!;
      for (let i = 0; i < iv.length; i += 2) {
        const lo = Math.max(dayStart + iv[i]!, a);
        const hi = Math.min(dayStart + iv[i + 1]!, b);
        if (hi > lo) total += hi - lo;
      }
    }
    day++;
  }
  return total;
}

type Advance =
  { readonly done: true; readonly at: number } | { readonly done: false; readonly left: number };

/**
 * Walks the wall-clock timeline from `a` towards `b`, consuming `amount` (> 0) business ms: where
 * it runs out, or what is left when `b` comes first.
 */
function wallAdvance(c: Compiled, a: number, b: number, amount: number): Advance {
  let left = amount;
  for (let day = Math.floor(a / DAY); day * DAY < b;) {
    const dayStart = day * DAY;
    if (dayStart >= a && dayStart + WEEK <= b && left > c.weekMs && plainWeek(c, day)) {
      left -= c.weekMs;
      day += 7;
      continue;
    }
    if (!isHoliday(c, day)) {
      const iv = c.days[weekdayIndex(day)]!;
      for (let i = 0; i < iv.length; i += 2) {
        const lo = Math.max(dayStart + iv[i]!, a);
        const hi = Math.min(dayStart + iv[i + 1]!, b);
        if (hi <= lo) continue;
        if (left <= hi - lo) return { done: true, at: lo + left };
        left -= hi - lo;
      }
    }
    day++;
  }
  return { done: false, left };
}

function checkInstant(value: number, what: string): void {
  if (!Number.isFinite(value)) throw new Error(`${what} must be a finite time in ms, not ${value}`);
}

/** Business milliseconds of `cal` between instants `from` and `to` (epoch ms; 0 if `to` ≤ `from`). */
export function businessMsBetween(cal: BusinessCalendar, from: number, to: number): number {
  checkInstant(from, 'from');
  checkInstant(to, 'to');
  if (to <= from) return 0;
  if (cal.kind === '24x7') return to - from;
  const c = compile(cal);
  let total = 0;
  for (let t = from; t < to;) {
    const run = offsetRun(c.zone, t);
    const end = Math.min(to, run.until);
    total += wallMeasure(c, t + run.offsetMs, end + run.offsetMs);
    t = end;
  }
  return total;
}

/**
 * The earliest instant at which `amount` business ms of `cal` have passed since `from` (the
 * due-at of a target); `from` itself for 0. Inverse of businessMsBetween:
 * `businessMsBetween(cal, from, addBusinessMs(cal, from, x)) === x`.
 */
export function addBusinessMs(cal: BusinessCalendar, from: number, amount: number): number {
  checkInstant(from, 'from');
  checkInstant(amount, 'amount');
  if (amount <= 0) return from;
  if (cal.kind === '24x7') return from + amount;
  const c = compile(cal);
  let left = amount;
  for (let t = from; ;) {
    const run = offsetRun(c.zone, t);
    const r = wallAdvance(c, t + run.offsetMs, run.until + run.offsetMs, left);
    if (r.done) return r.at - run.offsetMs;
    left = r.left;
    t = run.until;
  }
}

/** True if instant `at` is business time in `cal`. */
export function isBusinessTime(cal: BusinessCalendar, at: number): boolean {
  checkInstant(at, 'at');
  if (cal.kind === '24x7') return true;
  const c = compile(cal);
  const wall = at + offsetRun(c.zone, at).offsetMs;
  return wallMeasure(c, wall, wall + 1) === 1;
}

/**
 * Business calendars: when the service desk's clock runs. A weekly calendar has working hours per
 * weekday (several intervals a day allowed) on the wall clock of one IANA time zone, minus days off
 * (public holidays generated for any year, the desk's own closed days), with half days and extra
 * working days (calendar-check.ts describes the data); the 24x7 calendar always runs.
 *
 * Business time is the set of instants whose wall-clock time in the calendar's zone falls in a
 * working interval of a working day. Across a DST change that is exactly what a person on site
 * would count: the hour skipped in spring never happened, the hour repeated in autumn counts
 * twice. The engine splits time into runs of constant UTC offset (zone-offsets.ts); within a run
 * the wall clock is UTC shifted by a constant, so each run is measured on a plain 24-hour-day
 * timeline, a day or a whole week at a time, never a minute at a time.
 *
 * Days that differ from their weekday ("special days": closed, shortened or extra) are generated a
 * year at a time, the first time the arithmetic reaches that year, and kept with the compiled
 * calendar: a sorted list for "is the coming week ordinary?" and a map to each day's hours.
 */
import {
  epochDayIn,
  minutesOf,
  validateCalendar,
  WEEKDAYS,
  type BusinessCalendar,
  type WeeklyCalendar,
} from './calendar-check';
import { publicHolidaysIn } from './public-holidays';
import { offsetRun } from './zone-offsets';

export * from './calendar-check';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const WEEK = 7 * DAY;
const NO_HOURS: readonly number[] = [];

/** A weekly calendar prepared for arithmetic: intervals in ms after local midnight. */
type Compiled = {
  readonly cal: WeeklyCalendar;
  readonly zone: string;
  /** Per weekday (Monday = 0): flat [start, end, start, end, …]. */
  readonly days: readonly (readonly number[])[];
  readonly weekMs: number;
  /** Special days generated so far cover local days [from, to) (days since 1970-01-01). */
  from: number;
  to: number;
  /** Sorted special days within [from, to). */
  special: number[];
  /** Hours of each special day (empty: closed). */
  hours: Map<number, readonly number[]>;
};

const compiled = new WeakMap<BusinessCalendar, Compiled>();

function compile(cal: WeeklyCalendar): Compiled {
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
  const out: Compiled = {
    cal,
    zone: cal.zone,
    days,
    weekMs,
    from: 0,
    to: 0,
    special: [],
    hours: new Map(),
  };
  compiled.set(cal, out);
  return out;
}

const yearStart = (year: number): number => Date.UTC(year, 0, 1) / DAY;

/** The special days of `year`: closed, shortened and extra working days, as day → hours. */
function specialDaysOf(c: Compiled, year: number): Map<number, readonly number[]> {
  const cal = c.cal;
  const out = new Map<number, readonly number[]>();
  const closed = (date: string) => {
    const day = epochDayIn(date, year);
    if (day !== null) out.set(day, NO_HOURS);
  };
  if (cal.publicHolidays)
    for (const h of publicHolidaysIn(cal.publicHolidays, year)) closed(h.date);
  for (const h of cal.holidays) closed(h.date);
  for (const h of cal.halfDays ?? []) {
    const day = epochDayIn(h.date, year);
    if (day === null || out.has(day)) continue;
    const cut = minutesOf(h.closesAt)! * MINUTE;
    const iv = c.days[weekdayIndex(day)]!;
    const kept: number[] = [];
    for (let i = 0; i < iv.length; i += 2)
      if (iv[i]! < cut) kept.push(iv[i]!, Math.min(iv[i + 1]!, cut));
    out.set(day, kept);
  }
  // An extra working day is the desk's explicit word for that date: it wins over the rest.
  for (const w of cal.workingDays ?? []) {
    const day = epochDayIn(w.date, year);
    if (day !== null)
      out.set(
        day,
        w.hours.flatMap((h) => [minutesOf(h.start)! * MINUTE, minutesOf(h.end)! * MINUTE]),
      );
  }
  return out;
}

/** Makes sure the special days of the local days [lo, hi) are generated (whole years). */
function cover(c: Compiled, lo: number, hi: number): void {
  if (lo >= c.from && hi <= c.to) return;
  const empty = c.from === c.to;
  let fromYear = new Date(Math.min(lo, empty ? lo : c.from) * DAY).getUTCFullYear();
  let toYear = new Date((Math.max(hi, empty ? hi : c.to) - 1) * DAY).getUTCFullYear();
  // Years are generated one after another, so the arithmetic walking into the next year pays once.
  fromYear = Math.max(fromYear, -9999);
  toYear = Math.min(toYear, 99999);
  for (let y = fromYear; y <= toYear; y++) {
    const ys = yearStart(y);
    if (!empty && ys >= c.from && yearStart(y + 1) <= c.to) continue;
    for (const [day, iv] of specialDaysOf(c, y)) c.hours.set(day, iv);
  }
  c.from = yearStart(fromYear);
  c.to = yearStart(toYear + 1);
  c.special = [...c.hours.keys()].sort((a, b) => a - b);
}

// 1970-01-01 was a Thursday: day 0 has index 3 when Monday is 0.
const weekdayIndex = (day: number): number => (((day + 3) % 7) + 7) % 7;

function firstSpecialFrom(c: Compiled, day: number): number {
  let lo = 0;
  let hi = c.special.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (c.special[mid]! < day) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The working intervals of local day `day`: its special hours, or its weekday's. */
function hoursOf(c: Compiled, day: number): readonly number[] {
  if (day < c.from || day >= c.to) cover(c, day, day + 1);
  return c.hours.get(day) ?? c.days[weekdayIndex(day)]!;
}

/** True if the 7 days from `day` on are all ordinary (no special day). */
const plainWeek = (c: Compiled, day: number): boolean => {
  if (day < c.from || day + 7 > c.to) cover(c, day, day + 7);
  const next = c.special[firstSpecialFrom(c, day)];
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
    const iv = hoursOf(c, day);
    for (let i = 0; i < iv.length; i += 2) {
      const lo = Math.max(dayStart + iv[i]!, a);
      const hi = Math.min(dayStart + iv[i + 1]!, b);
      if (hi > lo) total += hi - lo;
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
    const iv = hoursOf(c, day);
    for (let i = 0; i < iv.length; i += 2) {
      const lo = Math.max(dayStart + iv[i]!, a);
      const hi = Math.min(dayStart + iv[i + 1]!, b);
      if (hi <= lo) continue;
      if (left <= hi - lo) return { done: true, at: lo + left };
      left -= hi - lo;
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

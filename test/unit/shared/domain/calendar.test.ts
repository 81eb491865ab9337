import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import {
  addBusinessMs,
  businessMsBetween,
  isBusinessTime,
  isKnownZone,
  validateCalendar,
  WEEKDAYS,
  type BusinessCalendar,
  type WorkingHours,
} from '../../../../shared/domain';
import { offsetRun } from '../../../../shared/domain/zone-offsets';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

const weekly = (
  id: string,
  zone: string,
  week: Partial<Record<(typeof WEEKDAYS)[number], readonly WorkingHours[]>>,
  holidays: readonly string[] = [],
): BusinessCalendar => ({
  kind: 'weekly',
  id,
  name: id,
  zone,
  week,
  holidays: holidays.map((date) => ({ date, name: `holiday ${date}` })),
});
const office = [{ start: '08:00', end: '18:00' }];
const allDay = [{ start: '00:00', end: '24:00' }];
const everyDay = (hours: readonly WorkingHours[]) =>
  Object.fromEntries(WEEKDAYS.map((d) => [d, hours])) as Record<
    (typeof WEEKDAYS)[number],
    readonly WorkingHours[]
  >;

const NY = weekly(
  'ny',
  'America/New_York',
  { mon: office, tue: office, wed: office, thu: office, fri: office },
  ['2026-07-03'],
);
const LONDON = weekly(
  'london',
  'Europe/London',
  { mon: office, tue: office, wed: office, thu: office, fri: office },
  ['2026-04-03', '2026-04-06', '2026-05-04', '2026-05-25'],
);
const NY_ALWAYS = weekly('ny-always', 'America/New_York', everyDay(allDay));
const LONDON_ALWAYS = weekly('london-always', 'Europe/London', everyDay(allDay));
const SPLIT = weekly('split', 'Europe/Berlin', {
  mon: [
    { start: '09:00', end: '12:00' },
    { start: '13:00', end: '17:00' },
  ],
});
// Working hours right where the clocks change (Sunday 01:00–03:00 in New York and London).
const NIGHT = weekly('night', 'America/New_York', {
  sun: [{ start: '01:30', end: '03:00' }],
  mon: office,
});
const H24: BusinessCalendar = { kind: '24x7', id: '24x7', name: '24x7' };

const zoneOf = (cal: BusinessCalendar) => (cal.kind === 'weekly' ? cal.zone : 'UTC');
/** An instant from wall-clock time in the calendar's zone. */
const at = (cal: BusinessCalendar, local: string) =>
  DateTime.fromISO(local, { zone: zoneOf(cal) }).toMillis();
const wall = (cal: BusinessCalendar, ms: number) =>
  DateTime.fromMillis(ms, { zone: zoneOf(cal) }).toFormat("yyyy-MM-dd'T'HH:mm");

describe('business time between two instants', () => {
  it.each([
    ['within one working day', NY, '2026-03-02T09:00', '2026-03-02T17:00', 8],
    ['overnight skips the night', NY, '2026-03-02T17:00', '2026-03-03T09:00', 2],
    ['a weekend with the spring DST change', NY, '2026-03-06T17:00', '2026-03-09T09:00', 2],
    ['a whole week across spring forward', NY, '2026-03-02T08:00', '2026-03-09T08:00', 50],
    ['a whole week across fall back', NY, '2026-10-26T08:00', '2026-11-02T08:00', 50],
    ['a holiday (Independence Day observed)', NY, '2026-07-02T17:00', '2026-07-06T09:00', 2],
    ['Good Friday and Easter Monday', LONDON, '2026-04-02T17:00', '2026-04-07T09:00', 2],
    ['the London spring-forward weekend', LONDON, '2026-03-27T17:00', '2026-03-30T09:00', 2],
    ['lunch breaks', SPLIT, '2026-03-02T11:00', '2026-03-02T14:00', 2],
    ['New York spring-forward day has 23 hours', NY_ALWAYS, '2026-03-08', '2026-03-09', 23],
    ['New York fall-back day has 25 hours', NY_ALWAYS, '2026-11-01', '2026-11-02', 25],
    ['London spring-forward day has 23 hours', LONDON_ALWAYS, '2026-03-29', '2026-03-30', 23],
    ['London fall-back day has 25 hours', LONDON_ALWAYS, '2026-10-25', '2026-10-26', 25],
    ['01:30–03:00 on spring forward is half an hour', NIGHT, '2026-03-08', '2026-03-09', 0.5],
    ['01:30–03:00 on fall back is two hours', NIGHT, '2026-11-01', '2026-11-02', 2],
    ['24x7 counts the wall clock', H24, '2026-03-06T17:00', '2026-03-09T09:00', 64],
    ['a reversed range is empty', NY, '2026-03-03T09:00', '2026-03-02T09:00', 0],
  ] as const)('%s', (_name, cal, from, to, hours) => {
    expect(businessMsBetween(cal, at(cal, from), at(cal, to))).toBe(hours * HOUR);
  });

  it('refuses instants that are not times', () => {
    expect(() => businessMsBetween(NY, NaN, 0)).toThrow(
      'from must be a finite time in ms, not NaN',
    );
    expect(() => addBusinessMs(NY, 0, Infinity)).toThrow('amount must be a finite time');
  });
});

describe('due at: adding business time to an instant', () => {
  it.each([
    ['over a weekend with a DST change', NY, '2026-03-06T16:00', 4, '2026-03-09T10:00'],
    [
      '3 business days over Easter (P3 resolution)',
      LONDON,
      '2026-04-02T10:00',
      30,
      '2026-04-09T10:00',
    ],
    ['from a Saturday', NY, '2026-03-07T12:00', 1, '2026-03-09T09:00'],
    [
      'a full day ends at closing time, not next morning',
      NY,
      '2026-03-02T08:00',
      10,
      '2026-03-02T18:00',
    ],
    ['nothing to add', NY, '2026-03-07T12:00', 0, '2026-03-07T12:00'],
    [
      '24 hours on the 25-hour fall-back day',
      NY_ALWAYS,
      '2026-11-01T00:00',
      24,
      '2026-11-01T23:00',
    ],
    ['across New Year', H24, '2026-12-31T20:00', 8, '2027-01-01T04:00'],
    ['skips the lunch break', SPLIT, '2026-03-02T11:00', 2, '2026-03-02T14:00'],
  ] as const)('%s', (_name, cal, from, hours, due) => {
    expect(wall(cal, addBusinessMs(cal, at(cal, from), hours * HOUR))).toBe(due);
  });

  // How fast is a figure of the bench (`npm run bench`, the wallboard's SLA evaluation), not a
  // threshold here: a wall-clock limit in `npm test` fails on a busy machine.
  it('computes a due date months away (1,000 business hours)', () => {
    const from = at(LONDON, '2026-01-05T09:00');
    expect(wall(LONDON, addBusinessMs(LONDON, from, 1000 * HOUR))).toBe('2026-05-29T09:00');
    expect(wall(LONDON, addBusinessMs(LONDON, from + 30 * MINUTE, 1000 * HOUR))).toBe(
      '2026-05-29T09:30',
    );
  });
});

const calendars = [NY, LONDON, SPLIT, NIGHT, NY_ALWAYS, LONDON_ALWAYS, H24] as const;
const farCalendars = [
  weekly('lord-howe', 'Australia/Lord_Howe', {
    sun: [{ start: '01:00', end: '03:00' }],
    mon: office,
  }),
  weekly('kolkata', 'Asia/Kolkata', { mon: office, sat: [{ start: '10:00', end: '13:30' }] }),
  weekly(
    'casablanca',
    'Africa/Casablanca',
    everyDay([{ start: '01:30', end: '04:00' }, ...office]),
  ),
];
const calendarArb = fc.constantFrom(...calendars, ...farCalendars);

/** Instants in 2026 when `zone` changes its UTC offset: scanned by day, then hour, then minute. */
function changesIn2026(zone: string): number[] {
  const offset = (t: number) => DateTime.fromMillis(t, { zone }).offset;
  const DAY = 24 * HOUR;
  const first = (from: number, step: number) => {
    let t = from;
    while (offset(t + step) === offset(from)) t += step;
    return t;
  };
  const out: number[] = [];
  for (let t = Date.UTC(2026, 0, 1); t < Date.UTC(2027, 0, 1); t += DAY) {
    if (offset(t + DAY) !== offset(t)) out.push(first(first(t, HOUR), MINUTE) + MINUTE);
  }
  return out;
}

const instantArb = fc.integer({ min: Date.UTC(2025, 0, 1), max: Date.UTC(2028, 0, 1) });

describe('calendar properties', () => {
  it('dueAt round-trips: businessMsBetween(from, addBusinessMs(from, x)) === x, and no sooner', () => {
    fc.assert(
      fc.property(
        calendarArb,
        instantArb,
        fc.integer({ min: 1, max: 2000 * HOUR }),
        (cal, from, x) => {
          const due = addBusinessMs(cal, from, x);
          expect(businessMsBetween(cal, from, due)).toBe(x);
          expect(businessMsBetween(cal, from, due - 1)).toBe(x - 1);
        },
      ),
    );
  });

  it('agrees with a slow 5-minute-step reference around every 2026 offset change', () => {
    // Every boundary (working hours, offsets incl. Lord Howe's 30-minute shift) is on a
    // 5-minute grid, so counting 5-minute steps by wall-clock rules is exact.
    const STEP = 5 * MINUTE;
    const reference = (cal: BusinessCalendar, from: number, to: number) => {
      if (cal.kind === '24x7') return Math.max(0, to - from);
      const holidays = new Set(cal.holidays.map((h) => h.date));
      let n = 0;
      for (let t = from; t < to; t += STEP) {
        const local = DateTime.fromMillis(t, { zone: cal.zone });
        if (holidays.has(local.toISODate()!)) continue;
        const hm = local.toFormat('HH:mm');
        const hours = cal.week[WEEKDAYS[local.weekday - 1]!] ?? [];
        if (hours.some((h) => h.start <= hm && hm < h.end)) n++;
      }
      return n * STEP;
    };
    // Each calendar paired with the offset changes of its own zone, found by luxon alone.
    const cases = [...calendars, ...farCalendars].flatMap((cal) => {
      const changes = changesIn2026(zoneOf(cal));
      return (changes.length > 0 ? changes : [Date.UTC(2026, 5, 1)]).map((c) => [cal, c] as const);
    });
    // Two changes in each of the eight DST calendars, one probe each in UTC and Kolkata.
    expect(cases.length).toBe(18);
    fc.assert(
      fc.property(
        fc.constantFrom(...cases),
        fc.integer({ min: -300, max: 0 }),
        fc.integer({ min: 0, max: 600 }),
        ([cal, change], startSteps, lengthSteps) => {
          const from = change + startSteps * STEP;
          const to = from + lengthSteps * STEP;
          expect(businessMsBetween(cal, from, to)).toBe(reference(cal, from, to));
          expect(isBusinessTime(cal, to)).toBe(reference(cal, to, to + STEP) > 0);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('is additive and never exceeds the wall clock', () => {
    fc.assert(
      fc.property(calendarArb, instantArb, instantArb, instantArb, (cal, a, b, c) => {
        const [x, y, z] = [a, b, c].sort((p, q) => p - q) as [number, number, number];
        const xy = businessMsBetween(cal, x, y);
        expect(xy + businessMsBetween(cal, y, z)).toBe(businessMsBetween(cal, x, z));
        expect(xy).toBeLessThanOrEqual(y - x);
      }),
    );
  });
});

describe('isBusinessTime', () => {
  it.each([
    [NY, '2026-03-02T08:00', true],
    [NY, '2026-03-02T18:00', false],
    [NY, '2026-03-07T12:00', false],
    [NY, '2026-07-03T12:00', false],
    [SPLIT, '2026-03-02T12:30', false],
    [H24, '2026-07-03T12:00', true],
  ] as const)('%s at %s → %s', (cal, local, expected) => {
    expect(isBusinessTime(cal, at(cal, local))).toBe(expected);
  });
});

describe('time zone offsets', () => {
  it('finds the DST changes of a year to the second, and none in UTC', () => {
    expect(offsetRun('America/New_York', Date.UTC(2026, 2, 8, 6, 59, 59))).toEqual({
      offsetMs: -5 * HOUR,
      until: Date.UTC(2026, 2, 8, 7),
    });
    expect(offsetRun('America/New_York', Date.UTC(2026, 2, 8, 7))).toEqual({
      offsetMs: -4 * HOUR,
      until: Date.UTC(2026, 10, 1, 6),
    });
    expect(offsetRun('UTC', Date.UTC(2026, 5, 1))).toEqual({
      offsetMs: 0,
      until: Date.UTC(2027, 0, 1),
    });
    expect(isKnownZone('Europe/London')).toBe(true);
    expect(isKnownZone('Mars/Olympus_Mons')).toBe(false);
  });
});

describe('calendar validation', () => {
  it.each([
    [null, 'calendar must be an object'],
    [{ ...NY, id: '' }, 'id is required'],
    [{ ...NY, kind: 'sometimes' }, 'kind must be 24x7 or weekly'],
    [
      { ...NY, zone: 'Mars/Olympus_Mons' },
      'zone "Mars/Olympus_Mons" is not an IANA time zone like Europe/London',
    ],
    [{ ...NY, week: [] }, 'week must map weekdays (mon … sun) to working hours'],
    [{ ...NY, week: { monday: office } }, 'week has unknown days monday; use mon … sun'],
    [{ ...NY, week: { mon: 'nine to five' } }, 'week.mon must be a list of working hours'],
    [
      { ...NY, week: { mon: [{ start: '9am', end: '17:00' }] } },
      'week.mon: working hours need a start and an end like 08:00 and 18:00',
    ],
    [
      { ...NY, week: { mon: [{ start: '24:30', end: '25:00' }] } },
      'week.mon: working hours need a start and an end like 08:00 and 18:00',
    ],
    [
      { ...NY, week: { tue: [{ start: '18:00', end: '08:00' }] } },
      'week.tue: 18:00–08:00 must end after it starts',
    ],
    [
      { ...NY, week: { wed: [office[0], { start: '12:00', end: '13:00' }] } },
      'week.wed: 12:00–13:00 must start after 08:00–18:00 ends',
    ],
    [{ ...NY, week: {} }, 'a weekly calendar needs working hours on at least one day'],
    [{ ...NY, holidays: 'none' }, 'holidays must be a list'],
    [
      { ...NY, holidays: [{ date: '2026-02-30', name: 'x' }] },
      'holiday date "2026-02-30" must be a real date like 2026-12-25 (or 12-25 for every year)',
    ],
    [
      { ...NY, holidays: [{ date: '25/12/2026', name: 'x' }] },
      'holiday date "25/12/2026" must be a real date like 2026-12-25 (or 12-25 for every year)',
    ],
    [{ ...NY, holidays: ['2026-12-25'] }, 'each holiday needs a date and a name'],
    [{ ...NY, holidays: [{ date: '2026-12-25' }] }, 'holiday 2026-12-25 needs a name'],
  ])('%j → %s', (doc, message) => {
    expect(validateCalendar(doc)).toEqual({ ok: false, errors: [message] });
  });

  it('refuses to count on an invalid calendar, saying why', () => {
    const broken = { ...NY, id: 'broken', week: {} } as BusinessCalendar;
    expect(() => businessMsBetween(broken, 0, HOUR)).toThrow(
      'Calendar "broken" is invalid: a weekly calendar needs working hours on at least one day',
    );
  });
});

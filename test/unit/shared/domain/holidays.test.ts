import { describe, expect, it } from 'vitest';
import Holidays from 'date-holidays';
import {
  addBusinessMs,
  businessMsBetween,
  isBusinessTime,
  isKnownHolidayRegion,
  publicHolidaysIn,
  type BusinessCalendar,
  type PublicHolidays,
} from '../../../../shared/domain';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const OFFICE = [{ start: '08:00', end: '18:00' }] as const;
const WEEK = { mon: OFFICE, tue: OFFICE, wed: OFFICE, thu: OFFICE, fri: OFFICE };

const calendar = (
  id: string,
  zone: string,
  publicHolidays: PublicHolidays | null,
  extra: Partial<BusinessCalendar & { kind: 'weekly' }> = {},
): BusinessCalendar => ({
  kind: 'weekly',
  id,
  name: id,
  zone,
  week: WEEK,
  holidays: [],
  publicHolidays,
  ...extra,
});

/** The library's own list of public holidays, straight from its API. */
function libraryDates(country: string, region: string, year: number): string[] {
  const hd = new Holidays(country, region);
  return [
    ...new Set(
      hd
        .getHolidays(year)
        .filter((h) => h.type === 'public')
        .map((h) => h.date.slice(0, 10)),
    ),
  ].sort();
}

// Published dates (gov.uk bank holidays, Berlin's Feiertagsgesetz, New York State's list), with
// weekend holidays' substitute days where the region has them.
const PUBLISHED: Record<string, Record<number, string[]>> = {
  'GB/ENG': {
    2027: [
      '2027-01-01',
      '2027-03-26',
      '2027-03-29',
      '2027-05-03',
      '2027-05-31',
      '2027-08-30',
      '2027-12-27',
      '2027-12-28',
    ],
    2030: [
      '2030-01-01',
      '2030-04-19',
      '2030-04-22',
      '2030-05-06',
      '2030-05-27',
      '2030-08-26',
      '2030-12-25',
      '2030-12-26',
    ],
  },
  'DE/BE': {
    2027: [
      '2027-01-01',
      '2027-03-08',
      '2027-03-26',
      '2027-03-29',
      '2027-05-01',
      '2027-05-06',
      '2027-05-17',
      '2027-10-03',
      '2027-12-25',
      '2027-12-26',
    ],
    2030: [
      '2030-01-01',
      '2030-03-08',
      '2030-04-19',
      '2030-04-22',
      '2030-05-01',
      '2030-05-30',
      '2030-06-10',
      '2030-10-03',
      '2030-12-25',
      '2030-12-26',
    ],
  },
  'US/NY': {
    // Federal holidays and their observed days (the library also lists New York's own days).
    2027: [
      '2027-01-01',
      '2027-01-18',
      '2027-02-15',
      '2027-05-31',
      '2027-06-18',
      '2027-07-05',
      '2027-09-06',
      '2027-10-11',
      '2027-11-11',
      '2027-11-25',
      '2027-12-24',
    ],
    2030: [
      '2030-01-01',
      '2030-01-21',
      '2030-02-18',
      '2030-05-27',
      '2030-06-19',
      '2030-07-04',
      '2030-09-02',
      '2030-10-14',
      '2030-11-11',
      '2030-11-28',
      '2030-12-25',
    ],
  },
};

describe('public holidays for any year', () => {
  for (const [key, years] of Object.entries(PUBLISHED)) {
    const [country, region] = key.split('/') as [string, string];
    for (const [year, published] of Object.entries(years)) {
      it(`${key} ${year}: the library's dates, including the published ones`, () => {
        const got = publicHolidaysIn({ country, region }, Number(year)).map((h) => h.date);
        expect(got).toEqual(libraryDates(country, region, Number(year)));
        expect(got).toEqual(expect.arrayContaining(published));
        // Outside New York the working days off are exactly the published ones (the library also
        // lists a holiday that falls on a weekend, next to its substitute day).
        const weekday = (d: string) => ![0, 6].includes(new Date(`${d}T12:00:00Z`).getUTCDay());
        if (key !== 'US/NY') expect(got.filter(weekday)).toEqual(published.filter(weekday));
      });
    }
  }

  it('knows which regions it can generate and refuses the others', () => {
    expect(isKnownHolidayRegion({ country: 'GB', region: 'ENG' })).toBe(true);
    expect(isKnownHolidayRegion({ country: 'DE', region: 'BE' })).toBe(true);
    expect(isKnownHolidayRegion({ country: 'US', region: 'NY' })).toBe(true);
    expect(isKnownHolidayRegion({ country: 'DE', region: 'XX' })).toBe(false);
    expect(isKnownHolidayRegion({ country: 'ZZ' })).toBe(false);
    expect(() => publicHolidaysIn({ country: 'ZZ' }, 2027)).toThrow(
      'No public holidays known for ZZ',
    );
  });
});

describe('calendars with generated holidays', () => {
  const london = calendar('london', 'Europe/London', { country: 'GB', region: 'ENG' });
  const berlin = calendar('berlin', 'Europe/Berlin', { country: 'DE', region: 'BE' });
  const newYork = calendar('ny', 'America/New_York', { country: 'US', region: 'NY' });
  const noonIn = (zoneOffsetHours: number, date: string) =>
    Date.parse(`${date}T12:00:00.000Z`) - zoneOffsetHours * HOUR;

  it('count no business time on the holidays the 2026 tables had no rows for', () => {
    for (const date of ['2027-01-01', '2027-03-26', '2027-12-27', '2030-04-19', '2099-12-25'])
      expect(isBusinessTime(london, noonIn(date.includes('-03-') ? 0 : 0, date)), date).toBe(false);
    // 2027-03-25 is an ordinary Thursday.
    expect(isBusinessTime(london, noonIn(0, '2027-03-25'))).toBe(true);
    expect(isBusinessTime(berlin, noonIn(2, '2030-05-30'))).toBe(false); // Ascension Day
    expect(isBusinessTime(berlin, noonIn(1, '2027-03-08'))).toBe(false); // Women's Day, Berlin only
    expect(isBusinessTime(newYork, noonIn(-5, '2027-11-25'))).toBe(false); // Thanksgiving
    expect(isBusinessTime(newYork, noonIn(-5, '2027-11-24'))).toBe(true);
  });

  it('skip a holiday when adding business time across it, and measure around it', () => {
    // Thursday 25 March 2027 17:00 London (GMT) + 2 business hours: Good Friday and Easter
    // Monday are off, so it is due on Tuesday 30 March 09:00 (BST from 28 March: 08:00Z).
    const from = Date.parse('2027-03-25T17:00:00.000Z');
    const due = addBusinessMs(london, from, 2 * HOUR);
    expect(new Date(due).toISOString()).toBe('2027-03-30T08:00:00.000Z');
    expect(businessMsBetween(london, from, due)).toBe(2 * HOUR);
  });

  it('close early on half days, work extra days, and repeat MM-DD dates every year', () => {
    const cal = calendar(
      'desk',
      'Europe/London',
      { country: 'GB', region: 'ENG' },
      {
        holidays: [{ date: '07-01', name: 'Desk day' }],
        halfDays: [
          { date: '12-24', name: 'Christmas Eve', closesAt: '12:00' },
          { date: '12-31', name: "New Year's Eve", closesAt: '12:00' },
        ],
        workingDays: [
          {
            date: '2027-06-05',
            name: 'Migration Saturday',
            hours: [{ start: '09:00', end: '13:00' }],
          },
        ],
      },
    );
    const day = (date: string) =>
      businessMsBetween(
        cal,
        Date.parse(`${date}T00:00:00.000Z`) - HOUR,
        Date.parse(`${date}T23:59:59.000Z`),
      );
    // Friday 24 December 2027 (GMT): 08:00–12:00 only; 2030's is a Tuesday, the same.
    expect(day('2027-12-24')).toBe(4 * HOUR);
    expect(day('2030-12-24')).toBe(4 * HOUR);
    expect(day('2030-12-31')).toBe(4 * HOUR);
    // A half day that falls on a weekend or a holiday stays closed.
    expect(day('2028-12-24')).toBe(0); // Sunday
    // Extra working Saturday 5 June 2027 (BST: 09:00–13:00 is 08:00–12:00Z).
    expect(day('2027-06-05')).toBe(4 * HOUR);
    expect(day('2027-06-12')).toBe(0);
    // The desk's own closed day, every year it falls on a working day.
    expect(day('2027-07-01')).toBe(0);
    expect(day('2030-07-01')).toBe(0);
    expect(day('2030-07-02')).toBe(10 * HOUR);
  });

  it('give the same answers whichever year the arithmetic reaches first', () => {
    const a = calendar('a', 'Europe/Berlin', { country: 'DE', region: 'BE' });
    const b = calendar('b', 'Europe/Berlin', { country: 'DE', region: 'BE' });
    const spans = [
      ['2030-01-01T00:00:00.000Z', '2030-12-31T00:00:00.000Z'],
      ['2026-06-01T00:00:00.000Z', '2027-06-01T00:00:00.000Z'],
      ['2028-02-01T00:00:00.000Z', '2029-03-01T00:00:00.000Z'],
    ] as const;
    const forward = spans.map(([x, y]) => businessMsBetween(a, Date.parse(x), Date.parse(y)));
    const backward = [...spans]
      .reverse()
      .map(([x, y]) => businessMsBetween(b, Date.parse(x), Date.parse(y)))
      .reverse();
    expect(backward).toEqual(forward);
    expect(addBusinessMs(a, Date.parse('2026-12-20T00:00:00.000Z'), 2000 * HOUR)).toBe(
      addBusinessMs(b, Date.parse('2026-12-20T00:00:00.000Z'), 2000 * HOUR),
    );
  });
});

import { describe, expect, it } from 'vitest';
import {
  businessDuration,
  dueText,
  formatSla,
  isBreachingSoon,
  shownSlaClock,
  ticketSlaText,
  workingDayMs,
  type BusinessCalendar,
  type SlaConfig,
  type SlaSubject,
} from '../../../../shared/domain';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const ms = (iso: string) => Date.parse(iso);

const officeHours = [{ start: '08:00', end: '17:00' }];
const office = (zone: string): BusinessCalendar => ({
  kind: 'weekly',
  id: 'office',
  name: 'Office',
  zone,
  week: {
    mon: officeHours,
    tue: officeHours,
    wed: officeHours,
    thu: officeHours,
    fri: officeHours,
  },
  holidays: [],
});

const config = (zone: string, responseMs: number, resolutionMs: number): SlaConfig => ({
  calendars: [office(zone)],
  policies: [
    {
      id: 'p3',
      kind: 'incident',
      priority: 3,
      responseMs,
      resolutionMs,
      calendarId: 'office',
    },
  ],
});

type Pause = { from: string; to: string | null; reason?: string };
const ticket = (
  createdAt: string,
  sla: { respondedAt?: string | null; pauses?: Pause[] } = {},
  state = 'in-progress',
): SlaSubject => ({
  kind: 'incident',
  priority: 3,
  state,
  createdAt,
  sla: { respondedAt: null, resolvedAt: null, pauses: [], ...sla },
});

const text = (
  t: SlaSubject,
  cfg: SlaConfig,
  now: string,
  zone: string,
  variant: 'short' | 'long' = 'long',
) => ticketSlaText(t, cfg, { now: ms(now), zone, variant });

describe('business durations in words', () => {
  const day = 9 * HOUR;
  it.each([
    [0, 'less than 1 min'],
    [59_999, 'less than 1 min'],
    [MINUTE, '1 min'],
    [45 * MINUTE + 59_999, '45 min'],
    [HOUR, '1 h'],
    [3 * HOUR + 20 * MINUTE + 30_000, '3 h 20 min'],
    [day - 1, '8 h 59 min'],
    [day, '1 business day'],
    [2 * day + 3 * HOUR + 59 * MINUTE, '2 business days 3 h'],
    [9 * day + 8 * HOUR, '9 business days 8 h'],
    [607 * HOUR, '67 business days'],
    [-(2 * day), '2 business days'],
  ])('%i ms of a 9-hour working day is "%s"', (amount, words) => {
    expect(businessDuration(amount, day, 'long')).toBe(words);
  });

  it('short variant abbreviates days; bad input is refused', () => {
    expect(businessDuration(2 * day, day, 'short')).toBe('2 bus. days');
    expect(businessDuration(day, day, 'short')).toBe('1 bus. day');
    expect(() => businessDuration(NaN, day, 'long')).toThrow(/Cannot word/);
    expect(() => businessDuration(HOUR, 0, 'long')).toThrow(/Cannot word/);
  });

  it('a working day is the calendar’s usual day, 24 h for 24x7', () => {
    expect(workingDayMs(office('Europe/London'))).toBe(9 * HOUR);
    expect(workingDayMs({ kind: '24x7', id: 'a', name: 'A' })).toBe(24 * HOUR);
    const short = [{ start: '09:00', end: '13:00' }];
    const week = { mon: officeHours, tue: officeHours, wed: officeHours, thu: officeHours };
    const cal = { ...office('Europe/London'), week: { ...week, fri: short } } as BusinessCalendar;
    expect(workingDayMs(cal)).toBe(9 * HOUR);
  });
});

describe('due dates in the viewer’s zone', () => {
  const now = ms('2026-12-08T10:00:00.000Z'); // a Tuesday
  const due = ms('2026-12-10T13:00:00.000Z'); // Thursday 13:00 UTC
  it.each([
    ['Europe/London', 'Thu 13:00'],
    ['Europe/Berlin', 'Thu 14:00'],
    ['America/New_York', 'Thu 08:00'],
    ['Asia/Tokyo', 'Thu 22:00'],
    ['Asia/Kolkata', 'Thu 18:30'],
  ])('in %s: %s', (zone, words) => {
    expect(dueText(due, now, zone)).toBe(words);
  });

  it('a date further off gets its day and month, another year its year', () => {
    expect(dueText(ms('2026-08-03T13:00:00.000Z'), now, 'Europe/Berlin')).toBe('3 Aug 15:00');
    expect(dueText(ms('2027-01-20T13:00:00.000Z'), now, 'Europe/Berlin')).toBe('20 Jan 2027 14:00');
    // New Year's Eve in New York is already the new year in Tokyo.
    const nye = ms('2026-12-31T16:00:00.000Z');
    expect(dueText(nye, nye - 30 * 24 * HOUR, 'America/New_York')).toBe('31 Dec 11:00');
    expect(dueText(nye, nye - 30 * 24 * HOUR, 'Asia/Tokyo')).toBe('1 Jan 2027 01:00');
  });

  it('an unknown zone is an error, not a guess', () => {
    expect(() => dueText(due, now, 'Mars/Olympus')).toThrow();
  });
});

describe('one clock in words', () => {
  const cfg = config('Europe/London', 4 * HOUR, 20 * 9 * HOUR);
  // Tuesday 8 December 2026, 09:00 in London (GMT).
  const created = '2026-12-08T09:00:00.000Z';

  it('running: due time, business time left and percent; short for chips', () => {
    const t = ticket(created);
    const now = '2026-12-08T09:40:00.000Z';
    expect(text(t, cfg, now, 'Europe/London')).toMatchObject({
      text: 'Response due Tue 13:00 · 3 h 20 min business time left · 16% elapsed',
      state: 'ok',
    });
    expect(text(t, cfg, now, 'Europe/Berlin', 'short')).toMatchObject({
      text: 'resp 3 h 20 min left · due Tue 14:00',
    });
  });

  it('the response target runs over the night in business time, not clock time', () => {
    const t = ticket('2026-12-08T15:00:00.000Z'); // 2 h before closing
    expect(text(t, cfg, '2026-12-08T16:00:00.000Z', 'Europe/London')?.text).toBe(
      'Response due Wed 10:00 · 3 h business time left · 25% elapsed',
    );
    // Overnight, at 07:00 next morning, nothing has run since closing.
    expect(text(t, cfg, '2026-12-09T07:00:00.000Z', 'Europe/London')).toMatchObject({
      text: 'Response due Wed 10:00 · 2 h business time left · 50% elapsed',
      state: 'ok',
    });
  });

  it('at risk from the policy’s warning on', () => {
    const t = ticket(created);
    expect(text(t, cfg, '2026-12-08T12:00:00.000Z', 'Europe/London')).toMatchObject({
      text: 'Response due Tue 13:00 · 1 h business time left · 75% elapsed',
      state: 'warning',
    });
  });

  it('overdue in business days of the calendar’s working day', () => {
    const t = ticket(created, { respondedAt: '2026-12-08T09:10:00.000Z' });
    // A 20 working day target; months later it is weeks over, counted in 9-hour days.
    const late = text(t, cfg, '2027-03-19T16:00:00.000Z', 'Europe/London')!;
    expect(late.state).toBe('breached');
    expect(late.shown.reading.clock).toBe('resolution');
    expect(late.text).toMatch(
      /^Resolution overdue by \d+ business days · was due .* · \d+% elapsed$/,
    );
    const r = late.shown.reading;
    expect(late.text).toContain(`overdue by ${Math.floor(-r.remainingMs / (9 * HOUR))} business`);
    expect(text(t, cfg, '2027-03-19T16:00:00.000Z', 'Europe/London', 'short')?.text).toMatch(
      /^res overdue \d+ bus\. days$/,
    );
  });

  it('days of time left say business once', () => {
    const t = ticket(created, { respondedAt: '2026-12-08T09:10:00.000Z' });
    expect(text(t, cfg, '2026-12-08T10:00:00.000Z', 'Europe/London')?.text).toBe(
      'Resolution due 5 Jan 2027 09:00 · 19 business days left · 0% elapsed',
    );
  });

  it('just past the target: overdue by less than a minute, then by minutes', () => {
    const t = ticket(created);
    expect(text(t, cfg, '2026-12-08T13:00:00.000Z', 'Europe/London', 'short')?.text).toBe(
      'resp overdue less than 1 min',
    );
    expect(text(t, cfg, '2026-12-08T13:25:00.000Z', 'Europe/London', 'short')?.text).toBe(
      'resp overdue 25 min',
    );
  });

  it('paused says so and why, with the business time that will be left', () => {
    const t = ticket(
      created,
      { pauses: [{ from: '2026-12-08T10:00:00.000Z', to: null, reason: 'awaiting-vendor' }] },
      'on-hold',
    );
    const now = '2026-12-09T15:00:00.000Z';
    expect(text(t, cfg, now, 'Europe/London')).toMatchObject({
      text: 'Response paused (awaiting vendor) · 3 h business time left · 25% elapsed',
      state: 'paused',
    });
    expect(text(t, cfg, now, 'Europe/London', 'short')?.text).toBe(
      'resp paused (awaiting vendor) · 3 h left',
    );
    expect(isBreachingSoon(shownSlaClock(t, ms(now), cfg)!.reading)).toBe(false);
  });

  it('breached, then paused: overdue, and paused', () => {
    const t = ticket(
      created,
      { pauses: [{ from: '2026-12-08T14:00:00.000Z', to: null, reason: 'awaiting-caller' }] },
      'on-hold',
    );
    expect(text(t, cfg, '2026-12-09T12:00:00.000Z', 'Europe/London', 'short')?.text).toBe(
      'resp overdue 1 h · paused (awaiting caller)',
    );
  });

  it('no running clock, no text', () => {
    const t = {
      ...ticket(created, { respondedAt: '2026-12-08T09:10:00.000Z' }, 'resolved'),
      sla: {
        respondedAt: '2026-12-08T09:10:00.000Z',
        resolvedAt: '2026-12-08T10:00:00.000Z',
        pauses: [],
      },
    };
    expect(text(t, cfg, '2026-12-08T11:00:00.000Z', 'Europe/London')).toBeNull();
  });

  it('across the spring DST change the due time is the wall clock of each zone', () => {
    // Berlin office, Friday 27 March 2026 15:00 CET; 4 h target: 2 h on Friday, 2 h on Monday,
    // after clocks went forward on Sunday 29 March (CEST, UTC+2).
    const berlin = config('Europe/Berlin', 4 * HOUR, 40 * 9 * HOUR);
    const t = ticket('2026-03-27T14:00:00.000Z');
    const now = '2026-03-27T16:00:00.000Z'; // Friday 17:00 CET, closing
    const shown = shownSlaClock(t, ms(now), berlin)!;
    expect(shown.reading.dueAt).toBe('2026-03-30T08:00:00.000Z');
    expect(formatSla(shown, { now: ms(now), zone: 'Europe/Berlin', variant: 'short' }).text).toBe(
      'resp 2 h left · due Mon 10:00',
    );
    expect(formatSla(shown, { now: ms(now), zone: 'UTC', variant: 'short' }).text).toBe(
      'resp 2 h left · due Mon 08:00',
    );
    // London went forward the same night: Monday 09:00 BST.
    expect(formatSla(shown, { now: ms(now), zone: 'Europe/London', variant: 'short' }).text).toBe(
      'resp 2 h left · due Mon 09:00',
    );
    // New York had gone forward three weeks before: Monday 04:00 EDT.
    expect(
      formatSla(shown, { now: ms(now), zone: 'America/New_York', variant: 'short' }).text,
    ).toBe('resp 2 h left · due Mon 04:00');
  });
});

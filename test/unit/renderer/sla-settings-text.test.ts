import { describe, expect, it } from 'vitest';
import {
  halfDaysFromText,
  halfDaysToText,
  holidaysFromText,
  holidaysToText,
  listFromText,
  regionFromText,
  regionToText,
  weekFromText,
  weekToText,
  workingDaysFromText,
  workingDaysToText,
} from '../../../renderer/src/features/sla/sla-settings-text';
import { validateCalendar, type BusinessCalendar } from '../../../shared/domain';

describe('the SLA settings page’s text fields', () => {
  const cal: BusinessCalendar & { kind: 'weekly' } = {
    kind: 'weekly',
    id: 'berlin',
    name: 'Berlin office',
    zone: 'Europe/Berlin',
    week: {
      mon: [
        { start: '08:00', end: '12:00' },
        { start: '13:00', end: '17:00' },
      ],
      fri: [{ start: '08:00', end: '14:00' }],
    },
    holidays: [
      { date: '2027-06-04', name: 'Office move' },
      { date: '07-01', name: 'Desk day' },
    ],
    publicHolidays: { country: 'DE', region: 'BE' },
    halfDays: [{ date: '12-24', name: 'Christmas Eve', closesAt: '12:00' }],
    workingDays: [
      { date: '2027-06-05', name: 'Migration Saturday', hours: [{ start: '09:00', end: '13:00' }] },
    ],
  };

  it('round-trip a calendar, which stays valid', () => {
    const back = {
      ...cal,
      week: weekFromText(weekToText(cal.week)),
      holidays: holidaysFromText(holidaysToText(cal.holidays)),
      publicHolidays: regionFromText(regionToText(cal.publicHolidays)),
      halfDays: halfDaysFromText(halfDaysToText(cal.halfDays!)),
      workingDays: workingDaysFromText(workingDaysToText(cal.workingDays!)),
    };
    expect(back).toEqual(cal);
    expect(validateCalendar(back).ok).toBe(true);
    expect(weekToText(cal.week)).toBe('mon 08:00-12:00 13:00-17:00\nfri 08:00-14:00');
  });

  it('keep what does not parse, so validation names it', () => {
    const bad = {
      ...cal,
      holidays: holidaysFromText('25/12/2027 Christmas'),
      week: weekFromText('monday 8-6'),
    };
    const v = validateCalendar(bad);
    expect(v.ok).toBe(false);
    if (!v.ok) {
      expect(v.errors).toContain(
        'holiday date "25/12/2027" must be a real date like 2026-12-25 (or 12-25 for every year)',
      );
      expect(v.errors).toContain('week has unknown days monday; use mon … sun');
    }
    expect(regionFromText(' us/ny ')).toEqual({ country: 'US', region: 'NY' });
    expect(regionFromText('')).toBeNull();
    expect(listFromText(' group:network, ,group:desktop ')).toEqual([
      'group:network',
      'group:desktop',
    ]);
  });
});

/**
 * The SLA settings page's text fields: lists of days and names as lines a person can type and
 * read ("2026-12-24 Office closed", "12-24 12:00 Christmas Eve", "mon 08:00-18:00"), to and from
 * the calendar data. Lines that do not parse are kept as they are, so the shared validation
 * (sla-config.ts) names what is wrong with them.
 */
import {
  WEEKDAYS,
  type ExtraWorkingDay,
  type HalfDay,
  type Holiday,
  type WeeklyCalendar,
  type WorkingHours,
} from '../../../../shared/domain';

const lines = (text: string) =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length > 0);

/** "2026-12-25 Christmas" lines. */
export const holidaysToText = (hs: readonly Holiday[]): string =>
  hs.map((h) => `${h.date} ${h.name}`).join('\n');
export const holidaysFromText = (text: string): Holiday[] =>
  lines(text).map((l) => {
    const [date = '', ...name] = l.split(/\s+/);
    return { date, name: name.join(' ') || date };
  });

/** "12-24 12:00 Christmas Eve" lines. */
export const halfDaysToText = (hs: readonly HalfDay[]): string =>
  hs.map((h) => `${h.date} ${h.closesAt} ${h.name}`).join('\n');
export const halfDaysFromText = (text: string): HalfDay[] =>
  lines(text).map((l) => {
    const [date = '', closesAt = '', ...name] = l.split(/\s+/);
    return { date, closesAt, name: name.join(' ') || date };
  });

/** "2027-06-05 09:00-13:00 Migration Saturday" lines (one or more spans, then the name). */
export const workingDaysToText = (ws: readonly ExtraWorkingDay[]): string =>
  ws
    .map((w) => `${w.date} ${w.hours.map((h) => `${h.start}-${h.end}`).join(' ')} ${w.name}`)
    .join('\n');
export const workingDaysFromText = (text: string): ExtraWorkingDay[] =>
  lines(text).map((l) => {
    const [date = '', ...rest] = l.split(/\s+/);
    const spans = rest.filter((x) => /^\d{2}:\d{2}-\d{2}:\d{2}$/.test(x));
    const name = rest.filter((x) => !spans.includes(x)).join(' ');
    return {
      date,
      name: name || date,
      hours: spans.map((s) => {
        const [start = '', end = ''] = s.split('-');
        return { start, end };
      }),
    };
  });

/** "mon 08:00-12:00 13:00-18:00" lines, one per working weekday. */
export const weekToText = (week: WeeklyCalendar['week']): string =>
  WEEKDAYS.filter((d) => (week[d]?.length ?? 0) > 0)
    .map((d) => `${d} ${(week[d] ?? []).map((h) => `${h.start}-${h.end}`).join(' ')}`)
    .join('\n');
export const weekFromText = (text: string): Record<string, WorkingHours[]> => {
  const out: Record<string, WorkingHours[]> = {};
  for (const l of lines(text)) {
    const [day = '', ...spans] = l.split(/\s+/);
    out[day.toLowerCase()] = spans.map((s) => {
      const [start = '', end = ''] = s.split('-');
      return { start, end };
    });
  }
  return out;
};

/** "GB/ENG" for the public holidays of a country and region. */
export const regionToText = (ph: WeeklyCalendar['publicHolidays']): string =>
  ph ? (ph.region ? `${ph.country}/${ph.region}` : ph.country) : '';
export const regionFromText = (text: string): WeeklyCalendar['publicHolidays'] => {
  const t = text.trim().toUpperCase();
  if (t === '') return null;
  const [country = '', region] = t.split('/');
  return region ? { country, region } : { country };
};

/** "a, b, c" lists. */
export const listToText = (xs: readonly string[] | undefined): string => (xs ?? []).join(', ');
export const listFromText = (text: string): string[] =>
  text
    .split(',')
    .map((x) => x.trim())
    .filter((x) => x.length > 0);

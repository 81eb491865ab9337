/**
 * Public holidays of a country or region for any year, from the `date-holidays` library (rules,
 * not tables: Easter, substitute days and moved bank holidays come out right for every year).
 * Only the library's `public` days count as days off; observances, optional days and the bank
 * half days some countries list are left to the desk's own half days (calendar-check.ts). Pure JS
 * with no DOM or Node imports, cached per region and year.
 */
import Holidays from 'date-holidays';
import type { Holiday, PublicHolidays } from './calendar-check';

const engines = new Map<string, Holidays | null>();
const years = new Map<string, readonly Holiday[]>();

function engineFor(source: PublicHolidays): Holidays | null {
  const key = `${source.country}/${source.region ?? ''}`;
  let hd = engines.get(key);
  if (hd === undefined) {
    const made = new Holidays();
    const opts = { languages: ['en'], types: ['public' as const] };
    if (source.region) made.init(source.country, source.region, opts);
    else made.init(source.country, opts);
    hd = made.getCountries()[source.country] !== undefined && hasRegion(made, source) ? made : null;
    engines.set(key, hd);
  }
  return hd;
}

function hasRegion(hd: Holidays, source: PublicHolidays): boolean {
  if (!source.region) return true;
  return hd.getStates(source.country)?.[source.region] !== undefined;
}

/** True if the library knows the country (and region) of `source`. */
export function isKnownHolidayRegion(source: PublicHolidays): boolean {
  return engineFor(source) !== null;
}

/**
 * The public holidays of `source` in `year`, one entry a date (`YYYY-MM-DD`, local), in date
 * order. Throws for a country or region the library does not know, so a calendar naming one is
 * caught when it is compiled rather than silently counting every holiday as a working day.
 */
export function publicHolidaysIn(source: PublicHolidays, year: number): readonly Holiday[] {
  const key = `${source.country}/${source.region ?? ''}/${year}`;
  const hit = years.get(key);
  if (hit) return hit;
  const hd = engineFor(source);
  if (!hd)
    throw new Error(
      `No public holidays known for ${source.country}${source.region ? `/${source.region}` : ''}`,
    );
  const seen = new Set<string>();
  const out: Holiday[] = [];
  for (const h of hd.getHolidays(year, 'en')) {
    if (h.type !== 'public') continue;
    const date = h.date.slice(0, 10);
    if (seen.has(date)) continue;
    seen.add(date);
    out.push({ date, name: h.name });
  }
  out.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  years.set(key, out);
  return out;
}

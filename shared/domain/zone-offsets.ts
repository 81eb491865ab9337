/**
 * UTC offsets of IANA time zones as runs of constant offset, found with luxon and cached per zone
 * and UTC year. Asking Intl for one offset costs several microseconds; SLA clocks over a whole
 * queue ask about the same few years again and again, so each year is probed once.
 */
import { IANAZone } from 'luxon';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
// Offsets are probed weekly and each change is then located to the second. Two changes less than
// a week apart would hide each other; the closest pairs in the tz database's current rules (the
// Ramadan suspensions of summer time in Morocco and Palestine) are about a month apart.
const PROBE_STEP = 7 * 24 * 60 * MINUTE;

/** From `at` (epoch ms) on, the zone is `offsetMs` ahead of UTC (negative west of Greenwich). */
export type OffsetChange = { readonly at: number; readonly offsetMs: number };

/** A run of constant offset that covers an instant: `offsetMs` holds until `until` (exclusive). */
export type OffsetRun = { readonly offsetMs: number; readonly until: number };

const years = new Map<string, Map<number, readonly OffsetChange[]>>();

function probe(zone: IANAZone, at: number): number {
  // luxon reports minutes, with historic local-mean-time offsets in fractions of a minute.
  return Math.round(zone.offset(at) * MINUTE);
}

function yearChanges(zoneName: string, year: number): readonly OffsetChange[] {
  let byYear = years.get(zoneName);
  if (!byYear) years.set(zoneName, (byYear = new Map<number, readonly OffsetChange[]>()));
  const cached = byYear.get(year);
  if (cached) return cached;
  const zone = IANAZone.create(zoneName);
  const start = Date.UTC(year, 0, 1);
  const last = Date.UTC(year + 1, 0, 1) - SECOND;
  const changes: OffsetChange[] = [{ at: start, offsetMs: probe(zone, start) }];
  let lo = start;
  let loOffset = changes[0]!.offsetMs;
  while (lo < last) {
    const hi = Math.min(lo + PROBE_STEP, last);
    const hiOffset = probe(zone, hi);
    if (hiOffset !== loOffset) {
      // Binary search, to the second, for the first instant with the new offset.
      let a = lo;
      let b = hi;
      while (b - a > SECOND) {
        const mid = a + Math.floor((b - a) / (2 * SECOND)) * SECOND;
        if (probe(zone, mid) === loOffset) a = mid;
        else b = mid;
      }
      changes.push({ at: b, offsetMs: hiOffset });
    }
    lo = hi;
    loOffset = hiOffset;
  }
  byYear.set(year, changes);
  return changes;
}

/** The offset of `zone` at instant `at`, and until when it holds (at the latest, New Year UTC). */
export function offsetRun(zone: string, at: number): OffsetRun {
  const year = new Date(at).getUTCFullYear();
  const changes = yearChanges(zone, year);
  let i = 0;
  while (i + 1 < changes.length && changes[i + 1]!.at <= at) i++;
  const next = changes[i + 1];
  return { offsetMs: changes[i]!.offsetMs, until: next ? next.at : Date.UTC(year + 1, 0, 1) };
}

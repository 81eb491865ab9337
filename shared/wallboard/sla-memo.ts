/**
 * A memo of SLA readings for a wallboard that refreshes often: a ticket's reading is reused until
 * the ticket changes (tickets are replaced, never mutated, so the object is the key) or until it
 * may cross its next threshold. Statuses change only at thresholds; countdowns are derived from
 * `dueAt` at display time. Pure.
 */
import {
  evaluateSla,
  DEFAULT_SLA_CONFIG,
  type SlaClockReading,
  type SlaConfig,
  type Ticket,
  type TicketSla,
} from '../domain';

const THRESHOLDS = [0.5, 0.75, 1] as const;

/**
 * The earliest wall-clock instant after `now` at which `r` could reach its next threshold:
 * business time never runs faster than the wall clock, so the business ms still missing are a
 * lower bound in wall ms. Infinity when the clock cannot cross anything more without a change to
 * the ticket (stopped, paused or already breached).
 */
export function earliestNextCrossing(r: SlaClockReading, now: number): number {
  if (r.stopped || r.paused || r.targetMs <= 0) return Infinity;
  for (const f of THRESHOLDS) {
    const missing = f * r.targetMs - r.elapsedMs;
    if (missing > 0) return now + missing;
  }
  return Infinity;
}

type Entry = { readonly sla: TicketSla | null; readonly from: number; readonly until: number };

/** Reuses SLA readings between threshold crossings. */
export class SlaMemo {
  private memo = new WeakMap<Ticket, Entry>();
  /** Readings computed (not reused) since creation, for benchmarks. */
  computed = 0;

  constructor(private readonly config: SlaConfig = DEFAULT_SLA_CONFIG) {}

  /** A reader of readings at `now`, for `computeWallboard`'s `slaOf`. */
  at(now: number): (t: Ticket) => TicketSla | null {
    return (t) => {
      const hit = this.memo.get(t);
      if (hit && now >= hit.from && now < hit.until) return hit.sla;
      this.computed += 1;
      const sla = evaluateSla(t, now, this.config);
      const until = sla
        ? Math.min(
            earliestNextCrossing(sla.response, now),
            earliestNextCrossing(sla.resolution, now),
          )
        : Infinity;
      this.memo.set(t, { sla, from: now, until });
      return sla;
    };
  }

  /** Forgets every reading (e.g. after the SLA configuration changed). */
  clear(): void {
    this.memo = new WeakMap();
  }
}

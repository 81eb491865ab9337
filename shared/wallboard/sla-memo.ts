/**
 * A memo of SLA readings for a wallboard that refreshes often: a ticket's reading is reused until
 * the ticket changes (tickets are replaced, never mutated, so the object is the key) or until it
 * may cross its next threshold. Statuses change only at thresholds; countdowns are derived from
 * `dueAt` at display time. Pure.
 */
import {
  evaluateSla,
  type SlaClockReading,
  type SlaConfig,
  type Ticket,
  type TicketSla,
} from '../domain';

/**
 * The earliest wall-clock instant after `now` at which `r` could reach its next threshold:
 * business time never runs faster than the wall clock, so the business ms still missing are a
 * lower bound in wall ms. Infinity when the clock cannot cross anything more without a change to
 * the ticket (stopped, paused or already breached).
 */
export function earliestNextCrossing(r: SlaClockReading, now: number): number {
  if (r.stopped || r.targetMs <= 0) return Infinity;
  // A capped pause ends by itself: the reading is good until then.
  if (r.paused) return r.pausedUntil === null ? Infinity : Date.parse(r.pausedUntil);
  for (const pct of [r.warnings.warning, r.warnings.atRisk, 100]) {
    // Compared as the engine compares (elapsed * 100 against target * percent), and rounded down
    // a millisecond: a policy's percentages are not exact binary fractions as 50 and 75 are.
    const missing100 = pct * r.targetMs - 100 * r.elapsedMs;
    if (missing100 > 0) return now + Math.max(0, Math.floor(missing100 / 100) - 1);
  }
  return Infinity;
}

type Entry = { readonly sla: TicketSla | null; readonly from: number; readonly until: number };

/** Reuses SLA readings between threshold crossings. */
export class SlaMemo {
  private memo = new WeakMap<Ticket, Entry>();
  /** Readings computed (not reused) since creation, for benchmarks. */
  computed = 0;

  /** `config`: the desk's SLA configuration (a memo holds one; make a new memo when it changes). */
  constructor(private readonly config: SlaConfig) {}

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

/**
 * The tickets a wallboard refresh can learn anything from, kept current change by change, so an
 * incremental update walks thousands of tickets instead of the whole replica. A ticket matters if
 * it is open, has a parent (child counts of major incidents), or was created or resolved at or
 * after the cutoff `min(start of today, now - 60 min)`: every tile of `computeWallboard` ignores
 * the rest. The cutoff only moves forward, so a ticket left out stays irrelevant until it changes
 * (and a change is applied here). Pure.
 */
import { isDoneState, type Ticket } from '../domain';
import { FLOW_WINDOWS_MS } from './metrics';

/** The earliest instant any tile looks at, for a board computed at `now`. */
export function wallboardCutoff(now: number, dayStartMs: number): number {
  return Math.min(dayStartMs, now - FLOW_WINDOWS_MS.last60m);
}

/** Whether `t` can count on a board whose cutoff is `cutoffMs`. */
export function mattersToWallboard(t: Ticket, cutoffMs: number): boolean {
  if (!isDoneState(t.kind, t.state) || t.parentNumber !== null) return true;
  if (Date.parse(t.createdAt) >= cutoffMs) return true;
  return t.sla.resolvedAt !== null && Date.parse(t.sla.resolvedAt) >= cutoffMs;
}

/** The relevant tickets of a replica, by number. */
export class WallboardSubset {
  private readonly byNumber = new Map<string, Ticket>();
  private list: Ticket[] | null = null;

  /** Replaces the content from every ticket of the replica. */
  load(all: Iterable<Ticket>, cutoffMs: number): void {
    this.byNumber.clear();
    for (const t of all) if (mattersToWallboard(t, cutoffMs)) this.byNumber.set(t.number, t);
    this.list = null;
  }

  /** Applies one change: a new or updated ticket, or the number of a removed one. */
  apply(change: Ticket | { readonly removed: string }, cutoffMs: number): void {
    if ('removed' in change) this.byNumber.delete(change.removed);
    else if (mattersToWallboard(change, cutoffMs)) this.byNumber.set(change.number, change);
    else this.byNumber.delete(change.number);
    this.list = null;
  }

  /** How many tickets are kept. */
  get size(): number {
    return this.byNumber.size;
  }

  /** The kept tickets (an array reused until the next change). */
  tickets(): readonly Ticket[] {
    this.list ??= [...this.byNumber.values()];
    return this.list;
  }
}

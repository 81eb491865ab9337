/**
 * An in-memory index of the replica's tickets that answers every queue view (filter, sort,
 * count) without touching storage: a view's sorted rows are computed once and then kept current
 * by binary-search insert/remove as tickets change. Pure; the renderer feeds it the change
 * stream of its RxDB collection.
 */
import type { Ticket } from '../domain';
import {
  compareTickets,
  compileFilter,
  dependsOnTime,
  haystackOf,
  queryWords,
  reachesAt,
  type FilterAccel,
  type QueueContext,
  type QueueView,
} from './filter';

/** A new or updated ticket, or the number of a removed one. */
export type TicketChange = Ticket | { readonly removed: string };

/** The number of the ticket a change is about. */
const changedNumber = (c: TicketChange): string => ('removed' in c ? c.removed : c.number);

/** How long a clock-dependent view (breaching soon) is reused before it is computed again. */
export const TIME_VIEW_TTL_MS = 30_000;

type Cached = {
  readonly matches: (t: Ticket) => boolean;
  readonly cmp: (a: Ticket, b: Ticket) => number;
  rows: Ticket[];
  /**
   * Batched changes not merged into `rows` yet (merged when the view is next read, so a view read
   * once per render takes many pulled batches in one merge): new versions that match, and the
   * numbers of tickets whose version in `rows` is out of date.
   */
  pending: Ticket[];
  readonly stale: Set<string>;
  readonly computedAt: number;
  readonly timed: boolean;
  /** The view's key without its free text, and the text's words (for narrowing searches). */
  readonly baseKey: string;
  readonly words: readonly string[];
};

/** Below this many changes, a batch is applied change by change. */
const MERGE_BATCH = 32;

/**
 * `a` and `b`, each sorted by `cmp`, as one sorted array (`a`'s element first among equals).
 * `b` is a batch of changes and `a` a whole view: each element of `b` finds its place in `a` by
 * binary search, and the runs of `a` between are copied without comparing them, so a batch of k
 * into n costs k·log n comparisons instead of n (at 100,000 tickets, comparing each of the view's
 * rows for each pulled batch of 1,000 made the queue most of a cold sync's time).
 */
function merge(a: readonly Ticket[], b: readonly Ticket[], cmp: (x: Ticket, y: Ticket) => number) {
  const out: Ticket[] = new Array<Ticket>(a.length + b.length);
  let i = 0;
  let k = 0;
  for (const t of b) {
    const end = upperBound(a, t, cmp, i);
    while (i < end) out[k++] = a[i++]!;
    out[k++] = t;
  }
  while (i < a.length) out[k++] = a[i++]!;
  return out;
}

/** The first index at or after `from` whose row sorts after `t`. */
function upperBound(
  rows: readonly Ticket[],
  t: Ticket,
  cmp: (a: Ticket, b: Ticket) => number,
  from: number,
) {
  let lo = from;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cmp(rows[mid]!, t) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function lowerBound(rows: readonly Ticket[], t: Ticket, cmp: (a: Ticket, b: Ticket) => number) {
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cmp(rows[mid]!, t) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** `v` with its pending changes merged into its rows. */
function flush(v: Cached): Cached {
  if (v.stale.size > 0) {
    v.rows = v.rows.filter((t) => !v.stale.has(t.number));
    v.stale.clear();
  }
  if (v.pending.length > 0) {
    v.rows = merge(v.rows, v.pending.sort(v.cmp), v.cmp);
    v.pending = [];
  }
  return v;
}

/** The index. */
export class QueueIndex {
  private readonly tickets = new Map<string, Ticket>();
  private readonly views = new Map<string, Cached>();
  private version = 0;
  private allCache: Ticket[] | null = null;
  private allVersion = -1;
  // Tickets are replaced, never mutated, on change: memos keyed by the object stay correct.
  private readonly hay = new WeakMap<Ticket, string>();
  private slaAt = new WeakMap<Ticket, [number | null, number | null]>();
  /** The SLA configuration the memo and the cached views were computed with. */
  private sla: QueueContext['sla'] = null;
  private readonly accel: FilterAccel = {
    haystack: (t) => {
      let h = this.hay.get(t);
      if (h === undefined) this.hay.set(t, (h = haystackOf(t)));
      return h;
    },
    reaches: (t, threshold) => {
      let v = this.slaAt.get(t);
      if (v === undefined)
        this.slaAt.set(t, (v = [reachesAt(t, 75, this.sla), reachesAt(t, 100, this.sla)]));
      return threshold === 75 ? v[0] : v[1];
    },
  };

  /** Number of tickets held. */
  get size(): number {
    return this.tickets.size;
  }

  /** Increases on every change (for consumers that re-render on change). */
  get changeVersion(): number {
    return this.version;
  }

  /** Replaces the whole content (first load). */
  load(tickets: Iterable<Ticket>): void {
    this.tickets.clear();
    for (const t of tickets) this.tickets.set(t.number, t);
    this.views.clear();
    this.version += 1;
  }

  /** One ticket.  */
  get(number: string): Ticket | undefined {
    return this.tickets.get(number);
  }

  /** Every ticket, as one array (rebuilt after a change; do not modify). */
  all(): readonly Ticket[] {
    if (this.allCache === null || this.allVersion !== this.version) {
      this.allCache = [...this.tickets.values()];
      this.allVersion = this.version;
    }
    return this.allCache;
  }

  /** Every ticket matching `pred`, in no particular order (a scan; for small answers). */
  filterAll(pred: (t: Ticket) => boolean): readonly Ticket[] {
    const out: Ticket[] = [];
    for (const t of this.tickets.values()) if (pred(t)) out.push(t);
    return out;
  }

  /** Applies one change: a new or updated ticket, or the number of a removed one. */
  apply(change: TicketChange): void {
    const number = changedNumber(change);
    const before = this.tickets.get(number);
    const after = 'removed' in change ? undefined : change;
    if (after) this.tickets.set(number, after);
    else this.tickets.delete(number);
    for (const v of this.views.values()) {
      flush(v);
      if (before && v.matches(before)) {
        const i = lowerBound(v.rows, before, v.cmp);
        if (v.rows[i]?.number === number) v.rows.splice(i, 1);
      }
      if (after && v.matches(after)) v.rows.splice(lowerBound(v.rows, after, v.cmp), 0, after);
    }
    this.version += 1;
  }

  /**
   * Applies a batch of changes in order (the last change to a ticket wins). Cached views take
   * them when next read, in one pass each (drop the changed tickets, merge in their new
   * versions) instead of one array insertion per change, which made a 100,000-ticket pull
   * quadratic; and a view read once per render merges every batch since in one go.
   */
  applyMany(changes: readonly TicketChange[]): void {
    if (changes.length < MERGE_BATCH) {
      for (const c of changes) this.apply(c);
      return;
    }
    const latest = new Map<string, Ticket | null>();
    /** The versions held before this batch, of the tickets it changes. */
    const previous: Ticket[] = [];
    for (const c of changes) {
      const number = changedNumber(c);
      if (!latest.has(number)) {
        const before = this.tickets.get(number);
        if (before) previous.push(before);
      }
      latest.set(number, 'removed' in c ? null : c);
    }
    for (const [number, t] of latest)
      if (t) this.tickets.set(number, t);
      else this.tickets.delete(number);
    const incoming: Ticket[] = [];
    for (const t of latest.values()) if (t) incoming.push(t);
    for (const v of this.views.values()) {
      const gone = new Set(previous.filter(v.matches).map((t) => t.number));
      if (gone.size > 0) {
        for (const n of gone) v.stale.add(n);
        if (v.pending.length > 0) v.pending = v.pending.filter((t) => !gone.has(t.number));
      }
      for (const t of incoming) if (v.matches(t)) v.pending.push(t);
    }
    this.version += 1;
  }

  /** The view's rows in order (a live array: do not modify; re-read after a change). */
  rows(view: QueueView, ctx: QueueContext): readonly Ticket[] {
    return this.cached(view, ctx).rows;
  }

  /** How many tickets the view shows. */
  count(view: QueueView, ctx: QueueContext): number {
    return this.cached(view, ctx).rows.length;
  }

  private cached(view: QueueView, ctx: QueueContext): Cached {
    if (ctx.sla !== this.sla) {
      // A new SLA configuration moves every due time: nothing SLA-based is reused.
      this.sla = ctx.sla;
      this.slaAt = new WeakMap();
      for (const [key, v] of this.views) if (v.timed) this.views.delete(key);
    }
    const key = JSON.stringify([view.filter, view.sort, ctx.me, ctx.groupIds]);
    const hit = this.views.get(key);
    if (hit && (!hit.timed || ctx.now - hit.computedAt < TIME_VIEW_TTL_MS)) return flush(hit);
    const matches = compileFilter(view.filter, ctx, this.accel);
    const cmp = compareTickets(view.sort);
    const timed = dependsOnTime(view.filter);
    const { text: _text, ...rest } = view.filter;
    const baseKey = JSON.stringify([rest, view.sort, ctx.me, ctx.groupIds]);
    const words = queryWords(view.filter.text);
    // Typing narrows a search: the rows of a cached view that differs only by text whose words
    // each lie inside one of the new words already hold every match, in order.
    const base = timed ? undefined : this.narrowingBase(baseKey, words);
    let rows: Ticket[];
    if (base) rows = flush(base).rows.filter(matches);
    else {
      rows = [];
      for (const t of this.tickets.values()) if (matches(t)) rows.push(t);
      rows.sort(cmp);
    }
    const entry: Cached = {
      matches,
      cmp,
      rows,
      pending: [],
      stale: new Set(),
      computedAt: ctx.now,
      timed,
      baseKey,
      words,
    };
    this.views.set(key, entry);
    if (this.views.size > 64) this.views.delete(this.views.keys().next().value!);
    return entry;
  }

  /** The smallest cached view whose matches include every match of `words` on `baseKey`. */
  private narrowingBase(baseKey: string, words: readonly string[]): Cached | undefined {
    let best: Cached | undefined;
    for (const v of this.views.values()) {
      if (v.baseKey !== baseKey || v.timed) continue;
      if (!v.words.every((w) => words.some((n) => n.includes(w)))) continue;
      if (!best || v.rows.length < best.rows.length) best = v;
    }
    return best;
  }
}

/**
 * A view's first rows from only the most recently updated tickets (`newest`, newest first), for
 * showing a queue before its index has loaded. For a view sorted newest-first, the tickets of
 * `newest` that match are exactly the view's first rows (everything older sorts after them);
 * views in any other order get nothing, since their first rows could be anywhere. `newest` must
 * be every ticket updated after some time (see `NewestTickets`).
 */
export function rowsFromNewest(
  newest: readonly Ticket[],
  view: QueueView,
  ctx: QueueContext,
): readonly Ticket[] {
  if (view.sort.field !== 'updatedAt' || view.sort.dir !== 'desc') return [];
  return newest.filter(compileFilter(view.filter, ctx)).sort(compareTickets(view.sort));
}

/** The most recently updated tickets: every ticket updated after `after` (every one when null). */
export type NewestTickets = { readonly tickets: readonly Ticket[]; readonly after: string | null };

/**
 * `newest` with one incoming change applied, so a queue shown from it stays live while the index
 * loads: a ticket updated after `after` is (re)placed, an older one or a removed one leaves.
 */
export function applyToNewest(newest: NewestTickets, change: TicketChange): NewestTickets {
  const number = changedNumber(change);
  const rest = newest.tickets.filter((t) => t.number !== number);
  if ('removed' in change || (newest.after !== null && change.updatedAt <= newest.after))
    return rest.length === newest.tickets.length ? newest : { after: newest.after, tickets: rest };
  return { after: newest.after, tickets: [change, ...rest] };
}

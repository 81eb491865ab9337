/**
 * The queue filter model: one definition of "which tickets, in what order" shared by the
 * agents' queues and the supervisors' wallboard drill-downs, so they never disagree. Pure.
 */
import {
  evaluateSla,
  isBreachingSoon,
  isDoneState,
  slaCrossings,
  slaStops,
  type SlaConfig,
  type Ticket,
  type TicketKind,
} from '../domain';

/** Who is looking: the signed-in agent and their assignment groups. */
export type QueueContext = {
  readonly me: string;
  readonly groupIds: readonly string[];
  /** Now, in ms (SLA-based filters depend on it). */
  readonly now: number;
  /** The desk's SLA configuration (null until it has loaded: no ticket has an SLA then). */
  readonly sla: SlaConfig | null;
};

/** Which tickets a queue shows. Every field narrows; an absent field does not filter. */
export type QueueFilter = {
  readonly kinds?: readonly TicketKind[];
  /** Only tickets that are not resolved/closed/cancelled (or only those that are). */
  readonly open?: boolean;
  readonly states?: readonly string[];
  readonly priorities?: readonly number[];
  /** Group ids; `'mine'` stands for the viewer's groups. */
  readonly groups?: readonly string[] | 'mine';
  /** Assignee names; `'me'` and `'unassigned'` are understood. */
  readonly assignees?: readonly string[];
  /**
   * `breaching-soon`: a running clock (neither stopped nor paused now) at or past its policy's
   * at-risk warning (75% by default), breached included (`isBreachingSoon`). `breached`: a clock
   * past its target that has not stopped, running or paused since (the wallboard's Breached).
   * `at-risk`: breaching soon and not breached (the wallboard's At risk).
   */
  readonly sla?: 'breaching-soon' | 'breached' | 'at-risk';
  readonly categories?: readonly string[];
  /** Words that must all appear in number, title or description (case-insensitive). */
  readonly text?: string;
};

/** Sortable columns. */
export const SORT_FIELDS = [
  'updatedAt',
  'createdAt',
  'priority',
  'number',
  'title',
  'state',
  'assigneeId',
  'groupId',
] as const;
/** A sortable column. */
export type SortField = (typeof SORT_FIELDS)[number];
/** A queue's order. */
export type QueueSort = { readonly field: SortField; readonly dir: 'asc' | 'desc' };

/** A named queue. */
export type QueueView = {
  readonly id: string;
  readonly name: string;
  readonly filter: QueueFilter;
  readonly sort: QueueSort;
};

/** The built-in views every agent has. */
export const BUILT_IN_VIEWS: readonly QueueView[] = [
  {
    id: 'my-work',
    name: 'My work',
    filter: { open: true, assignees: ['me'] },
    sort: { field: 'priority', dir: 'asc' },
  },
  {
    id: 'my-groups',
    name: 'My groups',
    filter: { open: true, groups: 'mine' },
    sort: { field: 'priority', dir: 'asc' },
  },
  {
    id: 'unassigned',
    name: 'Unassigned',
    filter: { open: true, groups: 'mine', assignees: ['unassigned'] },
    sort: { field: 'createdAt', dir: 'asc' },
  },
  {
    id: 'breaching-soon',
    name: 'Breaching soon',
    filter: { open: true, sla: 'breaching-soon' },
    sort: { field: 'priority', dir: 'asc' },
  },
  {
    id: 'recent',
    name: 'Recently updated',
    filter: {},
    sort: { field: 'updatedAt', dir: 'desc' },
  },
  {
    id: 'all-open',
    name: 'All open',
    filter: { open: true },
    sort: { field: 'updatedAt', dir: 'desc' },
  },
];

/** True if the filter's result depends on the clock (it must be re-run as time passes). */
export function dependsOnTime(f: QueueFilter): boolean {
  return f.sla !== undefined;
}

/** Lower-cased words of a free-text query. */
export function queryWords(text: string | undefined): readonly string[] {
  return (text ?? '')
    .toLowerCase()
    .split(/\s+/)
    .filter((w) => w.length > 0);
}

/** Per-ticket values a filter needs that are costly to derive; an index memoizes them. */
export type FilterAccel = {
  /** Lower-cased number, title and description. */
  readonly haystack: (t: Ticket) => string;
  /** When a running clock reaches `threshold`% of its target (null: it does not). */
  readonly reaches: (t: Ticket, threshold: 75 | 100) => number | null;
};

/** Lower-cased searchable text of a ticket (an imported ticket's source number included). */
export function haystackOf(t: Ticket): string {
  const ref = typeof t.imported?.number === 'string' ? ` ${t.imported.number}` : '';
  return `${t.number}${ref} ${t.title} ${t.description}`.toLowerCase();
}

/** The earliest instant a still-running clock of `t` reaches `threshold`% (null: none does). */
export function reachesAt(t: Ticket, threshold: 75 | 100, config: SlaConfig | null): number | null {
  if (config === null) return null;
  const stops = slaStops(t, config);
  if (stops === null) return null;
  let best: number | null = null;
  for (const c of slaCrossings(t, 0, Number.MAX_SAFE_INTEGER, config)) {
    // 75 asks for the policy's at-risk warning, 100 for the breach.
    if (c.level !== (threshold === 75 ? 'at-risk' : 'breach')) continue;
    // Only clocks still running (a policy's response may be a reply, not the first move).
    const stopped = stops[c.clock];
    if (stopped !== null) continue;
    const at = Date.parse(c.at);
    if (best === null || at < best) best = at;
  }
  return best;
}

/**
 * True if a clock of `t` that has reached its at-risk warning runs at `ctx.now` (is not paused).
 * Only a ticket with a pause covering now can have a paused clock; the others need no reading.
 */
function runningAtRisk(t: Ticket, ctx: QueueContext): boolean {
  const iso = new Date(ctx.now).toISOString();
  const covered = t.sla.pauses.some((p) => p.from <= iso && (p.to === null || p.to > iso));
  if (!covered || ctx.sla === null) return true;
  const sla = evaluateSla(t, ctx.now, ctx.sla);
  return sla !== null && (isBreachingSoon(sla.response) || isBreachingSoon(sla.resolution));
}

/** A predicate for `filter` in `ctx`, compiled once for a scan over many tickets. */
export function compileFilter(
  f: QueueFilter,
  ctx: QueueContext,
  accel: FilterAccel = {
    haystack: haystackOf,
    reaches: (t, threshold) => reachesAt(t, threshold, ctx.sla),
  },
): (t: Ticket) => boolean {
  const kinds = f.kinds && new Set<string>(f.kinds);
  const states = f.states && new Set(f.states);
  const priorities = f.priorities && new Set(f.priorities);
  const groups = f.groups && new Set(f.groups === 'mine' ? ctx.groupIds : f.groups);
  const assignees = f.assignees && new Set(f.assignees.map((a) => (a === 'me' ? ctx.me : a)));
  const unassigned = assignees?.has('unassigned') ?? false;
  const categories = f.categories && new Set(f.categories);
  const words = queryWords(f.text);
  return (t) => {
    if (kinds && !kinds.has(t.kind)) return false;
    if (f.open !== undefined && isDoneState(t.kind, t.state) === f.open) return false;
    if (states && !states.has(t.state)) return false;
    if (priorities && !priorities.has(t.priority)) return false;
    if (groups && !groups.has(t.groupId)) return false;
    if (assignees && !(t.assigneeId === null ? unassigned : assignees.has(t.assigneeId)))
      return false;
    if (categories && !categories.has(t.category)) return false;
    if (words.length > 0) {
      const hay = accel.haystack(t);
      if (!words.every((w) => hay.includes(w))) return false;
    }
    if (f.sla) {
      const at = accel.reaches(t, f.sla === 'breached' ? 100 : 75);
      if (at === null || at > ctx.now) return false;
      if (f.sla === 'breaching-soon' && !runningAtRisk(t, ctx)) return false;
      if (f.sla === 'at-risk') {
        const breachedAt = accel.reaches(t, 100);
        if ((breachedAt !== null && breachedAt <= ctx.now) || !runningAtRisk(t, ctx)) return false;
      }
    }
    return true;
  };
}

/** A total order for `sort` (ties broken by number, so every device shows the same order). */
export function compareTickets(sort: QueueSort): (a: Ticket, b: Ticket) => number {
  const sign = sort.dir === 'asc' ? 1 : -1;
  const f = sort.field;
  return (a, b) => {
    const x = a[f] ?? '';
    const y = b[f] ?? '';
    if (x < y) return -sign;
    if (x > y) return sign;
    return a.number < b.number ? -1 : a.number > b.number ? 1 : 0;
  };
}

/** Checks a saved view from storage or an import; returns a clear reason when it is invalid. */
export function validateView(
  v: unknown,
): { ok: true; view: QueueView } | { ok: false; error: string } {
  if (typeof v !== 'object' || v === null) return { ok: false, error: 'A view must be an object.' };
  const o = v as Record<string, unknown>;
  if (typeof o.id !== 'string' || !/^[a-z0-9-]{1,60}$/.test(o.id))
    return { ok: false, error: 'A view needs an id of lower-case letters, digits and dashes.' };
  if (typeof o.name !== 'string' || o.name.trim() === '' || o.name.length > 80)
    return { ok: false, error: 'A view needs a name of at most 80 characters.' };
  const s = o.sort as Record<string, unknown> | undefined;
  if (
    !s ||
    !(SORT_FIELDS as readonly unknown[]).includes(s.field) ||
    (s.dir !== 'asc' && s.dir !== 'desc')
  )
    return {
      ok: false,
      error: `Sort by one of ${SORT_FIELDS.join(', ')}, ascending or descending.`,
    };
  const f = o.filter;
  if (typeof f !== 'object' || f === null) return { ok: false, error: 'A view needs a filter.' };
  const fo = f as Record<string, unknown>;
  const lists = ['kinds', 'states', 'priorities', 'assignees', 'categories'] as const;
  for (const k of lists)
    if (fo[k] !== undefined && !Array.isArray(fo[k]))
      return { ok: false, error: `Filter ${k} must be a list.` };
  if (fo.groups !== undefined && fo.groups !== 'mine' && !Array.isArray(fo.groups))
    return { ok: false, error: 'Filter groups must be a list or "mine".' };
  if (fo.text !== undefined && (typeof fo.text !== 'string' || fo.text.length > 200))
    return { ok: false, error: 'Filter text must be at most 200 characters.' };
  if (fo.open !== undefined && typeof fo.open !== 'boolean')
    return { ok: false, error: 'Filter open must be true or false.' };
  if (
    fo.sla !== undefined &&
    fo.sla !== 'breaching-soon' &&
    fo.sla !== 'breached' &&
    fo.sla !== 'at-risk'
  )
    return { ok: false, error: 'Filter sla must be "breaching-soon", "breached" or "at-risk".' };
  return { ok: true, view: v as QueueView };
}

/**
 * Three-way, field-level merge of two versions of a ticket against the version both started
 * from. A field changed on one side only takes that side; changed on both, the later edit wins
 * (ties broken by value, so every device picks the same) and the loser is reported as a
 * conflict. Links and SLA pauses merge by union. The result is the same whichever side is
 * "local": merging is deterministic and symmetric.
 */
import { priorityOf, type Level } from './priority';
import { pathBetween } from './state-machine';
import type { SlaRunningRecord, Ticket, TicketLink } from './ticket';

/** One field both sides changed differently. */
export type FieldConflict = {
  readonly field: string;
  readonly base: unknown;
  readonly local: unknown;
  readonly remote: unknown;
  readonly kept: 'local' | 'remote';
  readonly lostValue: unknown;
};

/** The merged ticket and what was lost on the way. */
export type MergeResult = { readonly merged: Ticket; readonly conflicts: readonly FieldConflict[] };

/** Stable JSON (sorted keys) for comparing and tie-breaking values. */
export function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (typeof v === 'object' && v !== null) {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

const same = (a: unknown, b: unknown): boolean => stableJson(a) === stableJson(b);

// Fields merged one by one. State, on-hold reason and resolution move together so a merge never
// produces "resolved without a resolution".
const SIMPLE_FIELDS = [
  'title',
  'description',
  'requesterId',
  'ciId',
  'category',
  'impact',
  'urgency',
  'groupId',
  'assigneeId',
  'parentNumber',
] as const;

/** Kind-specific detail objects, merged key by key (a dispatcher's new site address and a
 * technician's field status on the same work order both survive). */
const NESTED_FIELDS = ['change', 'problem', 'request', 'workorder'] as const;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

type Side = 'local' | 'remote';

function laterSide(local: Ticket, remote: Ticket, lv: unknown, rv: unknown): Side {
  if (local.updatedAt !== remote.updatedAt)
    return local.updatedAt > remote.updatedAt ? 'local' : 'remote';
  return stableJson(lv) >= stableJson(rv) ? 'local' : 'remote';
}

function unionBy<T>(a: readonly T[], b: readonly T[], key: (t: T) => string): T[] {
  const seen = new Map<string, T>();
  for (const item of [...a, ...b]) if (!seen.has(key(item))) seen.set(key(item), item);
  return [...seen.entries()].sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)).map(([, v]) => v);
}

/** Merges `local` and `remote` against `base` (null when unknown: every difference conflicts). */
export function mergeTicket(base: Ticket | null, local: Ticket, remote: Ticket): MergeResult {
  const conflicts: FieldConflict[] = [];
  const out: Record<string, unknown> = { ...remote };

  const pick = (
    field: string,
    b: unknown,
    l: unknown,
    r: unknown,
    veto: (side: Side) => boolean = () => false,
  ): unknown => {
    if (same(l, r)) return r;
    if (base !== null && same(b, l)) return r;
    if (base !== null && same(b, r)) return l;
    let side = laterSide(local, remote, l, r);
    const other: Side = side === 'local' ? 'remote' : 'local';
    if (veto(side) && !veto(other)) side = other;
    conflicts.push({
      field,
      base: b,
      local: l,
      remote: r,
      kept: side,
      lostValue: side === 'local' ? r : l,
    });
    return side === 'local' ? l : r;
  };

  for (const f of SIMPLE_FIELDS) {
    const v = pick(f, base?.[f], local[f], remote[f]);
    if (v === undefined) delete out[f];
    else out[f] = v;
  }
  for (const f of NESTED_FIELDS) {
    const l: unknown = local[f];
    const r: unknown = remote[f];
    const b: unknown = base?.[f];
    if (!isPlainObject(l) || !isPlainObject(r)) {
      const v = pick(f, b, l, r);
      if (v === undefined) delete out[f];
      else out[f] = v;
      continue;
    }
    const merged: Record<string, unknown> = {};
    for (const k of [...new Set([...Object.keys(l), ...Object.keys(r)])].sort()) {
      const v = pick(`${f}.${k}`, isPlainObject(b) ? b[k] : undefined, l[k], r[k]);
      if (v !== undefined) merged[k] = v;
    }
    out[f] = merged;
  }
  const stateOf = (t: Ticket | null) =>
    t ? { state: t.state, onHoldReason: t.onHoldReason, resolution: t.resolution } : undefined;
  // Both sides moved the ticket: a side's state wins only if the other side's state may reach it
  // by valid moves (when exactly one direction is possible), so the merged document passes the
  // state machine the server enforces. The rule depends on the pair only, so the merge stays symmetric.
  const unreachable = (side: Side): boolean => {
    const [to, from] = side === 'local' ? [local, remote] : [remote, local];
    return (
      to.state !== from.state &&
      pathBetween(to.kind, from.state, to.state, to.resolution !== null) === null
    );
  };
  const state = pick(
    'state',
    stateOf(base),
    stateOf(local),
    stateOf(remote),
    unreachable,
  ) as ReturnType<typeof stateOf>;
  if (state) Object.assign(out, state);

  const links = unionBy<TicketLink>(local.links, remote.links, (l) => `${l.kind}:${l.id}`);
  const pauses = unionBy(local.sla.pauses, remote.sla.pauses, (p) => p.from).map((p) => {
    const closed = [...local.sla.pauses, ...remote.sla.pauses].find(
      (q) => q.from === p.from && q.to !== null,
    );
    return closed ?? p;
  });
  const earliest = (a: string | null, b: string | null): string | null =>
    a === null ? b : b === null ? a : a < b ? a : b;
  const winnerState = (state?.state ?? remote.state) === local.state ? local : remote;
  out.links = links;
  out.sla = {
    respondedAt: earliest(local.sla.respondedAt, remote.sla.respondedAt),
    resolvedAt: winnerState.sla.resolvedAt,
    pauses,
    ...firsts(local, remote, earliest),
    ...mergedRecord(local, remote, priorityOf(out.impact as Level, out.urgency as Level)),
  };
  const newer =
    local.updatedAt > remote.updatedAt ||
    (local.updatedAt === remote.updatedAt && local.updatedBy > remote.updatedBy)
      ? local
      : remote;
  out.updatedAt = newer.updatedAt;
  out.updatedBy = newer.updatedBy;
  const merged = out as unknown as Ticket;
  return { merged: { ...merged, priority: priorityOf(merged.impact, merged.urgency) }, conflicts };
}

/**
 * The running SLA record of a merge (sla-records.ts): the side's record whose policy is for the
 * merged priority, else the later one (start, then id). The same whichever side is local; a
 * record that no longer fits is replaced by the next write on any device.
 */
function mergedRecord(
  local: Ticket,
  remote: Ticket,
  priority: number,
): { record?: SlaRunningRecord | null } {
  const a = local.sla.record ?? null;
  const b = remote.sla.record ?? null;
  if (a === null && b === null)
    return local.sla.record === undefined && remote.sla.record === undefined
      ? {}
      : { record: null };
  if (a === null || b === null) return { record: a ?? b };
  const fits = (r: SlaRunningRecord) => r.policy.priority === priority;
  if (fits(a) !== fits(b)) return { record: fits(a) ? a : b };
  if (a.startedAt !== b.startedAt) return { record: a.startedAt > b.startedAt ? a : b };
  if (a.id !== b.id) return { record: a.id > b.id ? a : b };
  return { record: stableJson(a) >= stableJson(b) ? a : b };
}

/** The first reply and first assignment of a merge: the earlier of the two sides'. */
function firsts(
  local: Ticket,
  remote: Ticket,
  earliest: (a: string | null, b: string | null) => string | null,
): { firstReplyAt?: string | null; firstAssignedAt?: string | null } {
  const out: { firstReplyAt?: string | null; firstAssignedAt?: string | null } = {};
  for (const f of ['firstReplyAt', 'firstAssignedAt'] as const) {
    const a = local.sla[f];
    const b = remote.sla[f];
    if (a !== undefined || b !== undefined) out[f] = earliest(a ?? null, b ?? null);
  }
  return out;
}

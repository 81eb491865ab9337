/**
 * The audit trail of a ticket edit: which fields and which state changed, as activity entries
 * (`field-change`, `state-change`) written by the device that made the change. Pure.
 */
import type { Ticket } from './ticket';
import { slaCrossings, type SlaConfig } from './sla';

/** One audit entry to write: its type, a readable line and the typed details. */
export type AuditChange = {
  readonly type: 'field-change' | 'state-change';
  readonly body: string;
  /** When the change was made, if not at the edit's own time (a state move of several). */
  readonly at?: string;
  readonly data: Readonly<Record<string, unknown>>;
};

const AUDITED = [
  ['title', 'Title'],
  ['description', 'Description'],
  ['requesterId', 'Requester'],
  ['ciId', 'Configuration item'],
  ['category', 'Category'],
  ['impact', 'Impact'],
  ['urgency', 'Urgency'],
  ['priority', 'Priority'],
  ['groupId', 'Assignment group'],
  ['assigneeId', 'Assignee'],
  ['parentNumber', 'Parent'],
] as const satisfies readonly (readonly [keyof Ticket, string])[];

const MAX_VALUE = 300;

function shown(v: unknown): string {
  if (v === null || v === undefined || v === '') return '—';
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return s.length > 80 ? `${s.slice(0, 79)}…` : s;
}

function kept(v: unknown): unknown {
  return typeof v === 'string' && v.length > MAX_VALUE ? `${v.slice(0, MAX_VALUE - 1)}…` : v;
}

/** The `state-change` entry of one move, `before` → `after`, at the time `after` was made. */
function stateStep(before: Ticket, after: Ticket): AuditChange {
  const detail =
    after.onHoldReason && after.onHoldReason !== before.onHoldReason
      ? ` (${after.onHoldReason.replace('-', ' ')})`
      : after.resolution && !before.resolution
        ? ` (${after.resolution.code})`
        : '';
  return {
    type: 'state-change',
    body: `State: ${before.state} → ${after.state}${detail}`,
    at: after.updatedAt,
    data: {
      from: before.state,
      to: after.state,
      ...(after.onHoldReason ? { onHoldReason: after.onHoldReason } : {}),
      ...(after.resolution ? { resolutionCode: after.resolution.code } : {}),
    },
  };
}

/**
 * The audit entries for a change from `before` to `after` (empty when nothing audited moved).
 * `via` are the versions between them when one change made several state moves (a work order's
 * "work done" from assigned starts and completes it): each move gets its own entry.
 */
export function auditChanges(
  before: Ticket,
  after: Ticket,
  via: readonly Ticket[] = [],
): AuditChange[] {
  const out: AuditChange[] = [];
  const versions = [before, ...via, after];
  for (let i = 1; i < versions.length; i++) {
    const a = versions[i - 1]!;
    const b = versions[i]!;
    if (a.state !== b.state) out.push(stateStep(a, b));
  }
  for (const [field, label] of AUDITED) {
    const a = before[field];
    const b = after[field];
    if (a === b) continue;
    out.push({
      type: 'field-change',
      body: `${label}: ${shown(a)} → ${shown(b)}`,
      data: { field, from: kept(a), to: kept(b) },
    });
  }
  for (const [k, label] of [
    ['fieldStatus', 'Field status'],
    ['site', 'Site'],
    ['scheduledFor', 'Scheduled for'],
    ['contactId', 'Site contact'],
  ] as const) {
    const fa = before.workorder?.[k] ?? null;
    const fb = after.workorder?.[k] ?? null;
    if (fa !== fb)
      out.push({
        type: 'field-change',
        body: `${label}: ${shown(fa)} → ${shown(fb)}`,
        data: { field: `workorder.${k}`, from: fa, to: fb },
      });
  }
  const links = (t: Ticket) => t.links.map((l) => `${l.kind}:${l.id}`).sort();
  const la = links(before);
  const lb = links(after);
  if (la.join() !== lb.join()) {
    const added = lb.filter((x) => !la.includes(x));
    const removed = la.filter((x) => !lb.includes(x));
    out.push({
      type: 'field-change',
      body: [
        added.length > 0 ? `Linked ${added.join(', ')}` : '',
        removed.length > 0 ? `Unlinked ${removed.join(', ')}` : '',
      ]
        .filter(Boolean)
        .join('; '),
      data: { field: 'links', added, removed },
    });
  }
  return out;
}

/** An SLA event for the activity stream, derived from the SLA engine (never stored). */
export type SlaEvent = { readonly at: string; readonly body: string };

const CLOCK_LABEL = { response: 'Response', resolution: 'Resolution' } as const;

/** The SLA thresholds `ticket` has crossed up to `now`, as activity-stream events. */
export function slaActivityEvents(ticket: Ticket, now: number, config: SlaConfig): SlaEvent[] {
  return slaCrossings(ticket, Number.NEGATIVE_INFINITY, now, config).map((c) => ({
    at: c.at,
    body:
      c.level === 'breach'
        ? `${CLOCK_LABEL[c.clock]} target breached`
        : `${CLOCK_LABEL[c.clock]} target ${c.threshold}% used`,
  }));
}

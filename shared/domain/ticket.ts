/**
 * The ticket document: common fields of every kind, validation with readable messages, creation
 * with derived fields filled in, and field updates that keep the derived fields true.
 */
import {
  checkIso,
  checkNullableString,
  checkOneOf,
  checkString,
  isRecord,
  type Problems,
} from './check';
import { isTicketKind, TICKET_KINDS, type TicketKind } from './kinds';
import { isLevel, priorityOf, type Level, type Priority } from './priority';
import { initialState, isStateOf } from './state-machine';
import type { SlaPolicy } from './sla';
import type { BusinessCalendar } from './calendar-check';

/** Why a ticket waits. */
export const ON_HOLD_REASONS = [
  'awaiting-caller',
  'awaiting-vendor',
  'awaiting-change',
  'awaiting-problem',
  // ServiceNow's "Awaiting Evidence" (imported desks).
  'awaiting-evidence',
] as const;
/** One on-hold reason. */
export type OnHoldReason = (typeof ON_HOLD_REASONS)[number];

/**
 * The SLA record a ticket's clocks currently run under (sla-records.ts): the policy as it was
 * when the record started (so a later policy change applies to new records only), the version of
 * the SLA configuration it came from, and the instant its clocks count from.
 */
export type SlaRunningRecord = {
  readonly id: string;
  readonly startedAt: string;
  readonly configVersion: number;
  readonly policy: SlaPolicy;
  /**
   * The calendar as it was when the ticket was resolved: a stopped record no longer follows
   * calendar changes, so its outcome never moves. Dropped again when the ticket reopens.
   */
  readonly calendar?: BusinessCalendar;
};

/** What the SLA engine needs to know about a ticket's history. */
export type SlaClock = {
  readonly respondedAt: string | null;
  readonly resolvedAt: string | null;
  /**
   * Paused spans; `reason` is the on-hold reason or paused state (awaiting-approval), or
   * `resolved` for the time a reopened ticket spent resolved. Pauses written before reasons were
   * kept have none, and pause both clocks.
   */
  readonly pauses: readonly {
    readonly from: string;
    readonly to: string | null;
    readonly reason?: string;
  }[];
  /** Absent on tickets from before SLA records: their clocks follow the current policy. */
  readonly record?: SlaRunningRecord | null;
  /** The first reply to the requester (a policy may define response as this). */
  readonly firstReplyAt?: string | null;
  /** The first assignment to a person (a policy may define response as this). */
  readonly firstAssignedAt?: string | null;
};

/** A link from a ticket to a CI, knowledge article or another ticket. */
export type TicketLink = { readonly kind: 'ci' | 'kb' | 'ticket'; readonly id: string };

/** A ticket of any kind. */
export type Ticket = {
  readonly number: string;
  readonly kind: TicketKind;
  readonly schemaVersion: 1;
  readonly title: string;
  readonly description: string;
  readonly requesterId: string;
  readonly ciId: string | null;
  readonly category: string;
  readonly impact: Level;
  readonly urgency: Level;
  readonly priority: Priority;
  readonly groupId: string;
  readonly assigneeId: string | null;
  readonly state: string;
  readonly onHoldReason: OnHoldReason | null;
  readonly resolution: { readonly code: string; readonly notes: string } | null;
  readonly parentNumber: string | null;
  readonly links: readonly TicketLink[];
  readonly sla: SlaClock;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly updatedAt: string;
  readonly updatedBy: string;
  /** Set on tickets imported from another tool: where from and the source's own number. */
  readonly imported?: {
    readonly source: string;
    readonly number: string;
    readonly [field: string]: unknown;
  };
  readonly change?: {
    readonly type: 'standard' | 'normal' | 'emergency';
    readonly risk: 'low' | 'medium' | 'high';
    readonly plannedStart: string | null;
    readonly plannedEnd: string | null;
  };
  readonly problem?: {
    readonly knownError: boolean;
    readonly rootCause: string;
    readonly workaround: string;
  };
  readonly request?: {
    readonly catalogItemId: string;
    readonly approval: 'pending' | 'approved' | 'rejected' | 'not-required';
  };
  readonly workorder?: {
    readonly fieldStatus: 'scheduled' | 'travelling' | 'on-site' | 'work-done' | 'needs-follow-up';
    readonly site: string;
    readonly contactId: string | null;
    readonly scheduledFor: string | null;
    /** What the technician must (required) or may do on site, in order. */
    readonly checklist?: readonly {
      readonly id: string;
      readonly label: string;
      readonly required: boolean;
    }[];
  };
};

/** What a person types to create a ticket; everything else is derived. */
export type NewTicketInput = {
  readonly kind: TicketKind;
  readonly title: string;
  readonly description: string;
  readonly requesterId: string;
  readonly ciId: string | null;
  readonly category: string;
  readonly impact: Level;
  readonly urgency: Level;
  readonly groupId: string;
  readonly assigneeId: string | null;
  readonly parentNumber?: string | null;
  /** Kind-specific details (a request's catalog item, a change's type and risk). */
  readonly request?: Ticket['request'];
  readonly change?: Ticket['change'];
};

/** Fields a person may edit directly (state moves go through transitions). */
export type EditableField =
  | 'title'
  | 'description'
  | 'requesterId'
  | 'ciId'
  | 'category'
  | 'impact'
  | 'urgency'
  | 'groupId'
  | 'assigneeId'
  | 'parentNumber'
  | 'links';

/** Result of a validation. */
export type Validated<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly errors: readonly string[] };

/** Context of a change: who and when. */
export type ChangeContext = { readonly now: string; readonly actor: string };

const NUMBER_RE = /^(INC|REQ|PRB|CHG|WO)-[0-9A-HJKMNP-TV-Z]{12}$/;

/** Validates any value as a ticket, with messages a person can act on. */
export function validateTicket(doc: unknown): Validated<Ticket> {
  const p: Problems = [];
  if (!isRecord(doc)) return { ok: false, errors: ['ticket must be an object'] };
  const d = doc;
  if (typeof d.number !== 'string' || !NUMBER_RE.test(d.number))
    p.push('number must look like INC-1B2C3D4E5F6G');
  if (!isTicketKind(d.kind)) {
    p.push(`kind must be one of ${TICKET_KINDS.join(', ')}`);
    return { ok: false, errors: p };
  }
  if (typeof d.number === 'string' && !d.number.startsWith(prefixOf(d.kind) + '-'))
    p.push(`number must start with ${prefixOf(d.kind)}-`);
  if (d.schemaVersion !== 1) p.push('schemaVersion must be 1');
  checkString(p, d.title, 'title', 1, 200);
  if (typeof d.description !== 'string') p.push('description must be text');
  else if (d.description.length > 20000) p.push('description must be at most 20000 characters');
  checkString(p, d.requesterId, 'requester', 1, 200);
  checkNullableString(p, d.ciId, 'configuration item', 200);
  checkString(p, d.category, 'category', 1, 80);
  if (!isLevel(d.impact)) p.push('impact must be 1, 2 or 3');
  if (!isLevel(d.urgency)) p.push('urgency must be 1, 2 or 3');
  if (isLevel(d.impact) && isLevel(d.urgency) && d.priority !== priorityOf(d.impact, d.urgency)) {
    p.push('priority must be derived from impact and urgency');
  }
  checkString(p, d.groupId, 'assignment group', 1, 200);
  checkNullableString(p, d.assigneeId, 'assignee', 200);
  if (typeof d.state !== 'string' || !isStateOf(d.kind, d.state))
    p.push(`state "${String(d.state)}" is not a state of a ${d.kind}`);
  if (d.onHoldReason !== null) checkOneOf(p, d.onHoldReason, 'on-hold reason', ON_HOLD_REASONS);
  if (d.state === 'on-hold' && d.onHoldReason === null)
    p.push('an on-hold ticket needs an on-hold reason');
  if (d.resolution !== null) {
    if (!isRecord(d.resolution)) p.push('resolution must have a code and notes');
    else {
      checkString(p, d.resolution.code, 'resolution code', 1, 80);
      checkString(p, d.resolution.notes, 'resolution notes', 1, 5000);
    }
  }
  if (d.state === 'resolved' && d.resolution === null)
    p.push('a resolved ticket needs a resolution code and notes');
  checkNullableString(p, d.parentNumber, 'parent', 40);
  if (!Array.isArray(d.links)) p.push('links must be a list');
  else if (
    d.links.some(
      (l) =>
        !isRecord(l) ||
        !['ci', 'kb', 'ticket'].includes(String(l.kind)) ||
        typeof l.id !== 'string',
    )
  ) {
    p.push('each link needs a kind (ci, kb, ticket) and an id');
  }
  if (!isRecord(d.sla) || !Array.isArray(d.sla.pauses)) p.push('sla clock is missing');
  else {
    if (d.sla.respondedAt !== null) checkIso(p, d.sla.respondedAt, 'sla.respondedAt');
    if (d.sla.resolvedAt !== null) checkIso(p, d.sla.resolvedAt, 'sla.resolvedAt');
    for (const pause of d.sla.pauses as unknown[]) {
      if (!isRecord(pause)) p.push('each SLA pause needs from/to');
      else {
        checkIso(p, pause.from, 'sla pause start');
        if (pause.to !== null) checkIso(p, pause.to, 'sla pause end');
        if (
          pause.reason !== undefined &&
          (typeof pause.reason !== 'string' || pause.reason.length > 40)
        )
          p.push('an SLA pause reason must be short text');
      }
    }
    for (const f of ['firstReplyAt', 'firstAssignedAt'] as const)
      if (d.sla[f] !== undefined && d.sla[f] !== null) checkIso(p, d.sla[f], `sla.${f}`);
    const rec = d.sla.record;
    if (rec !== undefined && rec !== null) {
      if (
        !isRecord(rec) ||
        typeof rec.id !== 'string' ||
        rec.id.length > 80 ||
        typeof rec.configVersion !== 'number' ||
        !isRecord(rec.policy) ||
        typeof rec.policy.id !== 'string'
      )
        p.push('the SLA record needs an id, a configuration version and its policy');
      else checkIso(p, rec.startedAt, 'SLA record start');
    }
  }
  checkIso(p, d.createdAt, 'createdAt');
  checkIso(p, d.updatedAt, 'updatedAt');
  checkString(p, d.createdBy, 'createdBy', 1, 200);
  checkString(p, d.updatedBy, 'updatedBy', 1, 200);
  return p.length > 0 ? { ok: false, errors: p } : { ok: true, value: doc as unknown as Ticket };
}

function prefixOf(kind: TicketKind): string {
  return kind === 'incident'
    ? 'INC'
    : kind === 'request'
      ? 'REQ'
      : kind === 'problem'
        ? 'PRB'
        : kind === 'change'
          ? 'CHG'
          : 'WO';
}

/** Creates a ticket in its kind's initial state with derived fields filled in. */
export function createTicket(
  input: NewTicketInput,
  ctx: ChangeContext & { readonly number: string },
): Validated<Ticket> {
  const ticket = {
    number: ctx.number,
    kind: input.kind,
    schemaVersion: 1 as const,
    title: typeof input.title === 'string' ? input.title.trim() : input.title,
    description: input.description,
    requesterId: input.requesterId,
    ciId: input.ciId,
    category: input.category,
    impact: input.impact,
    urgency: input.urgency,
    priority:
      isLevel(input.impact) && isLevel(input.urgency) ? priorityOf(input.impact, input.urgency) : 3,
    groupId: input.groupId,
    assigneeId: input.assigneeId,
    state: isTicketKind(input.kind) ? initialState(input.kind) : 'new',
    onHoldReason: null,
    resolution: null,
    parentNumber: input.parentNumber ?? null,
    links: [],
    ...(input.kind === 'request' && input.request ? { request: input.request } : {}),
    ...(input.kind === 'change' && input.change ? { change: input.change } : {}),
    sla: {
      respondedAt: null,
      resolvedAt: null,
      pauses: [],
      ...(typeof input.assigneeId === 'string' ? { firstAssignedAt: ctx.now } : {}),
    },
    createdAt: ctx.now,
    createdBy: ctx.actor,
    updatedAt: ctx.now,
    updatedBy: ctx.actor,
  };
  return validateTicket(ticket);
}

/** Applies a field edit, re-deriving priority and stamping who and when. */
export function updateFields(
  ticket: Ticket,
  patch: Partial<Pick<Ticket, EditableField>>,
  ctx: ChangeContext,
): Validated<Ticket> {
  const assigned =
    typeof patch.assigneeId === 'string' &&
    ticket.assigneeId === null &&
    !ticket.sla.firstAssignedAt;
  const next = {
    ...ticket,
    ...patch,
    ...(assigned ? { sla: { ...ticket.sla, firstAssignedAt: ctx.now } } : {}),
    updatedAt: ctx.now,
    updatedBy: ctx.actor,
  };
  const derived =
    isLevel(next.impact) && isLevel(next.urgency)
      ? { ...next, priority: priorityOf(next.impact, next.urgency) }
      : next;
  return validateTicket(derived);
}

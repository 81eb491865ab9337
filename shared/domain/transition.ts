/** Moving a ticket through its state machine, with the SLA clock kept in step. */
import {
  isDoneState,
  isPausedState,
  rulesFrom,
  STATE_MACHINES,
  type Requirement,
  type TransitionRule,
} from './state-machine';
import {
  validateTicket,
  type ChangeContext,
  type OnHoldReason,
  type Ticket,
  ON_HOLD_REASONS,
} from './ticket';

/** Inputs a transition may require. */
export type TransitionInput = {
  readonly onHoldReason?: OnHoldReason;
  readonly resolution?: { readonly code: string; readonly notes: string };
};

/** Why a transition was refused. */
export type TransitionError = {
  readonly code: 'not-allowed' | 'missing-input' | 'invalid';
  readonly message: string;
};

/** Result of a transition. */
export type TransitionResult =
  | { readonly ok: true; readonly ticket: Ticket }
  | { readonly ok: false; readonly error: TransitionError };

/** The moves available from the ticket's current state. */
export function allowedTransitions(ticket: Ticket): readonly TransitionRule[] {
  return rulesFrom(ticket.kind, ticket.state);
}

function missing(rule: TransitionRule, input: TransitionInput): Requirement | undefined {
  return rule.requires.find((r) => {
    if (r === 'onHoldReason')
      return !input.onHoldReason || !ON_HOLD_REASONS.includes(input.onHoldReason);
    return !input.resolution || !input.resolution.code.trim() || !input.resolution.notes.trim();
  });
}

/** Moves `ticket` to `to`, or explains why it cannot. */
export function transition(
  ticket: Ticket,
  to: string,
  input: TransitionInput,
  ctx: ChangeContext,
): TransitionResult {
  const rule = allowedTransitions(ticket).find((r) => r.to === to);
  if (!rule) {
    return {
      ok: false,
      error: {
        code: 'not-allowed',
        message: `A ${ticket.kind} cannot move from ${ticket.state} to ${to}.`,
      },
    };
  }
  const need = missing(rule, input);
  if (need) {
    const what = need === 'onHoldReason' ? 'an on-hold reason' : 'a resolution code and notes';
    return { ok: false, error: { code: 'missing-input', message: `${rule.label} needs ${what}.` } };
  }
  const wasPaused = isPausedState(ticket.kind, ticket.state);
  const nowPaused = isPausedState(ticket.kind, to);
  let pauses = ticket.sla.pauses;
  if (wasPaused && !nowPaused)
    pauses = pauses.map((p) => (p.to === null ? { ...p, to: ctx.now } : p));
  if (!wasPaused && nowPaused)
    pauses = [
      ...pauses,
      { from: ctx.now, to: null, reason: to === 'on-hold' ? (input.onHoldReason ?? to) : to },
    ];
  const done = isDoneState(ticket.kind, to);
  const reopened = isDoneState(ticket.kind, ticket.state) && !done;
  // Reopening resumes the resolution clock where it stopped: the time spent resolved is a pause.
  const resolvedAt = ticket.sla.resolvedAt;
  if (reopened && resolvedAt !== null && Date.parse(resolvedAt) < Date.parse(ctx.now))
    pauses = [...pauses, { from: resolvedAt, to: ctx.now, reason: 'resolved' }];
  const sla = {
    // The running SLA record, first reply and first assignment ride along (sla-records.ts).
    ...ticket.sla,
    respondedAt:
      ticket.sla.respondedAt ?? (to !== STATE_MACHINES[ticket.kind].initial ? ctx.now : null),
    resolvedAt: reopened ? null : done ? (ticket.sla.resolvedAt ?? ctx.now) : ticket.sla.resolvedAt,
    pauses,
  };
  const next: Ticket = {
    ...ticket,
    state: to,
    onHoldReason: nowPaused && to === 'on-hold' ? (input.onHoldReason ?? null) : null,
    resolution: rule.requires.includes('resolution')
      ? (input.resolution ?? null)
      : reopened
        ? null
        : ticket.resolution,
    sla,
    updatedAt: ctx.now,
    updatedBy: ctx.actor,
  };
  const checked = validateTicket(next);
  if (!checked.ok)
    return { ok: false, error: { code: 'invalid', message: checked.errors.join('; ') } };
  return { ok: true, ticket: checked.value };
}

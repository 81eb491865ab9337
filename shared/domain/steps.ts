/**
 * The steps of a ticket's state changes as the device recorded them: one `state-change` activity
 * entry per move, with the device's time and the inputs the move required. The server judges
 * each entry as one move of the state machine, and a ticket write by whether its new state is
 * reachable from the server's (`pathBetween`), so several moves made offline and pushed as one
 * document are accepted and each of them stays in the activity. Pure.
 */
import { KIND_PREFIX, TICKET_KINDS, type TicketKind } from './kinds';
import { isStateOf, rulesFrom } from './state-machine';
import { ON_HOLD_REASONS } from './ticket';

/** One recorded move (the `data` of a `state-change` entry, plus its time). */
export type StateStep = {
  readonly from: unknown;
  readonly to: unknown;
  readonly at?: unknown;
  readonly onHoldReason?: unknown;
  readonly resolutionCode?: unknown;
};

/** The kind a ticket number belongs to (by its prefix), or null. */
export function kindOfNumber(ticketNumber: string): TicketKind | null {
  return TICKET_KINDS.find((k) => ticketNumber.startsWith(`${KIND_PREFIX[k]}-`)) ?? null;
}

/** How a step is named in a refusal: "assigned → completed at 2026-…". */
export function stepName(step: StateStep): string {
  const at = typeof step.at === 'string' ? ` at ${step.at}` : '';
  return `${String(step.from)} → ${String(step.to)}${at}`;
}

/** Why `step` is not one valid move of a `kind` ticket with its required inputs, or null. */
export function stepError(kind: TicketKind, step: StateStep): string | null {
  const { from, to } = step;
  if (typeof from !== 'string' || !isStateOf(kind, from))
    return `"${String(from)}" is not a state of a ${kind}.`;
  if (typeof to !== 'string' || !isStateOf(kind, to))
    return `"${String(to)}" is not a state of a ${kind}.`;
  const rule = rulesFrom(kind, from).find((r) => r.to === to);
  if (!rule) return `A ${kind} cannot move from ${from} to ${to}.`;
  for (const need of rule.requires) {
    if (
      need === 'onHoldReason' &&
      !(ON_HOLD_REASONS as readonly unknown[]).includes(step.onHoldReason)
    )
      return `${rule.label} needs an on-hold reason.`;
    if (
      need === 'resolution' &&
      (typeof step.resolutionCode !== 'string' || step.resolutionCode.trim() === '')
    )
      return `${rule.label} needs a resolution code.`;
  }
  return null;
}

/** Verdict on a run of recorded steps. */
export type StepsVerdict =
  { readonly ok: true } | { readonly ok: false; readonly index: number; readonly reason: string };

/**
 * Judges the steps a device made from the server's state `from` to the state it pushed, `to`:
 * each must be one valid move with its inputs, each must start where the previous one ended, and
 * the last must end at `to`. The refusal names the first step that is not.
 */
export function judgeSteps(
  kind: TicketKind,
  from: string,
  steps: readonly StateStep[],
  to: string,
): StepsVerdict {
  let at = from;
  for (const [index, step] of steps.entries()) {
    const problem =
      step.from !== at
        ? `it starts from ${String(step.from)}, but the ticket was ${at}.`
        : stepError(kind, step);
    if (problem)
      return { ok: false, index, reason: `Step ${index + 1} (${stepName(step)}): ${problem}` };
    at = String(step.to);
  }
  if (at !== to)
    return {
      ok: false,
      index: steps.length,
      reason: `The steps end at ${at}, but the ticket says ${to}.`,
    };
  return { ok: true };
}

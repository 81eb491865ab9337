/**
 * One state machine per ticket kind (ITIL-style). Transitions name what they require (an on-hold
 * reason, a resolution) so the UI can ask for it and the server can insist on it.
 */
import type { TicketKind } from './kinds';

/** What a transition needs from the user. */
export type Requirement = 'onHoldReason' | 'resolution';

/** One allowed move from a state. */
export type TransitionRule = {
  readonly from: readonly string[];
  readonly to: string;
  readonly label: string;
  readonly requires: readonly Requirement[];
};

/** The states and transitions of one kind. */
export type StateMachine = {
  readonly initial: string;
  readonly states: readonly string[];
  /** States in which the SLA clock is paused. */
  readonly paused: readonly string[];
  /** States where the work is done (resolution clock stops). */
  readonly done: readonly string[];
  /** States nothing moves out of. */
  readonly final: readonly string[];
  readonly transitions: readonly TransitionRule[];
};

const t = (
  from: readonly string[],
  to: string,
  label: string,
  requires: readonly Requirement[] = [],
): TransitionRule => ({
  from,
  to,
  label,
  requires,
});

/** The state machine of every kind. */
export const STATE_MACHINES = {
  incident: {
    initial: 'new',
    states: ['new', 'in-progress', 'on-hold', 'resolved', 'closed', 'cancelled'],
    paused: ['on-hold'],
    done: ['resolved', 'closed', 'cancelled'],
    final: ['closed', 'cancelled'],
    transitions: [
      t(['new', 'on-hold'], 'in-progress', 'Start work'),
      t(['new', 'in-progress'], 'on-hold', 'Put on hold', ['onHoldReason']),
      t(['new', 'in-progress', 'on-hold'], 'resolved', 'Resolve', ['resolution']),
      t(['resolved'], 'in-progress', 'Reopen'),
      t(['resolved'], 'closed', 'Close'),
      t(['new', 'in-progress', 'on-hold'], 'cancelled', 'Cancel'),
    ],
  },
  request: {
    initial: 'new',
    states: [
      'new',
      'awaiting-approval',
      'approved',
      'rejected',
      'in-progress',
      'on-hold',
      'fulfilled',
      'closed',
      'cancelled',
    ],
    paused: ['on-hold', 'awaiting-approval'],
    done: ['fulfilled', 'closed', 'rejected', 'cancelled'],
    final: ['closed', 'rejected', 'cancelled'],
    transitions: [
      t(['new'], 'awaiting-approval', 'Request approval'),
      t(['awaiting-approval'], 'approved', 'Approve'),
      t(['awaiting-approval'], 'rejected', 'Reject'),
      t(['new', 'approved', 'on-hold'], 'in-progress', 'Start work'),
      t(['in-progress'], 'on-hold', 'Put on hold', ['onHoldReason']),
      t(['in-progress'], 'fulfilled', 'Fulfil'),
      t(['fulfilled'], 'in-progress', 'Reopen'),
      t(['fulfilled'], 'closed', 'Close'),
      t(['new', 'awaiting-approval', 'approved', 'in-progress', 'on-hold'], 'cancelled', 'Cancel'),
    ],
  },
  problem: {
    initial: 'new',
    states: [
      'new',
      'assessment',
      'root-cause-analysis',
      'known-error',
      'resolved',
      'closed',
      'cancelled',
    ],
    paused: [],
    done: ['resolved', 'closed', 'cancelled'],
    final: ['closed', 'cancelled'],
    transitions: [
      t(['new'], 'assessment', 'Assess'),
      t(['assessment'], 'root-cause-analysis', 'Start root cause analysis'),
      t(['root-cause-analysis'], 'known-error', 'Record known error'),
      t(['root-cause-analysis', 'known-error'], 'resolved', 'Resolve', ['resolution']),
      t(['resolved'], 'root-cause-analysis', 'Reopen'),
      t(['resolved'], 'closed', 'Close'),
      t(['new', 'assessment', 'root-cause-analysis', 'known-error'], 'cancelled', 'Cancel'),
    ],
  },
  change: {
    initial: 'new',
    states: [
      'new',
      'assess',
      'authorize',
      'scheduled',
      'implement',
      'review',
      'closed',
      'rejected',
      'cancelled',
    ],
    paused: [],
    done: ['review', 'closed', 'rejected', 'cancelled'],
    final: ['closed', 'rejected', 'cancelled'],
    transitions: [
      t(['new'], 'assess', 'Assess'),
      t(['assess'], 'authorize', 'Request authorization'),
      t(['authorize'], 'scheduled', 'Authorize and schedule'),
      t(['authorize'], 'rejected', 'Reject'),
      t(['scheduled'], 'implement', 'Implement'),
      t(['implement'], 'review', 'Review'),
      t(['review'], 'closed', 'Close'),
      t(['new', 'assess', 'authorize', 'scheduled'], 'cancelled', 'Cancel'),
    ],
  },
  workorder: {
    initial: 'new',
    states: ['new', 'assigned', 'in-progress', 'on-hold', 'completed', 'closed', 'cancelled'],
    paused: ['on-hold'],
    done: ['completed', 'closed', 'cancelled'],
    final: ['closed', 'cancelled'],
    transitions: [
      t(['new'], 'assigned', 'Assign'),
      t(['new', 'assigned', 'on-hold'], 'in-progress', 'Start work'),
      t(['in-progress'], 'on-hold', 'Put on hold', ['onHoldReason']),
      t(['in-progress'], 'completed', 'Complete'),
      t(['completed'], 'in-progress', 'Reopen'),
      t(['completed'], 'closed', 'Close'),
      t(['new', 'assigned', 'in-progress', 'on-hold'], 'cancelled', 'Cancel'),
    ],
  },
} as const satisfies Record<TicketKind, StateMachine>;

/** The initial state of `kind`. */
export function initialState(kind: TicketKind): string {
  return STATE_MACHINES[kind].initial;
}

/** True if `state` is a state of `kind`. */
export function isStateOf(kind: TicketKind, state: string): boolean {
  return (STATE_MACHINES[kind].states as readonly string[]).includes(state);
}

/** The rules that move a `kind` ticket out of `state`. */
export function rulesFrom(kind: TicketKind, state: string): readonly TransitionRule[] {
  return STATE_MACHINES[kind].transitions.filter((r) => r.from.includes(state));
}

/** One move of a path: the rule taken and the states it joins. */
export type PathStep = {
  readonly from: string;
  readonly to: string;
  readonly rule: TransitionRule;
};

/**
 * The shortest run of valid moves that takes a `kind` ticket from `from` to `to` (empty when they
 * are the same state), or null when none does. A move that requires a resolution gives the
 * ticket one and reopening (leaving the done states) takes it away, as `transition` does: a run
 * that would leave the ticket showing a resolution is only allowed when `showsResolution`, so
 * "closed" is reachable from "in-progress" only if the document still carries the resolution
 * the "resolve" move on the way required. Inputs the document no longer shows (an on-hold
 * reason once work resumed, a resolution once reopened) are recorded by each step's activity
 * entry (see `stepError`).
 */
export function pathBetween(
  kind: TicketKind,
  from: string,
  to: string,
  showsResolution: boolean,
): readonly PathStep[] | null {
  const machine: StateMachine = STATE_MACHINES[kind];
  if (!isStateOf(kind, from) || !isStateOf(kind, to)) return null;
  if (from === to) return [];
  type Node = { state: string; held: boolean; path: readonly PathStep[] };
  const seen = new Set<string>([`${from}|false`]);
  let frontier: Node[] = [{ state: from, held: false, path: [] }];
  while (frontier.length > 0) {
    const next: Node[] = [];
    for (const n of frontier) {
      for (const rule of machine.transitions) {
        if (!rule.from.includes(n.state) || rule.to === n.state) continue;
        const reopened = machine.done.includes(n.state) && !machine.done.includes(rule.to);
        const held = rule.requires.includes('resolution') ? true : reopened ? false : n.held;
        const path = [...n.path, { from: n.state, to: rule.to, rule }];
        if (rule.to === to && (!held || showsResolution)) return path;
        const key = `${rule.to}|${String(held)}`;
        if (seen.has(key)) continue;
        seen.add(key);
        next.push({ state: rule.to, held, path });
      }
    }
    frontier = next;
  }
  return null;
}

/** True if the SLA clock is paused in `state`. */
export function isPausedState(kind: TicketKind, state: string): boolean {
  return (STATE_MACHINES[kind].paused as readonly string[]).includes(state);
}

/** True if the work is done in `state` (resolved, fulfilled, completed, closed…). */
export function isDoneState(kind: TicketKind, state: string): boolean {
  return (STATE_MACHINES[kind].done as readonly string[]).includes(state);
}

/** True if `state` is final. */
export function isFinalState(kind: TicketKind, state: string): boolean {
  return (STATE_MACHINES[kind].final as readonly string[]).includes(state);
}

/**
 * What an agent needs to hear about, computed from the local replica (so SLA warnings fire
 * offline too): assignments to them or their groups, requester replies and mentions on their
 * tickets, SLA warnings (75%) and breaches of their tickets; and the counts the tray shows.
 * Pure: the renderer feeds it changes, the main process groups and shows the notifications.
 */
import {
  evaluateSla,
  formatSla,
  isBreachingSoon,
  slaClockShown,
  isDoneState,
  slaCrossings,
  type SlaConfig,
  type Ticket,
} from '../domain';
import type { ActivityEntry } from '../domain';
import type { DeskEvent, TrayCounts } from '../ipc/contract';

/** Who is watching: the signed-in agent and the assignment groups they belong to. */
export type Watcher = { readonly name: string; readonly groupIds: ReadonlySet<string> };

const title = (t: Ticket): string => t.title.slice(0, 200);
const isOpen = (t: Ticket): boolean => !isDoneState(t.kind, t.state);

/** Events caused by a ticket changing from `before` (null: new to this replica) to `after`. */
export function ticketEvents(before: Ticket | null, after: Ticket, me: Watcher): DeskEvent[] {
  if (after.updatedBy === me.name || !isOpen(after)) return [];
  const events: DeskEvent[] = [];
  const base = { ticketNumber: after.number, title: title(after) };
  if (after.assigneeId === me.name && before?.assigneeId !== me.name) {
    events.push({ type: 'assigned-to-me', ...base });
  } else if (
    after.assigneeId === null &&
    me.groupIds.has(after.groupId) &&
    (before === null || before.groupId !== after.groupId || before.assigneeId !== null)
  ) {
    events.push({ type: 'assigned-to-group', group: after.groupId, ...base });
  }
  return events;
}

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Events caused by a new activity entry on `ticket` (replies from the requester, mentions). */
export function activityEvents(
  entry: ActivityEntry,
  ticket: Ticket | null,
  me: Watcher,
): DeskEvent[] {
  if (entry.by === me.name || !ticket) return [];
  const base = { ticketNumber: ticket.number, title: title(ticket) };
  const events: DeskEvent[] = [];
  if (entry.type === 'reply' && ticket.assigneeId === me.name && entry.by === ticket.requesterId) {
    events.push({ type: 'requester-replied', from: entry.by, ...base });
  }
  if (
    entry.type === 'work-note' &&
    new RegExp(`(^|[^\\w@])@${escapeRe(me.name)}(?![\\w-])`, 'i').test(entry.body)
  ) {
    events.push({ type: 'mentioned', by: entry.by, ...base });
  }
  return events;
}

/**
 * SLA warnings (75%) and breaches of my open tickets that happened in (from, to]. With the
 * viewer's time zone, each carries the clock in the SLA formatter's long words at `to`
 * ("Response due Thu 14:00 · 1 h business time left · 75% elapsed").
 */
export function slaEvents(
  tickets: Iterable<Ticket>,
  me: Watcher,
  from: number,
  to: number,
  config: SlaConfig | null,
  zone?: string,
): DeskEvent[] {
  const events: DeskEvent[] = [];
  if (config === null) return events;
  for (const t of tickets) {
    if (t.assigneeId !== me.name || !isOpen(t)) continue;
    for (const c of slaCrossings(t, from, to, config)) {
      if (c.level !== 'at-risk' && c.level !== 'breach') continue;
      const shown = zone === undefined ? null : slaClockShown(t, c.clock, to, config);
      events.push({
        type: c.level === 'at-risk' ? 'sla-warning' : 'sla-breached',
        target: c.clock,
        ticketNumber: t.number,
        title: title(t),
        ...(shown && zone !== undefined
          ? { sla: formatSla(shown, { now: to, zone, variant: 'long' }).text.slice(0, 200) }
          : {}),
      });
    }
  }
  return events;
}

/** The tray's counts at `now`. */
export function trayCounts(
  tickets: Iterable<Ticket>,
  me: Watcher,
  now: number,
  config: SlaConfig | null,
): TrayCounts {
  let myOpen = 0;
  let unassignedInMyGroups = 0;
  let breachingSoon = 0;
  for (const t of tickets) {
    if (!isOpen(t)) continue;
    if (t.assigneeId === null && me.groupIds.has(t.groupId)) unassignedInMyGroups += 1;
    if (t.assigneeId !== me.name) continue;
    myOpen += 1;
    const sla = config && evaluateSla(t, now, config);
    // The queue's Breaching soon, of my tickets: a running (not paused) clock at or past its
    // at-risk warning, breached included.
    if (sla && (isBreachingSoon(sla.response) || isBreachingSoon(sla.resolution)))
      breachingSoon += 1;
  }
  return { myOpen, unassignedInMyGroups, breachingSoon };
}

/**
 * Turns a batch of ticket events into at most a few notifications: one each when there are only a
 * few, one per kind of event when there are more, and a single summary when a sync brings in a
 * flood (500 changes make one toast, not 500). Do Not Disturb shows nothing. Pure.
 */
import type { DeskEvent } from '../../../shared/ipc/contract';
import { assertNever } from '../../../shared/domain/assert-never';

/** One notification to show. */
export type NotificationSpec = {
  readonly title: string;
  readonly body: string;
  /** The ticket to focus when clicked; absent for grouped ones (the console just comes forward). */
  readonly ticketNumber?: string;
  readonly urgency: 'critical' | 'normal' | 'low';
};

/** Grouping limits. */
export type GroupingOptions = {
  readonly doNotDisturb: boolean;
  /** Most notifications for one batch. */
  readonly max?: number;
  /** More distinct events than this make one summary. */
  readonly summaryAbove?: number;
};

/** Default cap per batch. */
export const DEFAULT_MAX_NOTIFICATIONS = 3;
/** Default threshold for a single summary. */
export const DEFAULT_SUMMARY_ABOVE = 12;

type EventType = DeskEvent['type'];

/** Most urgent first. */
const RANK = {
  'sla-breached': 0,
  'sla-warning': 1,
  mentioned: 2,
  'requester-replied': 3,
  'assigned-to-me': 4,
  'assigned-to-group': 5,
} as const satisfies Record<EventType, number>;

const PHRASE = {
  'sla-breached': ['SLA breach', 'SLA breaches'],
  'sla-warning': ['SLA warning', 'SLA warnings'],
  mentioned: ['mention', 'mentions'],
  'requester-replied': ['requester reply', 'requester replies'],
  'assigned-to-me': ['assigned to you', 'assigned to you'],
  'assigned-to-group': ['new in your groups', 'new in your groups'],
} as const satisfies Record<EventType, readonly [string, string]>;

const GROUP_TITLE = {
  'sla-breached': (n: number) => `SLA breached on ${n} tickets`,
  'sla-warning': (n: number) => `${n} tickets at 75% of their SLA`,
  mentioned: (n: number) => `You were mentioned on ${n} tickets`,
  'requester-replied': (n: number) => `${n} requester replies`,
  'assigned-to-me': (n: number) => `${n} tickets assigned to you`,
  'assigned-to-group': (n: number) => `${n} new tickets in your groups`,
} as const satisfies Record<EventType, (n: number) => string>;

const clip = (s: string, n: number): string => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

function urgencyOf(type: EventType): NotificationSpec['urgency'] {
  return type === 'sla-breached' ? 'critical' : type === 'assigned-to-group' ? 'low' : 'normal';
}

/** The notification for a single event. */
export function singleNotification(e: DeskEvent): NotificationSpec {
  const n = e.ticketNumber;
  const body = clip(e.title, 200);
  const base = { ticketNumber: n, urgency: urgencyOf(e.type) };
  switch (e.type) {
    case 'assigned-to-me':
      return { ...base, title: `Assigned to you: ${n}`, body };
    case 'assigned-to-group':
      return { ...base, title: `New in ${clip(e.group, 60)}: ${n}`, body };
    case 'requester-replied':
      return { ...base, title: `${clip(e.from, 60)} replied on ${n}`, body };
    case 'mentioned':
      return { ...base, title: `${clip(e.by, 60)} mentioned you on ${n}`, body };
    case 'sla-warning':
      return {
        ...base,
        title: `SLA at 75%: ${n}`,
        body: `${e.sla ?? `${e.target} target`} · ${body}`,
      };
    case 'sla-breached':
      return {
        ...base,
        title: `SLA breached: ${n}`,
        body: `${e.sla ?? `${e.target} target`} · ${body}`,
      };
    default:
      return assertNever(e);
  }
}

const eventKey = (e: DeskEvent): string =>
  e.type === 'sla-warning' || e.type === 'sla-breached'
    ? `${e.type}|${e.ticketNumber}|${e.target}`
    : `${e.type}|${e.ticketNumber}`;

/** Distinct events, most urgent first; a warning is dropped when the same target also breached. */
export function distinctEvents(events: readonly DeskEvent[]): DeskEvent[] {
  const byKey = new Map<string, DeskEvent>();
  for (const e of events) byKey.set(eventKey(e), e); // the latest wins (newest title)
  return [...byKey.values()]
    .filter(
      (e) => e.type !== 'sla-warning' || !byKey.has(`sla-breached|${e.ticketNumber}|${e.target}`),
    )
    .sort((a, b) => RANK[a.type] - RANK[b.type]);
}

function listNumbers(events: readonly DeskEvent[]): string {
  const shown = events.slice(0, 3).map((e) => e.ticketNumber);
  const more = events.length - shown.length;
  return more > 0 ? `${shown.join(', ')} and ${more} more` : shown.join(', ');
}

function summary(events: readonly DeskEvent[]): NotificationSpec {
  const counts = new Map<EventType, number>();
  for (const e of events) counts.set(e.type, (counts.get(e.type) ?? 0) + 1);
  const parts = [...counts.entries()]
    .sort(([a], [b]) => RANK[a] - RANK[b])
    .map(([type, n]) => `${n} ${PHRASE[type][n === 1 ? 0 : 1]}`);
  return {
    title: `${events.length} updates`,
    body: parts.join(' · '),
    urgency: counts.has('sla-breached') ? 'critical' : 'normal',
  };
}

/** The notifications for one batch, and how many events Do Not Disturb held back. */
export function groupNotifications(
  events: readonly DeskEvent[],
  options: GroupingOptions,
): { readonly notifications: readonly NotificationSpec[]; readonly suppressed: number } {
  const max = Math.max(1, options.max ?? DEFAULT_MAX_NOTIFICATIONS);
  const summaryAbove = options.summaryAbove ?? DEFAULT_SUMMARY_ABOVE;
  const distinct = distinctEvents(events);
  if (options.doNotDisturb) return { notifications: [], suppressed: distinct.length };
  if (distinct.length <= max)
    return { notifications: distinct.map(singleNotification), suppressed: 0 };
  if (distinct.length > summaryAbove) return { notifications: [summary(distinct)], suppressed: 0 };
  const groups = new Map<EventType, DeskEvent[]>();
  for (const e of distinct) groups.set(e.type, [...(groups.get(e.type) ?? []), e]);
  const perType = [...groups.entries()].map(([type, list]): NotificationSpec => {
    const first = list[0];
    if (list.length === 1 && first) return singleNotification(first);
    return {
      title: GROUP_TITLE[type](list.length),
      body: listNumbers(list),
      urgency: urgencyOf(type),
    };
  });
  if (perType.length <= max) return { notifications: perType, suppressed: 0 };
  // Keep the most urgent kinds as they are and fold the rest into one "more" notification.
  const keptTypes = new Set([...groups.keys()].slice(0, max - 1));
  const rest = distinct.filter((e) => !keptTypes.has(e.type));
  return {
    notifications: [
      ...perType.slice(0, max - 1),
      { ...summary(rest), title: `${rest.length} more updates` },
    ],
    suppressed: 0,
  };
}

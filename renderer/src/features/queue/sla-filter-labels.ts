/**
 * The saved-view form's SLA choices, one per value of the queue filter's `sla` (the `Record`
 * makes a new value a type error until it has a label here).
 */
import type { QueueFilter } from '../../../../shared/queue';

export type SlaFilterValue = NonNullable<QueueFilter['sla']>;

/** What each SLA filter value is called in the view editor, in the order it is offered. */
export const SLA_FILTER_LABELS: Readonly<Record<SlaFilterValue, string>> = {
  'breaching-soon': 'Breaching soon (75% or more, breached included)',
  'at-risk': 'At risk (75% or more, not yet breached)',
  breached: 'Breached',
};

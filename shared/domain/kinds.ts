/** Ticket kinds and their number prefixes. */

/** The kinds of ticket the desk handles (ITIL), plus field work orders. */
export const TICKET_KINDS = ['incident', 'request', 'problem', 'change', 'workorder'] as const;
/** One ticket kind. */
export type TicketKind = (typeof TICKET_KINDS)[number];

/** Number prefix per kind. */
export const KIND_PREFIX = {
  incident: 'INC',
  request: 'REQ',
  problem: 'PRB',
  change: 'CHG',
  workorder: 'WO',
} as const satisfies Record<TicketKind, string>;

/** Display names per kind. */
export const KIND_LABELS = {
  incident: 'Incident',
  request: 'Service request',
  problem: 'Problem',
  change: 'Change',
  workorder: 'Work order',
} as const satisfies Record<TicketKind, string>;

/** True if `v` is a ticket kind. */
export function isTicketKind(v: unknown): v is TicketKind {
  return typeof v === 'string' && (TICKET_KINDS as readonly string[]).includes(v);
}

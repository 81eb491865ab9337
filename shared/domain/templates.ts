/**
 * Ticket templates: a starting point for the common cases of each kind, so an agent fills in a
 * few words instead of a form. Pure data; a desk can add its own in the directory later.
 */
import type { Level } from './priority';
import type { TicketKind } from './kinds';

/** One template. */
export type TicketTemplate = {
  readonly id: string;
  readonly name: string;
  readonly kind: Exclude<TicketKind, 'workorder'>;
  readonly title: string;
  readonly description: string;
  readonly category: string;
  readonly impact: Level;
  readonly urgency: Level;
  readonly groupId: string;
};

/** Templates every desk starts with. */
export const BUILT_IN_TEMPLATES: readonly TicketTemplate[] = [
  {
    id: 'tpl:password-reset',
    name: 'Password reset / account locked',
    kind: 'incident',
    title: 'Account locked out',
    description: 'Caller cannot sign in.\n\n- Identity verified: yes / no\n- System: ',
    category: 'access',
    impact: 3,
    urgency: 2,
    groupId: 'group:service-desk',
  },
  {
    id: 'tpl:vpn-down',
    name: 'VPN not connecting',
    kind: 'incident',
    title: 'VPN does not connect',
    description: 'Error shown: \n\nLocation / network: ',
    category: 'network',
    impact: 3,
    urgency: 2,
    groupId: 'group:network',
  },
  {
    id: 'tpl:outage',
    name: 'Service outage (many users)',
    kind: 'incident',
    title: 'Outage: ',
    description: 'Affected service: \nUsers affected: \nSince: ',
    category: 'general',
    impact: 1,
    urgency: 1,
    groupId: 'group:service-desk',
  },
  {
    id: 'tpl:problem-recurring',
    name: 'Recurring incidents',
    kind: 'problem',
    title: 'Recurring: ',
    description: 'Related incidents: \n\nPattern observed: ',
    category: 'general',
    impact: 2,
    urgency: 3,
    groupId: 'group:service-desk',
  },
  {
    id: 'tpl:standard-patch',
    name: 'Standard change: monthly patching',
    kind: 'change',
    title: 'Monthly OS patching',
    description: 'Scope: \nWindow: \nBack-out plan: restore the pre-patch snapshot.',
    category: 'server',
    impact: 3,
    urgency: 3,
    groupId: 'group:server-ops',
  },
];

/** The templates for `kind`. */
export function templatesFor(kind: TicketKind): readonly TicketTemplate[] {
  return BUILT_IN_TEMPLATES.filter((t) => t.kind === kind);
}

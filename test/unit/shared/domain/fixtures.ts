import { createTicket, type NewTicketInput, type Ticket } from '../../../../shared/domain';

export const T0 = '2026-03-02T09:00:00.000Z';

/** A valid incident for tests, with optional overrides of the input. */
export function incident(over: Partial<NewTicketInput> = {}, number = 'INC-000000000000'): Ticket {
  const r = createTicket(
    {
      kind: 'incident',
      title: 'VPN drops',
      description: 'Every 5 minutes',
      requesterId: 'person:caller-0001',
      ciId: null,
      category: 'network',
      impact: 2,
      urgency: 2,
      groupId: 'group:network',
      assigneeId: null,
      ...over,
    },
    { now: T0, actor: 'alice', number },
  );
  if (!r.ok) throw new Error(r.errors.join('; '));
  return r.value;
}

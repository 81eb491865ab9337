/**
 * fast-check arbitraries shared by the fuzz tests and the reliability scenarios: valid documents
 * with hostile mutations, as they could arrive from a server written by other software.
 */
import fc from 'fast-check';
import { createTicket, newTicketNumber, type Ticket } from '../../shared/domain';

const KEYS = [
  'number',
  'kind',
  'schemaVersion',
  'title',
  'description',
  'requesterId',
  'ciId',
  'category',
  'impact',
  'urgency',
  'priority',
  'groupId',
  'assigneeId',
  'state',
  'onHoldReason',
  'resolution',
  'parentNumber',
  'links',
  'sla',
  'createdAt',
  'updatedAt',
  'createdBy',
  'updatedBy',
  'details',
  '__proto__',
  'constructor',
] as const;

/** A valid incident; `random` varies its number. */
export function baseTicket(random = 0.5): Ticket {
  const r = createTicket(
    {
      kind: 'incident',
      title: 'Printer on floor 3 is offline',
      description: 'It shows **paper jam**.',
      requesterId: 'person:caller-0001',
      ciId: null,
      category: 'hardware',
      impact: 2,
      urgency: 2,
      groupId: 'group:service-desk',
      assigneeId: null,
    },
    {
      now: '2026-11-25T09:00:00.000Z',
      actor: 'alice',
      number: newTicketNumber('incident', { now: 0, deviceId: 'fuzz', random: () => random }),
    },
  );
  if (!r.ok) throw new Error(r.errors.join('; '));
  return r.value;
}

/** A valid ticket with 1–4 fields replaced, removed or given hostile values. */
export const mutatedTicket = fc
  .array(
    fc.record({
      key: fc.constantFrom(...KEYS),
      value: fc.oneof(
        fc.jsonValue(),
        fc.string({ unit: 'grapheme', maxLength: 300 }),
        fc.constant(undefined),
        fc.integer(),
      ),
    }),
    { minLength: 1, maxLength: 4 },
  )
  .chain((changes) => fc.double({ min: 0, max: 0.999 }).map((r) => ({ changes, r })))
  .map(({ changes, r }) => {
    const doc: Record<string, unknown> = { ...baseTicket(r) };
    for (const { key, value } of changes) {
      if (value === undefined) delete doc[key];
      else
        Object.defineProperty(doc, key, {
          value,
          enumerable: true,
          writable: true,
          configurable: true,
        });
    }
    return doc;
  });

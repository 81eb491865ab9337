/** Tickets for the features: plain domain objects in, plain domain objects out. */
import { map, type Observable } from 'rxjs';
import {
  createTicket as domainCreateTicket,
  newTicketNumber,
  type Ticket,
  type TicketKind,
  type NewTicketInput,
} from '../../../shared/domain';
import type { DeskDatabase } from './database';
import { deviceId } from './device';
import { markPending } from './outbox';

type Doc = Record<string, unknown>;

function toTicket(doc: { toJSON: () => unknown }): Ticket {
  const { _meta: _m, _rev: _r, _deleted: _d, _attachments: _a, ...rest } = doc.toJSON() as Doc;
  return rest as unknown as Ticket;
}

/** The newest-updated open tickets and the total count, live. */
export function observeRecentTickets(
  db: DeskDatabase,
  limit: number,
): Observable<readonly Ticket[]> {
  return db.tickets
    .find({ sort: [{ updatedAt: 'desc' }], limit })
    .$.pipe(map((docs) => docs.map(toTicket)));
}

/** Live count of all tickets in the replica. */
export function observeTicketCount(db: DeskDatabase): Observable<number> {
  return db.tickets.count().$;
}

/** Creates a ticket on this device (offline too): number assigned now, pushed when possible. */
export async function createTicket(
  db: DeskDatabase,
  kind: TicketKind,
  input: Omit<NewTicketInput, 'kind'>,
  actor: string,
): Promise<Ticket> {
  const now = new Date();
  const number = newTicketNumber(kind, {
    now: now.getTime(),
    deviceId: deviceId(),
    random: Math.random,
  });
  const result = domainCreateTicket({ ...input, kind }, { now: now.toISOString(), actor, number });
  if (!result.ok) throw new Error(result.errors.join('; '));
  const doc = result.value as unknown as Doc;
  await db.tickets.insert(doc);
  await markPending(db, 'tickets', number, doc);
  return result.value;
}

/** Live set of ticket numbers with changes not yet confirmed by the server. */
export function observePendingTicketNumbers(db: DeskDatabase): Observable<ReadonlySet<string>> {
  return db.outbox
    .find({ selector: { store: 'tickets' } })
    .$.pipe(map((docs) => new Set(docs.map((d) => String(d.get('docId'))))));
}

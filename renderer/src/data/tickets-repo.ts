/** Tickets for the features: plain domain objects in, plain domain objects out. */
import { map, type Observable } from 'rxjs';
import {
  auditChanges,
  createTicket as domainCreateTicket,
  newTicketNumber,
  transition,
  updateFields,
  validateActivity,
  type ActivityEntry,
  type EditableField,
  type Ticket,
  type TicketKind,
  type NewTicketInput,
  type TransitionInput,
} from '../../../shared/domain';
import type { DeskDatabase } from './database';
import { deviceId } from './device';
import { markPending } from './outbox';

type Doc = Record<string, unknown>;

function plain(doc: { toJSON: () => unknown }): Doc {
  const { _meta: _m, _rev: _r, _deleted: _d, _attachments: _a, ...rest } = doc.toJSON() as Doc;
  return rest;
}

function toTicket(doc: { toJSON: () => unknown }): Ticket {
  return plain(doc) as unknown as Ticket;
}

/** A user-facing failure of a ticket operation (the message can be shown as is). */
export class TicketError extends Error {}

/** Reads one ticket from the replica. */
export async function getTicket(db: DeskDatabase, number: string): Promise<Ticket | null> {
  const doc = await db.tickets.findOne(number).exec();
  return doc ? toTicket(doc) : null;
}

/** Live view of one ticket (null while it is not in the replica). */
export function observeTicket(db: DeskDatabase, number: string): Observable<Ticket | null> {
  return db.tickets.findOne(number).$.pipe(map((d) => (d ? toTicket(d) : null)));
}

/**
 * Applies `change` to the current local version of ticket `number` and saves it with the outbox
 * record, atomically with respect to other writers of this replica (RxDB's incremental modify).
 */
async function modifyTicket(
  db: DeskDatabase,
  number: string,
  change: (current: Ticket) => Ticket,
): Promise<Ticket> {
  const doc = await db.tickets.findOne(number).exec();
  if (!doc) throw new TicketError(`Ticket ${number} is not in this replica.`);
  let saved: Ticket | undefined;
  let before: Ticket | undefined;
  await doc.incrementalModify((data: Doc) => {
    before = plain({ toJSON: () => data }) as unknown as Ticket;
    const next = change(before);
    saved = next;
    return { ...(next as unknown as Doc) };
  });
  if (!saved || !before) throw new TicketError(`Ticket ${number} could not be saved.`);
  await markPending(db, 'tickets', number, saved);
  // The audit trail: one entry per changed field and per state move, by the same author.
  for (const a of auditChanges(before, saved))
    await addActivity(db, {
      ticketNumber: number,
      type: a.type,
      by: saved.updatedBy,
      body: a.body,
      data: a.data,
      at: saved.updatedAt,
    });
  return saved;
}

/** Changes editable fields of a ticket (priority is derived from impact and urgency). */
export function updateTicket(
  db: DeskDatabase,
  number: string,
  patch: Partial<Pick<Ticket, EditableField>>,
  actor: string,
): Promise<Ticket> {
  return modifyTicket(db, number, (current) => {
    const r = updateFields(current, patch, { now: new Date().toISOString(), actor });
    if (!r.ok) throw new TicketError(r.errors.join('; '));
    return r.value;
  });
}

/** Moves a ticket along its state machine, with the inputs the move requires. */
export function moveTicket(
  db: DeskDatabase,
  number: string,
  to: string,
  input: TransitionInput,
  actor: string,
): Promise<Ticket> {
  return modifyTicket(db, number, (current) => {
    const r = transition(current, to, input, { now: new Date().toISOString(), actor });
    if (!r.ok) throw new TicketError(r.error.message);
    return r.ticket;
  });
}

/** Default field details of a work order created before they existed. */
const NO_FIELD_DETAILS: NonNullable<Ticket['workorder']> = {
  fieldStatus: 'scheduled',
  site: '',
  contactId: null,
  scheduledFor: null,
};

/**
 * Moves a work order's field status, on this device's clock, with the state move it implies:
 * on site starts the work, work done completes it (its resolution time is the device's, and the
 * SLA engine uses it as is), and work done is refused while required checklist items are open.
 */
export function setFieldStatus(
  db: DeskDatabase,
  number: string,
  status: NonNullable<Ticket['workorder']>['fieldStatus'],
  actor: string,
  blocker: string | null,
): Promise<Ticket> {
  if (status === 'work-done' && blocker) return Promise.reject(new TicketError(blocker));
  return modifyTicket(db, number, (current) => {
    if (current.kind !== 'workorder') throw new TicketError(`${number} is not a work order.`);
    const now = new Date().toISOString();
    let t = current;
    const move = (to: string) => {
      if (t.state === to) return;
      const r = transition(t, to, {}, { now, actor });
      if (!r.ok) throw new TicketError(r.error.message);
      t = r.ticket;
    };
    if (
      (status === 'on-site' || status === 'travelling') &&
      ['new', 'assigned', 'on-hold'].includes(t.state)
    )
      move('in-progress');
    if (status === 'work-done') {
      if (t.state !== 'in-progress') move('in-progress');
      move('completed');
    }
    if (status === 'needs-follow-up' && t.state === 'completed') move('in-progress');
    return {
      ...t,
      workorder: { ...(t.workorder ?? NO_FIELD_DETAILS), fieldStatus: status },
      updatedAt: now,
      updatedBy: actor,
    };
  });
}

/** Corrects a work order's site details (address, contact, schedule) on this device. */
export function updateWorkOrder(
  db: DeskDatabase,
  number: string,
  patch: Partial<Pick<NonNullable<Ticket['workorder']>, 'site' | 'contactId' | 'scheduledFor'>>,
  actor: string,
): Promise<Ticket> {
  if (patch.site !== undefined && (patch.site.trim() === '' || patch.site.length > 200))
    return Promise.reject(new TicketError('A site is 1 to 200 characters.'));
  return modifyTicket(db, number, (current) => {
    if (current.kind !== 'workorder') throw new TicketError(`${number} is not a work order.`);
    return {
      ...current,
      workorder: { ...(current.workorder ?? NO_FIELD_DETAILS), ...patch },
      updatedAt: new Date().toISOString(),
      updatedBy: actor,
    };
  });
}

let activitySeq = 0;

/** Appends a work note, reply or other activity entry to a ticket (offline too). */
export async function addActivity(
  db: DeskDatabase,
  entry: Omit<ActivityEntry, 'id' | 'at' | 'schemaVersion'> & { readonly at?: string },
): Promise<ActivityEntry> {
  const at = entry.at ?? new Date().toISOString();
  activitySeq = (activitySeq + 1) % 1_000_000;
  const id = `${entry.ticketNumber}:${at}:${deviceId()}:${activitySeq.toString(36)}${Math.random()
    .toString(36)
    .slice(2, 8)}`;
  const r = validateActivity({ ...entry, id, at, schemaVersion: 1 });
  if (!r.ok) throw new TicketError(r.errors.join('; '));
  const doc = { ...r.value } as unknown as Doc;
  await db.activity.insert(doc);
  await markPending(db, 'activity', id, doc);
  return r.value;
}

/** Live activity of one ticket, oldest first. */
export function observeActivity(
  db: DeskDatabase,
  ticketNumber: string,
): Observable<readonly ActivityEntry[]> {
  return db.activity
    .find({ selector: { ticketNumber }, sort: [{ ticketNumber: 'asc' }, { at: 'asc' }] })
    .$.pipe(map((docs) => docs.map((d) => plain(d) as unknown as ActivityEntry)));
}

/** Editable ticket fields, as a list (for re-applying a rejected change). */
const EDITABLE: readonly EditableField[] = [
  'title',
  'description',
  'requesterId',
  'ciId',
  'category',
  'impact',
  'urgency',
  'groupId',
  'assigneeId',
  'parentNumber',
];

/**
 * Resends a change the server refused, after the user fixed it: the rejected version's editable
 * fields, overridden by `fix`, are applied to the current ticket and pushed again. Activity
 * entries are re-validated and queued again.
 */
export async function resendRejected(
  db: DeskDatabase,
  key: string,
  actor: string,
  fix: Partial<Pick<Ticket, EditableField>> & { readonly body?: string } = {},
): Promise<void> {
  const rec = await db.rejections.findOne(key).exec();
  if (!rec) throw new TicketError('This rejected change is no longer pending.');
  const store = String(rec.get('store'));
  const doc = rec.get('doc') as Doc;
  if (store === 'tickets') {
    const patch: Doc = {};
    for (const f of EDITABLE) if (f in doc) patch[f] = doc[f];
    const { body: _body, ...fields } = fix;
    await updateTicket(db, String(rec.get('docId')), { ...patch, ...fields }, actor);
  } else if (store === 'activity') {
    const v = validateActivity(fix.body === undefined ? doc : { ...doc, body: fix.body });
    if (!v.ok) throw new TicketError(v.errors.join('; '));
    await addActivity(db, { ...v.value, at: new Date().toISOString() });
  } else {
    throw new TicketError(`Changes to ${store} cannot be resent from this device.`);
  }
  await rec.remove();
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

/** Tickets for the features: plain domain objects in, plain domain objects out. */
import { firstValueFrom, map, type Observable } from 'rxjs';
import {
  auditChanges,
  slaRecordEntries,
  withSlaRecord,
  type SlaConfig,
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
import { observeSlaConfig } from './sla-config';

type Doc = Record<string, unknown>;

/** A change that made several state moves: the final version and the ones on the way. */
type Stepped = { readonly ticket: Ticket; readonly via: readonly Ticket[] };

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
 * record. The audit trail (one entry per changed field and per state move, at the device's time
 * of each move) is written first, in one write, so a reload or a crash right after the change
 * never leaves a moved ticket without the record of its steps; a change the rules refuse writes
 * nothing. Another writer of this replica in between (another window) gets `change` applied
 * over its version, as RxDB's incremental modify does.
 */
function modifyTicket(
  db: DeskDatabase,
  number: string,
  change: (current: Ticket) => Ticket | Stepped,
): Promise<Ticket> {
  return inTurn(db, number, () => modifyNow(db, number, change));
}

/** The last queued change of each ticket, per database. */
const turns = new WeakMap<DeskDatabase, Map<string, Promise<unknown>>>();

/**
 * Runs the changes of one ticket in this window one after another, each reading the version the
 * one before it saved. Without this, two quick moves (Travelling, then On site) both read the
 * version before either saved and both write the same step to the audit trail.
 */
function inTurn<T>(db: DeskDatabase, number: string, work: () => Promise<T>): Promise<T> {
  let queue = turns.get(db);
  if (!queue) turns.set(db, (queue = new Map<string, Promise<unknown>>()));
  const run = (queue.get(number) ?? Promise.resolve()).then(work);
  const settled = run.then(
    () => undefined,
    () => undefined,
  );
  queue.set(number, settled);
  void settled.then(() => {
    if (queue.get(number) === settled) queue.delete(number);
  });
  return run;
}

async function modifyNow(
  db: DeskDatabase,
  number: string,
  change: (current: Ticket) => Ticket | Stepped,
): Promise<Ticket> {
  const doc = await db.tickets.findOne(number).exec();
  if (!doc) throw new TicketError(`Ticket ${number} is not in this replica.`);
  const config = await currentSlaConfig(db);
  // The running SLA record follows the change (a new one after a priority change).
  const recorded = (t: Ticket): Ticket => (config ? withSlaRecord(t, config, t.updatedAt) : t);
  const stepped = (t: Ticket | Stepped): Stepped => ('via' in t ? t : { ticket: t, via: [] });
  const before = toTicket(doc);
  const first = stepped(change(before));
  const planned: Stepped = { ticket: recorded(first.ticket), via: first.via };
  await addActivities(
    db,
    auditChanges(before, planned.ticket, planned.via).map((a) => ({
      ticketNumber: number,
      type: a.type,
      by: planned.ticket.updatedBy,
      body: a.body,
      data: a.data,
      at: a.at ?? planned.ticket.updatedAt,
    })),
  );
  let saved: Ticket = planned.ticket;
  await doc.incrementalModify((data: Doc) => {
    saved =
      data._rev === doc.revision
        ? planned.ticket
        : recorded(stepped(change(plain({ toJSON: () => data }) as unknown as Ticket)).ticket);
    return { ...(saved as unknown as Doc) };
  });
  await markPending(db, 'tickets', number, saved);
  if (config) await writeSlaEntries(db, before, saved, config);
  return saved;
}

/**
 * The desk's SLA configuration as this replica holds it now (null before one has arrived: the
 * ticket is saved without a record, and gets one with its next change).
 */
function currentSlaConfig(db: DeskDatabase): Promise<SlaConfig | null> {
  return firstValueFrom(observeSlaConfig(db));
}

/** The SLA record entries (sla-records.ts) of a write, on this device's clock. */
async function writeSlaEntries(
  db: DeskDatabase,
  before: Ticket | null,
  saved: Ticket,
  config: SlaConfig,
): Promise<void> {
  for (const e of slaRecordEntries(before, saved, config))
    await addActivity(db, {
      ticketNumber: saved.number,
      type: 'sla-event',
      by: saved.updatedBy,
      body: e.body,
      data: e.data,
      at: e.at,
    });
}

/**
 * Notes the first public reply to the requester on the ticket (a policy's response may be this);
 * later replies change nothing. Call after writing the reply entry.
 */
export async function noteFirstReply(
  db: DeskDatabase,
  number: string,
  actor: string,
): Promise<void> {
  const current = await getTicket(db, number);
  if (!current || current.sla.firstReplyAt || current.requesterId === actor) return;
  await modifyTicket(db, number, (t) =>
    t.sla.firstReplyAt
      ? t
      : {
          ...t,
          sla: { ...t.sla, firstReplyAt: new Date().toISOString() },
          updatedAt: new Date().toISOString(),
          updatedBy: actor,
        },
  );
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
    const via: Ticket[] = [];
    const move = (to: string) => {
      if (t.state === to) return;
      if (t !== current) via.push(t);
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
    const ticket: Ticket = {
      ...t,
      workorder: { ...(t.workorder ?? NO_FIELD_DETAILS), fieldStatus: status },
      updatedAt: now,
      updatedBy: actor,
    };
    return { ticket, via };
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

/** Appends several activity entries in one write (the audit trail of one change). */
async function addActivities(
  db: DeskDatabase,
  entries: readonly (Omit<ActivityEntry, 'id' | 'at' | 'schemaVersion'> & {
    readonly at: string;
  })[],
): Promise<void> {
  if (entries.length === 0) return;
  const docs = entries.map((entry) => {
    activitySeq = (activitySeq + 1) % 1_000_000;
    const id = `${entry.ticketNumber}:${entry.at}:${deviceId()}:${activitySeq.toString(36)}${Math.random()
      .toString(36)
      .slice(2, 8)}`;
    const r = validateActivity({ ...entry, id, schemaVersion: 1 });
    if (!r.ok) throw new TicketError(r.errors.join('; '));
    return { ...r.value };
  });
  const result = await db.activity.bulkInsert(docs);
  if (result.error.length > 0)
    throw new TicketError(`The activity could not be saved (${result.error.length} entries).`);
  for (const d of docs) await markPending(db, 'activity', String(d.id), d);
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
  const config = await currentSlaConfig(db);
  const ticket = config
    ? withSlaRecord(result.value, config, result.value.createdAt)
    : result.value;
  const doc = ticket as unknown as Doc;
  await db.tickets.insert(doc);
  await markPending(db, 'tickets', number, doc);
  if (config) await writeSlaEntries(db, null, ticket, config);
  return ticket;
}

/** Live set of ticket numbers with changes not yet confirmed by the server. */
export function observePendingTicketNumbers(db: DeskDatabase): Observable<ReadonlySet<string>> {
  return db.outbox
    .find({ selector: { store: 'tickets' } })
    .$.pipe(map((docs) => new Set(docs.map((d) => String(d.get('docId'))))));
}

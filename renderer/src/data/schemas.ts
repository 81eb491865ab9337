/**
 * RxDB schemas of the local replica. Top-level fields that queues filter or sort on are declared
 * (and indexed where the storage can use them); full validation of documents happens with the
 * shared zod schemas when they arrive from the server, so a bad one is quarantined instead of
 * failing the whole pull.
 */
import type { RxJsonSchema } from 'rxdb';

type Loose = Record<string, unknown>;

const str = (maxLength = 200) => ({ type: 'string', maxLength }) as const;
const nullableStr = { type: ['string', 'null'] } as const;

/** Tickets of every kind; the primary key is the human-readable number. */
export const ticketSchema: RxJsonSchema<Loose> = {
  title: 'ticket',
  // v1: index on group + updatedAt. v2: only the updatedAt index, which the queue's first rows
  // read; the queue answers every view from its own in-memory index, so no query used the
  // state/priority and group indexes, and each costs every write: at 100,000 tickets the two
  // made a cold sync 2.5 s slower (20.4 s against 17.9 s, `npm run bench -- --only cold-sync`).
  version: 2,
  primaryKey: 'number',
  type: 'object',
  properties: {
    number: str(40),
    kind: str(20),
    schemaVersion: { type: 'integer' },
    title: { type: 'string' },
    description: { type: 'string' },
    requesterId: { type: 'string' },
    ciId: nullableStr,
    category: { type: 'string' },
    impact: { type: 'integer' },
    urgency: { type: 'integer' },
    priority: { type: 'integer', minimum: 1, maximum: 5, multipleOf: 1 },
    groupId: str(80),
    assigneeId: nullableStr,
    state: str(40),
    onHoldReason: nullableStr,
    resolution: { type: ['object', 'null'] },
    parentNumber: nullableStr,
    links: { type: 'array' },
    sla: { type: 'object' },
    createdAt: str(40),
    createdBy: { type: 'string' },
    updatedAt: str(40),
    updatedBy: { type: 'string' },
  },
  required: ['number', 'kind', 'title', 'state', 'priority', 'groupId', 'createdAt', 'updatedAt'],
  indexes: ['updatedAt'],
};

/** Append-only activity entries (notes, replies, field changes, conflicts, time, parts…). */
export const activitySchema: RxJsonSchema<Loose> = {
  title: 'activity',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: str(80),
    ticketNumber: str(40),
    type: str(40),
    at: str(40),
    by: { type: 'string' },
  },
  required: ['id', 'ticketNumber', 'type', 'at'],
  indexes: [['ticketNumber', 'at']],
};

/** Reference data (people, groups, CIs, knowledge, SLA policies, calendars, catalog). */
export const directorySchema: RxJsonSchema<Loose> = {
  title: 'directory',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: str(120),
    type: str(40),
    name: { type: 'string' },
  },
  required: ['id', 'type'],
  indexes: ['type'],
};

/** Local only: documents changed on this device and not yet confirmed by the server. */
export const outboxSchema: RxJsonSchema<Loose> = {
  title: 'outbox',
  version: 0,
  primaryKey: 'key',
  type: 'object',
  properties: {
    key: str(200),
    store: str(40),
    docId: str(160),
    changedAt: str(40),
    /** The updatedAt/at of the local version waiting to be pushed. */
    version: { type: 'string' },
  },
  required: ['key', 'store', 'docId', 'changedAt'],
};

/** Local only: documents the server refused, kept so the user can fix and resend them. */
export const rejectionSchema: RxJsonSchema<Loose> = {
  title: 'rejection',
  version: 0,
  primaryKey: 'key',
  type: 'object',
  properties: {
    key: str(200),
    store: str(40),
    docId: str(160),
    reason: { type: 'string' },
    at: str(40),
    doc: { type: 'object' },
  },
  required: ['key', 'store', 'docId', 'reason', 'at', 'doc'],
};

/** Local only: documents from the server that failed validation, stored aside. */
export const quarantineSchema: RxJsonSchema<Loose> = {
  title: 'quarantine',
  version: 0,
  primaryKey: 'key',
  type: 'object',
  properties: {
    key: str(200),
    store: str(40),
    docId: { type: 'string' },
    reasons: { type: 'array', items: { type: 'string' } },
    at: str(40),
    doc: { type: 'object' },
  },
  required: ['key', 'store', 'docId', 'reasons', 'at', 'doc'],
};

/**
 * Migrations of stored replica documents, per collection and target version. Every ticket ever
 * stored already satisfies v1 (groupId is required by the domain), so v0 → v1 keeps documents
 * as they are, and so does v1 → v2 (fewer indexes); the migration rebuilds the indexes.
 */
export const migrations = {
  tickets: { 1: (doc: Loose): Loose => doc, 2: (doc: Loose): Loose => doc },
} as const;

/**
 * The live-replicated databases. RxDB's CouchDB replication holds one long-poll connection per
 * live collection and a browser allows six per host, so reference data shares one database.
 */
export const DATABASES = ['tickets', 'activity', 'directory'] as const;

/** One of the replicated databases. */
export type DatabaseName = (typeof DATABASES)[number];

/** Staff roles, stored as CouchDB user roles. */
export const STAFF_ROLES = ['agent', 'technician', 'supervisor', 'admin'] as const;

/** One staff role. */
export type StaffRole = (typeof STAFF_ROLES)[number];

/** Server databases that are never replicated into the local store (online-only data). */
export const ONLINE_DATABASES = ['presence', 'attachments'] as const;

/** Any Switchboard database on the server. */
export type ServerDatabaseName = DatabaseName | (typeof ONLINE_DATABASES)[number];

/** The full CouchDB database name for `db` under `prefix` (e.g. `sb_tickets`). */
export function databaseName(prefix: string, db: ServerDatabaseName): string {
  return `${prefix}${db}`;
}

/** Opening and closing the signed-in user's local replica and its sync. */
import {
  openDeskDatabase,
  localDatabaseName,
  type DeskDatabase,
  type ReplicaOptions,
} from './database';
import { startSync, scopeForUser, type SyncController, type SyncEnvironment } from './sync';
import { conflictActivity } from '../../../shared/domain';
import type { StaffSession } from './session';
import { dropFromOutbox } from './outbox';
import { startQueueStore, type QueueStore } from './queue-store';
import { startPresence, type PresenceClient } from './presence';
import { openFileStore, type FileIdb, type FileStore } from './files';
import { startCiHistory, type CiHistoryFeed } from './ci-history';

export type OpenWorkspace = {
  readonly db: DeskDatabase;
  readonly sync: SyncController;
  readonly queues: QueueStore;
  readonly presence: PresenceClient;
  readonly files: FileStore;
  /** Technicians only: the history of their work orders' CIs, kept on the device. */
  readonly ciHistory: CiHistoryFeed | null;
  readonly close: () => Promise<void>;
};

/** Host-specific pieces: the browser's by default; Node tests pass their own. */
export type WorkspaceOptions = ReplicaOptions &
  SyncEnvironment & {
    /** Local database name (defaults to one per server and user). */
    readonly name?: string;
    /** Where photos and signatures are kept (the browser's IndexedDB by default). */
    readonly fileIdb?: FileIdb;
  };

/** Opens the replica for `session` on `couchUrl` and starts live sync. */
export async function openWorkspace(
  couchUrl: string,
  dbPrefix: string,
  session: StaffSession,
  opts: WorkspaceOptions = {},
): Promise<OpenWorkspace> {
  const { db, conflicts } = await openDeskDatabase(
    opts.name ?? localDatabaseName(couchUrl, session.name),
    opts,
  );
  // Merges are the signed-in user's writes, and so are their conflict records.
  conflicts.writer = session.name;
  conflicts.sink = (ticketNumber, fieldConflicts, merged) => {
    // Ids name the recorder: this device writes its own record of the merge, not another's.
    const docs = conflictActivity(ticketNumber, fieldConflicts, merged, session.name);
    void db.activity.bulkUpsert(docs.map((d) => ({ ...d })));
  };
  conflicts.settled = (ticketNumber) => void dropFromOutbox(db, 'tickets', ticketNumber);
  const scope = scopeForUser(session);
  const sync = startSync(db, conflicts, couchUrl, dbPrefix, opts, scope);
  const queues = startQueueStore(db, session.name);
  const presence = startPresence(couchUrl, dbPrefix, session.name, {
    connected$: sync.connected$,
    ...(opts.fetch ? { fetch: opts.fetch } : {}),
  });
  const files = openFileStore(couchUrl, dbPrefix, session.name, {
    connected$: sync.connected$,
    ...(opts.fetch ? { fetch: opts.fetch } : {}),
    ...(opts.fileIdb ? { idb: opts.fileIdb } : {}),
    ...(opts.name ? { name: `${opts.name}_files` } : {}),
  });
  const ciHistory = scope.filters?.tickets
    ? startCiHistory(couchUrl, dbPrefix, session.name, queues, {
        connected$: sync.connected$,
        ...(opts.fetch ? { fetch: opts.fetch } : {}),
      })
    : null;
  return {
    db,
    sync,
    queues,
    presence,
    files,
    ciHistory,
    close: async () => {
      ciHistory?.stop();
      files.stop();
      await presence.stop();
      queues.stop();
      await sync.stop();
      await db.close();
    },
  };
}

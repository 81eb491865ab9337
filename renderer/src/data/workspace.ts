/** Opening and closing the signed-in user's local replica and its sync. */
import { openDeskDatabase, localDatabaseName, type DeskDatabase } from './database';
import { startSync, type SyncController } from './sync';
import { setConflictSink } from './conflict-handlers';
import { conflictActivity } from '../../../shared/domain';

export type OpenWorkspace = {
  readonly db: DeskDatabase;
  readonly sync: SyncController;
  readonly close: () => Promise<void>;
};

/** Opens the replica for `user` on `couchUrl` and starts live sync. */
export async function openWorkspace(
  couchUrl: string,
  dbPrefix: string,
  user: string,
): Promise<OpenWorkspace> {
  const db = await openDeskDatabase(localDatabaseName(couchUrl, user));
  setConflictSink((ticketNumber, conflicts, merged) => {
    // Deterministic ids: two devices recording the same conflict write the same document.
    const docs = conflictActivity(ticketNumber, conflicts, merged);
    void db.activity.bulkUpsert(docs.map((d) => ({ ...d })));
  });
  const sync = startSync(db, couchUrl, dbPrefix);
  return {
    db,
    sync,
    close: async () => {
      await sync.stop();
      await db.close();
    },
  };
}

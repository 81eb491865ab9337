/** The local replica: one RxDB database on Dexie (IndexedDB) per server and signed-in user. */
import {
  addRxPlugin,
  createRxDatabase,
  type RxCollection,
  type RxDatabase,
  type RxStorage,
} from 'rxdb';
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import { asapScheduler, merge, observeOn, switchMap } from 'rxjs';
import { RxDBLeaderElectionPlugin } from 'rxdb/plugins/leader-election';
import { RxDBMigrationSchemaPlugin } from 'rxdb/plugins/migration-schema';
import {
  activitySchema,
  directorySchema,
  outboxSchema,
  quarantineSchema,
  rejectionSchema,
  ticketSchema,
  migrations,
} from './schemas';
import {
  createConflictContext,
  serverWinsConflictHandler,
  ticketConflictHandler,
  type ConflictContext,
} from './conflict-handlers';
import { withOrderedCheckpoints } from './ordered-checkpoints';
import { withPullMetadata } from './pull-metadata';

addRxPlugin(RxDBLeaderElectionPlugin);
addRxPlugin(RxDBMigrationSchemaPlugin);

type Loose = Record<string, unknown>;

/** Collections of the local replica. */
export type DeskCollections = {
  readonly tickets: RxCollection<Loose>;
  readonly activity: RxCollection<Loose>;
  readonly directory: RxCollection<Loose>;
  readonly outbox: RxCollection<Loose>;
  readonly rejections: RxCollection<Loose>;
  readonly quarantine: RxCollection<Loose>;
};

/** The local database. */
export type DeskDatabase = RxDatabase<DeskCollections>;

/** How far a schema migration of the replica has got (a new version opening an older replica). */
export type MigrationProgress = { readonly handled: number; readonly total: number };

/** Where and how the replica is stored. The defaults are the browser's IndexedDB via Dexie. */
export type ReplicaOptions = {
  /** Storage (tests in Node pass Dexie over another IndexedDB implementation). */
  readonly storage?: RxStorage<unknown, unknown>;
  /**
   * Told how a schema migration of the replica goes while it opens (once per new version: half a
   * minute for 30,000 tickets in Chromium), so the window can say what it is waiting for.
   */
  readonly onMigration?: (progress: MigrationProgress) => void;
};

/** An open replica and its conflict state. */
export type OpenReplica = { readonly db: DeskDatabase; readonly conflicts: ConflictContext };

/** A stable, IndexedDB-safe database name for this server and user. */
export function localDatabaseName(couchUrl: string, user: string): string {
  let h = 2166136261;
  for (const ch of couchUrl) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
  const safeUser = user
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '_')
    .slice(0, 40);
  return `switchboard_${h.toString(36)}_${safeUser}`;
}

/** Opens (or creates) the local replica. Several windows may open the same one. */
export async function openDeskDatabase(
  name: string,
  opts: ReplicaOptions = {},
): Promise<OpenReplica> {
  const conflicts = createConflictContext();
  const db = await createRxDatabase<DeskCollections>({
    name,
    storage: withPullMetadata(withOrderedCheckpoints(opts.storage ?? getRxStorageDexie())),
    multiInstance: true,
    eventReduce: true,
    closeDuplicates: true,
  });
  // Each collection that needs it migrates while it is added.
  const progress = opts.onMigration
    ? db
        .migrationStates()
        .pipe(
          // (RxDB announces a migration state before its constructor has set its `$`.)
          observeOn(asapScheduler),
          switchMap((states) => merge(...states.map((m) => m.$))),
        )
        .subscribe((m) => {
          if (m.status === 'RUNNING')
            opts.onMigration?.({ handled: m.count.handled, total: m.count.total });
        })
    : undefined;
  try {
    await addCollections(db, conflicts);
  } finally {
    progress?.unsubscribe();
  }
  return { db, conflicts };
}

async function addCollections(db: DeskDatabase, conflicts: ConflictContext): Promise<void> {
  await db.addCollections({
    tickets: {
      schema: ticketSchema,
      migrationStrategies: migrations.tickets,
      conflictHandler: ticketConflictHandler(conflicts),
    },
    activity: { schema: activitySchema, conflictHandler: serverWinsConflictHandler },
    directory: { schema: directorySchema, conflictHandler: serverWinsConflictHandler },
    outbox: { schema: outboxSchema },
    rejections: { schema: rejectionSchema },
    quarantine: { schema: quarantineSchema },
  });
}

/**
 * Starts live replication of the local replica with the server and folds every collection's
 * state into the one sync status the UI and the main process show.
 */
import {
  BehaviorSubject,
  combineLatest,
  fromEvent,
  map,
  merge,
  shareReplay,
  startWith,
  type Observable,
} from 'rxjs';
import {
  isSlaConfigEntry,
  validateActivity,
  validateSlaConfigDoc,
  validateTicket,
} from '../../../shared/domain';
import type { SyncStatus } from '../../../shared/ipc/contract';
import { databaseName, type DatabaseName } from '../../../shared/sync/databases';
import type { DeskDatabase } from './database';
import {
  replicateCollection,
  type CollectionReplication,
  type FeedState,
  type PullFilter,
} from './couch-replication';
import { refusedKey, type ConflictContext } from './conflict-handlers';
import { clearOutbox } from './outbox';
import type { Fetch } from './couch-http';
import { isLocalStorageFailure } from './storage-errors';

/** The sync status while the device has no room for what replication brings in. */
export const STORAGE_FULL_SYNC_MESSAGE =
  'This device is out of storage space: syncing is paused. What is saved here is safe; free up disk space, then reload Switchboard.';

type Doc = Record<string, unknown>;

/** Everything the UI shows about sync. */
export type SyncView = {
  readonly status: SyncStatus;
  readonly pending: number;
  readonly quarantined: number;
  readonly rejected: number;
  readonly sessionExpired: boolean;
};

/** What sync needs from its host: the browser by default, a cookie-jar fetch in Node tests. */
export type SyncEnvironment = {
  readonly fetch?: Fetch;
  /** Whether the host believes it is online (the browser's online/offline events). */
  readonly online$?: Observable<boolean>;
};

/** Which parts of each database this user pulls. */
export type SyncScope = {
  /** Design-document filter per database (e.g. technicians pull only their own work). */
  readonly filters?: Partial<Record<DatabaseName, PullFilter>>;
};

/** Batch sizes: measured against the embedded server (see docs/sync.md). */
export const PULL_BATCH_SIZE = 1000;
export const PUSH_BATCH_SIZE = 200;

/** Technicians pull only work assigned to them: speed and storage, not a security boundary. */
export function scopeForUser(session: {
  readonly name: string;
  readonly roles: readonly string[];
}): SyncScope {
  const wide = ['agent', 'supervisor', 'admin', '_admin'].some((r) => session.roles.includes(r));
  if (wide || !session.roles.includes('technician')) return {};
  return {
    filters: {
      tickets: { name: 'switchboard/assigned', params: { assignee: session.name } },
      activity: { name: 'switchboard/workorders' },
    },
  };
}

/** The browser's online/offline events. */
export function browserOnline$(): Observable<boolean> {
  return merge(
    fromEvent(window, 'online').pipe(map(() => true)),
    fromEvent(window, 'offline').pipe(map(() => false)),
  ).pipe(startWith(navigator.onLine));
}

export type SyncController = {
  readonly view$: Observable<SyncView>;
  readonly syncNow: () => void;
  /** "Work offline": no request leaves the device until it is turned off again. */
  readonly setWorkOffline: (offline: boolean) => void;
  /** Whether requests may leave the device: the host is online and "work offline" is off. */
  readonly connected$: Observable<boolean>;
  /** The "work offline" switch. */
  readonly workOffline$: Observable<boolean>;
  readonly stop: () => Promise<void>;
};

const PRIMARY: Record<DatabaseName, string> = {
  tickets: 'number',
  activity: 'id',
  directory: 'id',
};

function validatorFor(db: DatabaseName): (doc: Doc) => readonly string[] {
  switch (db) {
    case 'tickets':
      return (doc) => {
        const r = validateTicket(doc);
        return r.ok ? [] : r.errors;
      };
    case 'activity':
      return (doc) => {
        const r = validateActivity(doc);
        return r.ok ? [] : r.errors;
      };
    case 'directory':
      return (doc) => {
        if (typeof doc.type !== 'string' || doc.type.length === 0) return ['type is required'];
        // The SLA configuration is checked as the server checks it (shared/domain/sla-config.ts).
        if (!isSlaConfigEntry(doc)) return [];
        const r = validateSlaConfigDoc(doc);
        return r.ok ? [] : r.errors;
      };
  }
}

/** Starts replicating all collections of `db` with the server at `couchUrl`. */
export function startSync(
  db: DeskDatabase,
  conflicts: ConflictContext,
  couchUrl: string,
  dbPrefix: string,
  env: SyncEnvironment = {},
  scope: SyncScope = {},
): SyncController {
  const workOffline$ = new BehaviorSubject(false);
  const baseFetch: Fetch = env.fetch ?? ((url, init) => fetch(url, init));
  const syncFetch: Fetch = (url, init) =>
    workOffline$.value ? Promise.reject(new TypeError('Working offline')) : baseFetch(url, init);
  const replications: CollectionReplication[] = (['tickets', 'activity', 'directory'] as const).map(
    (name) =>
      replicateCollection({
        collection: db[name],
        primaryKey: PRIMARY[name],
        dbUrl: `${couchUrl}${databaseName(dbPrefix, name)}/`,
        pullBatchSize: PULL_BATCH_SIZE,
        pushBatchSize: PUSH_BATCH_SIZE,
        filter: scope.filters?.[name],
        fetch: syncFetch,
        validate: validatorFor(name),
        onQuarantine: async (docId, doc, reasons) => {
          await db.quarantine.upsert({
            key: `${name}:${docId}`,
            store: name,
            docId,
            reasons: [...reasons],
            at: new Date().toISOString(),
            doc,
          });
        },
        markRejected: (docId, doc) => conflicts.refused.set(refusedKey(name, docId), doc),
        onRejected: async (docId, doc, reason) => {
          await db.rejections.upsert({
            key: `${name}:${docId}`,
            store: name,
            docId,
            reason,
            at: new Date().toISOString(),
            doc,
          });
          await clearOutbox(db, name, [doc], PRIMARY[name]);
        },
        onPushed: (docs) => clearOutbox(db, name, docs, PRIMARY[name]),
      }),
  );

  const online$ = combineLatest([env.online$ ?? browserOnline$(), workOffline$]).pipe(
    map(([online, offline]) => online && !offline),
  );
  const active$ = combineLatest(replications.map((r) => r.state.active$.pipe(startWith(false))));
  const feeds$ = combineLatest(replications.map((r) => r.feed$));
  const counts$ = combineLatest([
    db.outbox.count().$,
    db.quarantine.count().$,
    db.rejections.count().$,
  ]);
  // A full disk stops the replica from taking in what is pulled: say so until a later pull or
  // push gets through. Only storage failures count here; network and session errors (including
  // the aborted long-polls of a resync) have their own states.
  const storageFull$ = new BehaviorSubject<string | null>(null);
  const subs = replications.flatMap((r) => [
    r.state.error$.subscribe((e) => {
      if (isLocalStorageFailure(e)) storageFull$.next(STORAGE_FULL_SYNC_MESSAGE);
    }),
    merge(r.state.received$, r.state.sent$).subscribe(() => {
      if (storageFull$.value !== null) storageFull$.next(null);
    }),
  ]);

  const view$ = combineLatest([online$, active$, feeds$, counts$, storageFull$]).pipe(
    map(([online, active, feeds, [pending, quarantined, rejected], storageFull]) =>
      fold(online, active, feeds, pending, quarantined, rejected, storageFull),
    ),
  );

  // One current status for every subscriber (UI, main process, tests), kept while sync runs.
  const shared$ = view$.pipe(
    startWith(initialView),
    shareReplay({ bufferSize: 1, refCount: false }),
  );
  const keepAlive = shared$.subscribe();

  // Coming back online: reconnect now instead of waiting for the backoff.
  let wasOnline = true;
  const onlineSub = online$.subscribe((online) => {
    if (online && !wasOnline) replications.forEach((r) => r.resync());
    wasOnline = online;
  });

  return {
    view$: shared$,
    connected$: online$,
    workOffline$: workOffline$.asObservable(),
    syncNow: () => replications.forEach((r) => r.resync()),
    setWorkOffline: (offline) => {
      if (workOffline$.value !== offline) workOffline$.next(offline);
    },
    stop: async () => {
      onlineSub.unsubscribe();
      keepAlive.unsubscribe();
      subs.forEach((s) => s.unsubscribe());
      await Promise.all(replications.map((r) => r.stop()));
    },
  };
}

const initialView: SyncView = {
  status: { state: 'connecting' },
  pending: 0,
  quarantined: 0,
  rejected: 0,
  sessionExpired: false,
};

function fold(
  online: boolean,
  active: boolean[],
  feeds: FeedState[],
  pending: number,
  quarantined: number,
  rejected: number,
  storageFull: string | null,
): SyncView {
  const base = { pending, quarantined, rejected };
  const expired = feeds.find((f) => f.state === 'error' && f.sessionExpired);
  if (expired && expired.state === 'error') {
    return { ...base, status: { state: 'error', reason: expired.reason }, sessionExpired: true };
  }
  if (storageFull !== null) {
    return { ...base, status: { state: 'error', reason: storageFull }, sessionExpired: false };
  }
  if (!online || feeds.some((f) => f.state === 'offline')) {
    return { ...base, status: { state: 'offline' }, sessionExpired: false };
  }
  const failed = feeds.find((f) => f.state === 'error');
  if (failed && failed.state === 'error') {
    return { ...base, status: { state: 'error', reason: failed.reason }, sessionExpired: false };
  }
  if (feeds.some((f) => f.state === 'connecting')) {
    return { ...base, status: { state: 'connecting' }, sessionExpired: false };
  }
  if (pending > 0 || active.some(Boolean)) {
    return { ...base, status: { state: 'syncing', pending }, sessionExpired: false };
  }
  return { ...base, status: { state: 'in-sync' }, sessionExpired: false };
}

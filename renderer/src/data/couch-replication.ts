/**
 * Live replication of one collection with one CouchDB database, on RxDB's replication protocol
 * (checkpoints, leader election, conflict handling) with CouchDB handlers of our own. RxDB's
 * CouchDB plugin was measured against the embedded server and falls short where it matters to
 * us: it cannot filter the pull, retries a `forbidden` row forever, and its long-poll loop dies
 * silently on a 401. Here those paths are explicit: typed errors, a rejection record per refused
 * document while the rest of the push goes on, design-document filters, tunable batch sizes.
 */
import { Subject, BehaviorSubject } from 'rxjs';
import { replicateRxCollection, type RxReplicationState } from 'rxdb/plugins/replication';
import type {
  ReplicationPullOptions,
  ReplicationPushOptions,
  RxCollection,
  WithDeleted,
  RxReplicationPullStreamItem,
} from 'rxdb';
import { couchJson, CouchHttpError, NetworkError, isAbort, type Fetch } from './couch-http';
import { jsonEqual } from './deep-equal';
import { registerPull, stillAsPulled } from './pull-metadata';
import { bootstrapReplica } from './bootstrap';

type Doc = Record<string, unknown>;
type Checkpoint = { sequence: string | number };
type ChangeRow = { id: string; deleted?: boolean; doc?: Doc };

/** Connection state of one collection's live feed. */
export type FeedState =
  | { readonly state: 'connecting' }
  | { readonly state: 'live' }
  | { readonly state: 'offline'; readonly reason: string }
  | { readonly state: 'error'; readonly reason: string; readonly sessionExpired: boolean };

export type CollectionReplicationOptions = {
  readonly collection: RxCollection<Doc>;
  readonly primaryKey: string;
  /** Database URL ending in `/`. */
  readonly dbUrl: string;
  readonly pullBatchSize: number;
  readonly pushBatchSize: number;
  /**
   * Whether an empty replica is filled by the bootstrap (bootstrap.ts) before RxDB's replication
   * starts; true unless a test drives RxDB's own pull from the beginning.
   */
  readonly bootstrap?: boolean | undefined;
  /** Design-document filter for the pull (e.g. `switchboard/assigned`), if any. */
  readonly filter?: PullFilter | undefined;
  /** fetch to use (the browser's by default). */
  readonly fetch?: Fetch | undefined;
  /** Checks a document from the server; invalid ones go to quarantine. */
  readonly validate: (doc: Doc) => readonly string[];
  readonly onQuarantine: (docId: string, doc: Doc, reasons: readonly string[]) => Promise<void>;
  readonly onRejected: (docId: string, doc: Doc, reason: string) => Promise<void>;
  /** Called for each document the server accepted (to clear the outbox). */
  readonly onPushed: (docs: readonly Doc[]) => Promise<void>;
  /** Called with documents that carry `_conflicts` on the server (other replicators). */
  readonly onServerConflicts?: (docIds: readonly string[]) => void;
  /** Marks a local version as refused so the conflict handler takes the server's. */
  readonly markRejected: (docId: string, doc: Doc) => void;
};

/** A design-document filter and its query parameters. */
export type PullFilter = {
  readonly name: string;
  readonly params?: Readonly<Record<string, string>>;
};

export type CollectionReplication = {
  readonly state: RxReplicationState<Doc, Checkpoint>;
  readonly feed$: BehaviorSubject<FeedState>;
  readonly resync: () => void;
  readonly stop: () => Promise<void>;
};

const LONGPOLL_TIMEOUT_MS = 25_000;
const MAX_BACKOFF_MS = 30_000;

/** Starts replicating `collection` with the database at `dbUrl`. */
export function replicateCollection(opts: CollectionReplicationOptions): CollectionReplication {
  const { collection, primaryKey, dbUrl } = opts;
  const stream$ = new Subject<RxReplicationPullStreamItem<Doc, Checkpoint>>();
  const feed$ = new BehaviorSubject<FeedState>({ state: 'connecting' });
  const filterParam = opts.filter
    ? `&filter=${encodeURIComponent(opts.filter.name)}` +
      Object.entries(opts.filter.params ?? {})
        .map(([k, v]) => `&${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
        .join('')
    : '';
  let stopped = false;
  let abort = new AbortController();
  let feedRunning = false;
  /** The `last_seq` of the newest pull that succeeded (what the replica has seen). */
  let pulledSeq: string | number | null = null;
  // Every request reports to the feed state, so a 401 or a lost network during the initial pull
  // (before the long-poll runs) reaches the UI instead of leaving it "connecting" forever.
  const json = async <T>(url: string, init: RequestInit = {}): Promise<T> => {
    try {
      const r = await couchJson<T>(url, init, opts.fetch);
      const now = feed$.value.state;
      if (now === 'error' || now === 'offline')
        feed$.next({ state: feedRunning ? 'live' : 'connecting' });
      return r;
    } catch (err) {
      if (!isAbort(err) && !stopped) feed$.next(describeFeedError(err));
      throw err;
    }
  };

  const toRx = (couchDoc: Doc): Doc => {
    const { _id, _rev: _r, _revisions: _v, _attachments: _a, _conflicts: _c, ...rest } = couchDoc;
    return { ...rest, [primaryKey]: _id };
  };
  const toCouch = (rxDoc: Doc, rev?: string): Doc => {
    const { [primaryKey]: id, _meta: _m, _attachments: _a, _rev: _r, ...rest } = rxDoc;
    return rev === undefined ? { ...rest, _id: id } : { ...rest, _id: id, _rev: rev };
  };

  const readChanges = (since: string | number, limit: number, signal?: AbortSignal) =>
    json<{ results: ChangeRow[]; last_seq: string | number }>(
      `${dbUrl}_changes?style=all_docs&include_docs=true&conflicts=true&since=${encodeURIComponent(String(since))}&limit=${limit}${filterParam}`,
      { signal },
    );
  /**
   * The documents of a page of the feed to store: without design documents, and with invalid
   * documents quarantined instead; a deletion becomes what `deleted` makes of it.
   */
  const admit = async (
    rows: readonly ChangeRow[],
    deleted: (id: string) => Promise<WithDeleted<Doc> | null>,
  ): Promise<WithDeleted<Doc>[]> => {
    const documents: WithDeleted<Doc>[] = [];
    const conflicted: string[] = [];
    for (const row of rows) {
      if (row.id.startsWith('_design/') || !row.doc) continue;
      if (row.deleted) {
        const doc = await deleted(row.id);
        if (doc) documents.push(doc);
        continue;
      }
      if (Array.isArray(row.doc._conflicts) && row.doc._conflicts.length > 0)
        conflicted.push(row.id);
      const doc = toRx(row.doc);
      const problems = opts.validate(doc);
      if (problems.length > 0) {
        await opts.onQuarantine(row.id, row.doc, problems);
        continue;
      }
      documents.push({ ...doc, _deleted: false });
    }
    if (conflicted.length > 0) opts.onServerConflicts?.(conflicted);
    return documents;
  };

  // The checkpoint belongs to the feed: a different filter is a different replication.
  const replicationIdentifier = `couchdb:${dbUrl}${filterParam}`;
  registerPull(collection, replicationIdentifier);
  const pull: ReplicationPullOptions<Doc, Checkpoint> = {
    batchSize: opts.pullBatchSize,
    stream$: stream$.asObservable(),
    handler: async (checkpoint, batchSize) => {
      // RxDB takes a batch with fewer documents than it asked for as "the server has no more"
      // and ends its catch-up there. Rows we drop (design documents, quarantined documents,
      // deletions of documents we never had) must not end it early: keep reading the feed
      // until the batch is full or the server has nothing more.
      let since: string | number = checkpoint?.sequence ?? 0;
      const documents: WithDeleted<Doc>[] = [];
      for (;;) {
        const limit = batchSize - documents.length;
        const r = await readChanges(since, limit);
        documents.push(
          ...(await admit(r.results, async (id) => {
            const local = await collection.findOne(id).exec();
            return local ? { ...(local.toJSON() as Doc), _deleted: true } : null;
          })),
        );
        since = r.last_seq;
        if (r.results.length < limit || documents.length >= batchSize) break;
      }
      pulledSeq = since;
      return { documents, checkpoint: { sequence: since } };
    },
  };
  const push: ReplicationPushOptions<Doc> = {
    batchSize: opts.pushBatchSize,
    handler: async (offered) => {
      const idOf = (row: (typeof offered)[number]): string =>
        String(row.newDocumentState[primaryKey]);
      // Pulled documents RxDB re-read after its checkpoint fell behind (see stillAsPulled):
      // acknowledged without a request, which stores RxDB's record of the server's version.
      const unchanged = await stillAsPulled(
        collection,
        primaryKey,
        offered.filter((row) => !row.assumedMasterState).map(idOf),
      );
      const rows = offered.filter((row) => row.assumedMasterState || !unchanged.has(idOf(row)));
      if (rows.length === 0) return [];
      const ids = rows.map(idOf);
      const current = await json<{
        rows: { key: string; value?: { rev: string }; doc?: Doc | null }[];
      }>(`${dbUrl}_all_docs?include_docs=true`, {
        method: 'POST',
        body: JSON.stringify({ keys: ids }),
      });
      const remoteById = new Map<string, Doc>();
      for (const row of current.rows) if (row.doc) remoteById.set(row.key, row.doc);

      const conflicts: WithDeleted<Doc>[] = [];
      const alreadyThere: Doc[] = [];
      const toWrite: { doc: Doc; local: Doc }[] = [];
      for (const row of rows) {
        const id = String(row.newDocumentState[primaryKey]);
        const remote = remoteById.get(id);
        if (!remote) {
          if (row.assumedMasterState && !row.assumedMasterState._deleted) {
            // We believed the server had it; it does not (purged or filtered): push as new.
          }
          toWrite.push({ doc: toCouch(row.newDocumentState), local: row.newDocumentState });
          continue;
        }
        const master = { ...toRx(remote), _deleted: remote._deleted === true };
        if (jsonEqual(master, { ...row.newDocumentState, _deleted: master._deleted })) {
          // The server already has exactly this version (an earlier push whose answer was
          // lost): acknowledge it, write nothing.
          alreadyThere.push(row.newDocumentState);
          continue;
        }
        if (row.assumedMasterState && jsonEqual(master, row.assumedMasterState)) {
          toWrite.push({
            doc: toCouch(row.newDocumentState, String(remote._rev)),
            local: row.newDocumentState,
          });
        } else {
          conflicts.push(master);
        }
      }
      if (alreadyThere.length > 0) await opts.onPushed(alreadyThere);
      if (toWrite.length === 0) return conflicts;

      const results = await json<{ id: string; ok?: boolean; error?: string; reason?: string }[]>(
        `${dbUrl}_bulk_docs`,
        {
          method: 'POST',
          body: JSON.stringify({ docs: toWrite.map((w) => w.doc) }),
        },
      );
      const pushed: Doc[] = [];
      const refetch: string[] = [];
      results.forEach((res, i) => {
        const w = toWrite[i];
        if (!w) return;
        if (res.ok) pushed.push(w.local);
        else if (res.error === 'conflict') refetch.push(res.id);
        else {
          const reason = res.reason ?? res.error ?? 'refused';
          opts.markRejected(res.id, w.local);
          void opts.onRejected(res.id, w.local, reason);
          const remote = remoteById.get(res.id);
          // The server keeps its version; ours lives on in the rejection record.
          conflicts.push(
            remote
              ? { ...toRx(remote), _deleted: remote._deleted === true }
              : { ...w.local, _deleted: true },
          );
        }
      });
      if (refetch.length > 0) {
        const again = await json<{ rows: { key: string; doc?: Doc | null }[] }>(
          `${dbUrl}_all_docs?include_docs=true`,
          { method: 'POST', body: JSON.stringify({ keys: refetch }) },
        );
        for (const row of again.rows)
          if (row.doc) conflicts.push({ ...toRx(row.doc), _deleted: row.doc._deleted === true });
      }
      if (pushed.length > 0) await opts.onPushed(pushed);
      return conflicts;
    },
  };
  const state = replicateRxCollection<Doc, Checkpoint>({
    replicationIdentifier,
    collection,
    deletedField: '_deleted',
    live: true,
    retryTime: 2_000,
    waitForLeadership: true,
    // Started below, after the bootstrap of an empty replica, and not again when the window
    // becomes visible (RxDB would start it then, mid-bootstrap, without the checkpoints).
    autoStart: false,
    toggleOnDocumentVisible: false,
    pull,
    push,
  });

  // The leader fills an empty replica first (bootstrap.ts), then RxDB's replication starts from
  // where the bootstrap ended.
  const bootAbort = new AbortController();
  /** The bootstrap while it runs (stop waits for it before the replica may close). */
  let booting: Promise<unknown> = Promise.resolve();
  const begin = async (): Promise<void> => {
    if (collection.database.multiInstance) await collection.database.waitForLeadership();
    if (stopped) return;
    const bootstrapping =
      opts.bootstrap === false
        ? Promise.resolve(undefined)
        : bootstrapReplica({
            collection,
            primaryKey,
            stopped: () => stopped,
            readPage: async (since) => {
              const r = await readChanges(since, opts.pullBatchSize, bootAbort.signal);
              const deleted: string[] = [];
              const documents = await admit(r.results, (id) => {
                deleted.push(id);
                return Promise.resolve(null);
              });
              return {
                documents,
                deleted,
                lastSeq: r.last_seq,
                more: r.results.length >= opts.pullBatchSize,
              };
            },
          }).catch(() => undefined);
    booting = bootstrapping;
    const boot = await bootstrapping;
    if (stopped) return;
    if (boot) {
      pull.initialCheckpoint = boot.pull;
      pulledSeq = boot.pull.sequence;
      if (boot.push !== undefined) push.initialCheckpoint = boot.push;
    }
    // (Errors of the replication are reported on its error$.)
    await state.start().catch(() => undefined);
  };
  void begin();

  // The live feed: a long-poll on `_changes` used only as a signal to pull from the checkpoint,
  // so the data path stays the checkpointed pull and a missed signal costs nothing but latency.
  const runFeed = async (): Promise<void> => {
    await state.awaitInitialReplication().catch(() => undefined);
    feedRunning = true;
    let backoff = 500;
    while (!stopped) {
      try {
        // Wait for changes after what the pull has actually fetched (not after the database's
        // current sequence): a change that lands while a pull is in flight, or while the server
        // restarts, is then always signalled again until a pull has it.
        let since = pulledSeq;
        if (since === null || feed$.value.state !== 'live') {
          // (Re)connecting: a quick probe tells the status we are live before the long-poll
          // waits, and anything missed meanwhile is pulled from the checkpoint.
          const info = await json<{ update_seq: string | number }>(dbUrl, {
            signal: abort.signal,
          });
          since ??= info.update_seq;
          feed$.next({ state: 'live' });
          stream$.next('RESYNC');
        }
        const r: { results: unknown[]; last_seq: string | number } = await json(
          `${dbUrl}_changes?feed=longpoll&timeout=${LONGPOLL_TIMEOUT_MS}&limit=1&since=${encodeURIComponent(String(since))}${filterParam}`,
          { signal: abort.signal },
        );
        if (feed$.value.state !== 'live') feed$.next({ state: 'live' });
        backoff = 500;
        if (r.results.length > 0) {
          stream$.next('RESYNC');
          // The pull is still on its way: give it a moment instead of spinning.
          if (pulledSeq === since) await sleep(250, abort.signal);
        }
      } catch (err) {
        if (stopped) return;
        if (isAbort(err)) {
          abort = new AbortController();
          continue;
        }
        feed$.next(describeFeedError(err));
        await sleep(backoff, abort.signal);
        backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
        // Whatever happened while we were away is fetched from the checkpoint now.
        stream$.next('RESYNC');
      }
    }
  };
  void runFeed();

  return {
    state,
    feed$,
    resync: () => {
      // Cut the current long-poll or backoff wait short and reconnect now.
      abort.abort();
      state.reSync();
    },
    stop: async () => {
      stopped = true;
      abort.abort();
      bootAbort.abort();
      await booting;
      stream$.complete();
      await state.cancel();
    },
  };
}

function describeFeedError(err: unknown): FeedState {
  if (err instanceof CouchHttpError) {
    return { state: 'error', reason: err.message, sessionExpired: err.status === 401 };
  }
  if (err instanceof NetworkError) return { state: 'offline', reason: err.message };
  return {
    state: 'error',
    reason: err instanceof Error ? err.message : String(err),
    sessionExpired: false,
  };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(t);
      resolve();
    });
  });
}

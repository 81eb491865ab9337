/**
 * The first sync of an empty replica ("bootstrap").
 *
 * RxDB's replication takes every pulled document through its conflict protocol: per document, it
 * reads the replica's version and its record of the server's version, compares them with what
 * arrived, writes the document, and then handles the record. For a replica that has nothing yet,
 * each of those answers is known beforehand (nothing local, nothing to compare, nothing to
 * push), and that protocol was most of a cold sync's time: 7.3 s against 4.0 s for the raw anchor
 * at 30,000 tickets (docs/performance.md).
 *
 * So when the replica has no document of a collection (not even a deletion) and its replication
 * has no checkpoint yet, the leader reads the feed page by page, the next page on its way while
 * the current one is written, and writes each page as one bulk insert marked exactly as RxDB's
 * pull marks its inserts. RxDB's replication then starts from the feed sequence of the last page
 * written (its `initialCheckpoint`), and its push from the replica's position after the last
 * bulk, as long as nothing but the bootstrap wrote in between (see `onlyBootstrapWrote`).
 *
 * A page that deletes a document an earlier page brought, or a refused write (a document that
 * changed on the server and came again), ends the bootstrap before it: RxDB's pull applies it.
 * Anything that stops the bootstrap early (a lost network, an expired session, closing the
 * window) leaves what was written: the replication goes on from the last page that
 * was written in full. A kill leaves documents without a checkpoint: the next start sees a
 * replica that is not empty, and RxDB's own pull runs from the beginning, finds each document as
 * pulled, and goes on (test/integration/sync/bootstrap.test.ts).
 */
import { getChangedDocumentsSince, type RxCollection, type RxStorageInstance } from 'rxdb';
import { BOOTSTRAP_WRITE, hasPullCheckpoint } from './pull-metadata';
import { dexieInternals } from './dexie-internals';
import { after, type Position } from './ordered-checkpoints';

type Doc = Record<string, unknown>;

/** One page of the server's feed, its documents ready to store. */
export type FeedPage = {
  readonly documents: readonly Doc[];
  /** Ids of the page's deletions (left out of `documents`). */
  readonly deleted: readonly string[];
  readonly lastSeq: string | number;
  /** Whether the server may have more after this page. */
  readonly more: boolean;
};

/** Where RxDB's replication starts after a bootstrap. */
export type BootstrapResult = {
  /** The feed sequence of the last page written in full. */
  readonly pull: { readonly sequence: string | number };
  /** The replica's position after the bootstrap's last write, if nothing else wrote meanwhile. */
  readonly push: Position | undefined;
};

export type BootstrapOptions = {
  readonly collection: RxCollection<Doc>;
  readonly primaryKey: string;
  /** Reads the page of the feed after `since`. */
  readonly readPage: (since: string | number) => Promise<FeedPage>;
  /** Whether the replication was stopped. */
  readonly stopped: () => boolean;
};

/**
 * Fills an empty replica from the feed. Returns where the replication goes on from, or
 * undefined if the replica was not empty or nothing could be written.
 */
export async function bootstrapReplica(o: BootstrapOptions): Promise<BootstrapResult | undefined> {
  const { collection } = o;
  const fork = collection.storageInstance;
  if (await hasPullCheckpoint(collection)) return undefined;
  if ((await getChangedDocumentsSince(fork, 1)).documents.length > 0) return undefined;

  // The bootstrap's writes as the replica reports them: each bulk's write time, and the greatest
  // position among them (where the push goes on from).
  const times: number[] = [];
  let push: Position | undefined;
  const sub = fork.changeStream().subscribe((bulk) => {
    if (bulk.context !== BOOTSTRAP_WRITE || bulk.events.length === 0) return;
    const first = bulk.events[0]!.documentData as { _meta: { lwt: number } };
    times.push(first._meta.lwt);
    const at = bulk.checkpoint as Position;
    if (!push || after(at, push)) push = at;
  });
  let pull: BootstrapResult['pull'] | undefined;
  /** Writes one page; resolves to whether all of it was written. */
  const write = async (page: FeedPage): Promise<boolean> => {
    if (page.documents.length === 0) return true;
    const result = await fork.bulkWrite(
      page.documents.map((d) => ({
        document: {
          ...d,
          _deleted: false,
          _attachments: {},
          // RxDB's storage layer sets both on an insert.
          _rev: '',
          _meta: { lwt: 0 },
        },
      })),
      BOOTSTRAP_WRITE,
    );
    return result.error.length === 0;
  };
  // Whether every page so far was written in full (never rejects).
  let previous: Promise<boolean> = Promise.resolve(true);
  /** Ids of the documents of every page taken so far. */
  const taken = new Set<string>();
  try {
    let next = o.readPage(0);
    for (;;) {
      const page = await next;
      // A deletion of a document an earlier page brought (deleted on the server while the
      // bootstrap ran) is RxDB's pull's to apply: the bootstrap ends before this page.
      if (page.deleted.some((id) => taken.has(id))) break;
      for (const d of page.documents) taken.add(String(d[o.primaryKey]));
      if (page.more) {
        next = o.readPage(page.lastSeq);
        // (Awaited on the next turn; a failure after the loop has ended is of no interest.)
        next.catch(() => undefined);
      }
      if (o.stopped()) break;
      // Two writes in flight: this page's is prepared while the previous one commits.
      const writing = write(page);
      if (!(await previous)) {
        await writing.catch(() => undefined);
        break;
      }
      previous = writing.then(
        (ok) => {
          if (ok) pull = { sequence: page.lastSeq };
          return ok;
        },
        () => false,
      );
      if (!page.more) break;
    }
  } catch {
    // A lost network or session: the replication goes on from the last page written (and the
    // feed state already says what happened).
  } finally {
    // No write of the bootstrap may still be on its way when the replication starts.
    await previous;
    sub.unsubscribe();
  }
  if (!pull) return undefined;
  // Every write this window stamped before now has committed (RxDB stamps a write's time and
  // takes its lock in one step), so the count below sees it.
  await collection.database.requestIdlePromise();
  const clean = push !== undefined && (await onlyBootstrapWrote(fork, times));
  return { pull, push: clean ? push : undefined };
}

/**
 * Whether every document at or before the bootstrap's last write is one the bootstrap wrote
 * there: the replica was empty when the bootstrap began, and each of its bulks stamped its
 * documents with one write time, so no document may carry a write time up to the last bulk's
 * other than one of those. A document another write created, changed or deleted with an earlier
 * time fails the count, and the push then reads the whole replica again instead of going on
 * from after the bootstrap; writes after it are after the push's starting point anyway. This
 * covers every write of this window (awaited before the count) and every write of another window
 * that has committed; a write another window stamped before the count but commits after it is
 * not covered (a window of milliseconds at the end of a first sync). Only the Dexie storage is
 * counted; on any other the push always reads the replica again.
 */
async function onlyBootstrapWrote(
  fork: RxStorageInstance<Doc, unknown, unknown>,
  bulkTimes: readonly number[],
): Promise<boolean> {
  const dexie = await dexieInternals(fork);
  if (!dexie || bulkTimes.length === 0) return false;
  const { table } = dexie;
  const times = [...new Set(bulkTimes)];
  const last = Math.max(...times);
  // One read transaction: one consistent view of the table.
  return table.db.transaction('r', table, async () => {
    const [upToLast, ...atBulks] = await Promise.all([
      table.where('_meta.lwt').belowOrEqual(last).count(),
      ...times.map((t) => table.where('_meta.lwt').equals(t).count()),
    ]);
    return upToLast === atBulks.reduce((n, c) => n + c, 0);
  });
}

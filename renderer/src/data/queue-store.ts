/**
 * The queue index of one replica: loaded once from the tickets collection, then kept current from
 * its change stream. Views read it synchronously; `version$` tells them when to re-read.
 */
import { BehaviorSubject, Subject, type Observable } from 'rxjs';
import { normalizeMangoQuery, prepareQuery, type MangoQuery } from 'rxdb';
import type { Table } from 'dexie';
import {
  QueueIndex,
  applyToNewest,
  type NewestTickets,
  type TicketChange,
} from '../../../shared/queue';
import type { Ticket } from '../../../shared/domain';
import type { DeskDatabase } from './database';
import { dexieInternals } from './dexie-internals';

type Doc = Record<string, unknown>;

/** How many of the most recently updated tickets are shown while the whole index loads. */
export const PREVIEW_SIZE = 200;

export type QueueStore = {
  readonly index: QueueIndex;
  /**
   * Until the index has loaded (`version$` > 0): the PREVIEW_SIZE most recently updated tickets,
   * read through the `updatedAt` index, so a large replica paints its first rows at once; null
   * before they are read and after the index has loaded.
   */
  readonly preview$: Observable<readonly Ticket[] | null>;
  /** Emits after the first load and after each batch of changes. */
  readonly version$: Observable<number>;
  /** Each change as it is applied to the loaded index (for views kept current from it). */
  readonly changes$: Observable<TicketChange>;
  /** The signed-in person's assignment groups (from the directory). */
  readonly groupIds$: Observable<readonly string[]>;
  readonly stop: () => void;
};

function plain(d: Doc): Ticket {
  const { _meta: _m, _rev: _r, _deleted: _d, _attachments: _a, ...rest } = d;
  return rest as unknown as Ticket;
}

/**
 * Tickets straight from the collection's storage: the queue keeps its own index, so RxDB's
 * document objects (and their cache, which would hold every ticket a second time) are not needed.
 */
async function readTickets(db: DeskDatabase, query: MangoQuery<Doc>): Promise<Ticket[]> {
  const schema = db.tickets.schema.jsonSchema;
  // Straight to storage, so deleted documents are ours to exclude (and the planner then picks
  // the [_deleted, updatedAt] index).
  const live = { ...query, selector: { ...query.selector, _deleted: { $eq: false } } };
  const r = await db.tickets.storageInstance.query(
    prepareQuery(schema, normalizeMangoQuery(schema, live)),
  );
  return r.documents.map((d) => plain(d as unknown as Doc));
}

/** A batch of changes this large is a first sync or a catch-up: re-rendered less often. */
const CATCH_UP_BATCH = 100;
const CATCH_UP_RENDER_MS = 500;

/** How many tickets one IndexedDB `getAll` returns while the index loads. */
const LOAD_CHUNK = 5_000;

/** The Dexie table behind the tickets collection, or null on another storage. */
async function dexieTable(db: DeskDatabase): Promise<Table<Doc, string> | null> {
  return (await dexieInternals(db.tickets.storageInstance))?.table ?? null;
}

/** Whether a document as RxDB's Dexie storage keeps it is deleted (booleans are stored as '1'/'0'). */
const isDeletedRow = (d: Doc): boolean => d._deleted === '1' || d._deleted === true;

/**
 * Every live ticket. RxDB's storage query walks an IndexedDB cursor, one round trip per
 * document (seconds at 100,000 tickets), so on the Dexie storage the table is read in chunks of
 * the primary key, each one `getAll`; any other storage goes through the storage query.
 */
export async function allTickets(db: DeskDatabase): Promise<Ticket[]> {
  const table = await dexieTable(db);
  if (!table) return readTickets(db, { selector: {} });
  const out: Ticket[] = [];
  let after: string | null = null;
  for (;;) {
    const chunk: Doc[] = await (
      after === null ? table.orderBy(':id') : table.where(':id').above(after)
    )
      .limit(LOAD_CHUNK)
      .toArray();
    for (const d of chunk) if (!isDeletedRow(d)) out.push(plain(d));
    if (chunk.length < LOAD_CHUNK) return out;
    after = String(chunk[chunk.length - 1]![db.tickets.schema.primaryPath]);
  }
}

/**
 * About the `n` most recently updated tickets, newest first, without reading the rest: exactly
 * "every ticket updated after some time" (what `rowsFromNewest` needs), so tickets sharing the
 * oldest `updatedAt` read are left out. On the Dexie storage this walks the `updatedAt` index
 * backwards; RxDB's storage query walks indexes only forwards (a descending sort reads and sorts
 * every ticket), so elsewhere it asks for ascending windows of the index, widening them until one
 * holds enough.
 */
async function newestTickets(db: DeskDatabase, n: number): Promise<NewestTickets> {
  const table = await dexieTable(db);
  if (table) {
    // RxDB prefixes every index with _deleted and ends it with the primary key.
    const rows = await table
      .where(`[_deleted+updatedAt+${db.tickets.schema.primaryPath}]`)
      .between(['0', '', ''], ['0', '\uffff', '\uffff'])
      .reverse()
      .limit(n + 1)
      .toArray();
    const docs = rows.filter((d) => !isDeletedRow(d)).map(plain);
    if (docs.length <= n) return { tickets: docs, after: null };
    const after = docs[docs.length - 1]!.updatedAt;
    return { tickets: docs.filter((t) => t.updatedAt > after), after };
  }
  const now = Date.now();
  const windows = [1, 7, 30, 365];
  for (const days of windows) {
    const since = new Date(now - days * 86_400_000).toISOString();
    const docs = await readTickets(db, {
      selector: { updatedAt: { $gt: since } },
      sort: [{ updatedAt: 'asc' }],
    });
    // A short window is still "everything newer than `since`": the widest one is shown as is.
    if (docs.length < n) {
      if (days === windows[windows.length - 1]) return { tickets: docs.reverse(), after: since };
      continue;
    }
    const after = docs[docs.length - n]!.updatedAt;
    return { tickets: docs.filter((t) => t.updatedAt > after).reverse(), after };
  }
  return { tickets: [], after: null };
}

/** Starts the store for `db` and `user`. */
export function startQueueStore(db: DeskDatabase, user: string): QueueStore {
  const index = new QueueIndex();
  const version$ = new BehaviorSubject(0);
  const groupIds$ = new BehaviorSubject<readonly string[]>([]);
  let loaded = false;
  let stopped = false;
  const early: TicketChange[] = [];
  const changes$ = new Subject<TicketChange>();
  let scheduled = false;
  /**
   * One re-render per burst of changes (a pull of 1,000 documents is one burst), soon after a
   * few changes (an edit shows within 50 ms) and at most twice a second while large batches keep
   * arriving (a first sync or a catch-up, where each render would take time from the writes).
   */
  const bump = (batchSize: number): void => {
    if (scheduled) return;
    scheduled = true;
    setTimeout(
      () => {
        scheduled = false;
        version$.next(version$.value + 1);
      },
      batchSize >= CATCH_UP_BATCH ? CATCH_UP_RENDER_MS : 50,
    );
  };
  /** What the queue shows until the index has loaded, kept current by incoming changes. */
  let newest: NewestTickets | null = null;
  const preview$ = new BehaviorSubject<readonly Ticket[] | null>(null);
  // Whole bulks of changes (a replication pull of 1,000 tickets is one), applied in one pass.
  const sub = db.tickets.eventBulks$.subscribe((bulk) => {
    if (bulk.isLocal) return;
    const batch: TicketChange[] = bulk.events.map((ev) =>
      ev.operation === 'DELETE' ? { removed: ev.documentId } : plain(ev.documentData as Doc),
    );
    if (!loaded) {
      for (const c of batch) early.push(c);
      if (newest) {
        newest = batch.reduce(applyToNewest, newest);
        preview$.next(newest.tickets);
      }
    } else {
      index.applyMany(batch);
      for (const c of batch) changes$.next(c);
      bump(batch.length);
    }
  });
  const loadAll = (): Promise<void> =>
    allTickets(db).then(
      (docs) => {
        if (stopped) return;
        index.load(docs);
        index.applyMany(early);
        early.length = 0;
        loaded = true;
        newest = null;
        performance.mark('sb:index');
        preview$.next(null);
        version$.next(version$.value + 1);
      },
      () => {
        // The replica could not be read (a storage failure): try again shortly; the preview
        // stays on screen meanwhile, and the counts say the queue is still loading.
        if (!stopped) setTimeout(() => void loadAll(), 2_000);
      },
    );
  // The newest tickets first (a small indexed read), then everything.
  void newestTickets(db, PREVIEW_SIZE)
    .then(
      (read) => {
        performance.mark('sb:preview');
        if (loaded || stopped) return;
        // Changes that arrived while it was read are applied again (the last one wins).
        newest = early.reduce(applyToNewest, read);
        preview$.next(newest.tickets);
      },
      () => undefined,
    )
    .then(loadAll);
  const person = db.directory.findOne(`person:${user}`).$.subscribe((p) => {
    const g = p?.get('groupIds') as unknown;
    groupIds$.next(Array.isArray(g) ? g.filter((x): x is string => typeof x === 'string') : []);
  });
  return {
    index,
    preview$,
    version$,
    changes$,
    groupIds$,
    stop: () => {
      stopped = true;
      sub.unsubscribe();
      person.unsubscribe();
    },
  };
}

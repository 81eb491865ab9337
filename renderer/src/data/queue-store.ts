/**
 * The queue index of one replica: loaded once from the tickets collection, then kept current from
 * its change stream. Views read it synchronously; `version$` tells them when to re-read.
 */
import { BehaviorSubject, Subject, type Observable } from 'rxjs';
import { normalizeMangoQuery, prepareQuery, type MangoQuery } from 'rxdb';
import { QueueIndex } from '../../../shared/queue';
import type { Ticket } from '../../../shared/domain';
import type { DeskDatabase } from './database';

type Doc = Record<string, unknown>;

/** A new or updated ticket, or the number of a removed one. */
export type TicketChange = Ticket | { readonly removed: string };

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

/**
 * About the `n` most recently updated tickets, newest first, without reading the rest: RxDB's
 * Dexie storage walks indexes only in ascending order (a descending sort reads and sorts every
 * ticket), so this asks for an ascending range of the `updatedAt` index, widening the window
 * until it holds enough. Tickets sharing the oldest `updatedAt` of the window are left out, so
 * the result is exactly "everything newer than some time" (what `rowsFromNewest` needs).
 */
async function newestTickets(db: DeskDatabase, n: number): Promise<Ticket[]> {
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
      if (days === windows[windows.length - 1]) return docs.reverse();
      continue;
    }
    const boundary = docs[docs.length - n]!.updatedAt;
    return docs.filter((t) => t.updatedAt > boundary).reverse();
  }
  return [];
}

/** Starts the store for `db` and `user`. */
export function startQueueStore(db: DeskDatabase, user: string): QueueStore {
  const index = new QueueIndex();
  const version$ = new BehaviorSubject(0);
  const groupIds$ = new BehaviorSubject<readonly string[]>([]);
  let loaded = false;
  const early: TicketChange[] = [];
  const changes$ = new Subject<TicketChange>();
  let scheduled = false;
  const bump = (): void => {
    if (scheduled) return;
    scheduled = true;
    // One re-render per burst of changes (a pull of 1,000 documents is one burst).
    setTimeout(() => {
      scheduled = false;
      version$.next(version$.value + 1);
    }, 50);
  };
  const sub = db.tickets.$.subscribe((ev) => {
    const change = ev.operation === 'DELETE' ? { removed: ev.documentId } : plain(ev.documentData);
    if (!loaded) early.push(change);
    else {
      index.apply(change);
      changes$.next(change);
      bump();
    }
  });
  const preview$ = new BehaviorSubject<readonly Ticket[] | null>(null);
  const loadAll = () =>
    readTickets(db, { selector: {} }).then((docs) => {
      index.load(docs);
      for (const c of early) index.apply(c);
      early.length = 0;
      loaded = true;
      preview$.next(null);
      version$.next(version$.value + 1);
    });
  // The newest tickets first (a small indexed read), then everything.
  const firstRead = newestTickets(db, PREVIEW_SIZE).then(
    (docs) => {
      performance.mark('sb:preview');
      if (!loaded) preview$.next(docs);
    },
    () => undefined,
  );
  void firstRead.then(loadAll);
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
      sub.unsubscribe();
      person.unsubscribe();
    },
  };
}

/**
 * Photos and signatures of field work: kept on the device (a Dexie database of their own, since
 * RxDB's CouchDB replication carries no attachments) and uploaded by a resumable outbox of our own
 * to the server's `attachments` database, exactly once: the document id is made on the device, a
 * retry after a lost answer finds the document (and the file) already there. Other devices fetch
 * a file on demand. A per-device storage budget evicts files already on the server, oldest first;
 * files not yet uploaded are never evicted.
 */
import Dexie, { type Table } from 'dexie';
import { BehaviorSubject, type Observable, type Subscription } from 'rxjs';
import { couchFetch, couchJson, CouchHttpError, NetworkError, type Fetch } from './couch-http';
import { databaseName } from '../../../shared/sync/databases';
import {
  ATTACHMENT_TYPES,
  MAX_ATTACHMENT_BYTES,
  MAX_PICKED_BYTES,
} from '../../../shared/field/attachments';

/** Where a file stands on this device. */
export type FileState = 'pending' | 'uploaded' | 'failed' | 'downloaded';

export type StoredFile = {
  readonly id: string;
  readonly ticketNumber: string;
  readonly name: string;
  readonly type: string;
  readonly size: number;
  readonly by: string;
  readonly at: string;
  readonly state: FileState;
  readonly error?: string;
  readonly blob: Blob;
};

/** A file's state without its bytes (what lists show). */
export type FileInfo = Omit<StoredFile, 'blob'>;

/** Default storage budget per device. */
export const DEFAULT_BUDGET_BYTES = 300 * 1024 * 1024;

/** A user-facing refusal (the message can be shown as is). */
export class FileError extends Error {}

/** The IndexedDB to keep files in (the browser's by default; Node tests pass fake-indexeddb). */
export type FileIdb = { readonly indexedDB: IDBFactory; readonly IDBKeyRange: typeof IDBKeyRange };

class FilesDb extends Dexie {
  files!: Table<StoredFile, string>;
  constructor(name: string, idb?: FileIdb) {
    super(name, idb ? { indexedDB: idb.indexedDB, IDBKeyRange: idb.IDBKeyRange } : undefined);
    this.version(1).stores({ files: '&id, ticketNumber, state, at' });
  }
}

export type FileStore = {
  /** Every file's state, live. */
  readonly files$: Observable<readonly FileInfo[]>;
  /** Keeps a picked or drawn file and queues its upload; returns its metadata. */
  readonly add: (ticketNumber: string, blob: Blob, name: string, by: string) => Promise<FileInfo>;
  /** The file's bytes: from this device, or fetched from the server (online). */
  readonly get: (id: string) => Promise<Blob | null>;
  /** Tries failed uploads again. */
  readonly retry: (id: string) => Promise<void>;
  /** Uploads what is pending now (also runs by itself). */
  readonly flush: () => Promise<void>;
  readonly stop: () => void;
};

let seq = 0;

/** A new file id: ticket, device time and randomness (unique without asking the server). */
export function newFileId(ticketNumber: string, now = Date.now()): string {
  seq = (seq + 1) % 1_000_000;
  const rand = Math.random().toString(36).slice(2, 10);
  return `${ticketNumber}:${now.toString(36)}:${seq.toString(36)}${rand}`;
}

/** Scales a photo down to at most 1600 px and re-encodes it as JPEG; other files pass as is. */
export async function compressImage(blob: Blob): Promise<Blob> {
  if (!blob.type.startsWith('image/') || blob.type === 'image/png') return blob;
  if (typeof createImageBitmap !== 'function' || typeof OffscreenCanvas === 'undefined')
    return blob;
  try {
    const bitmap = await createImageBitmap(blob);
    const scale = Math.min(1, 1600 / Math.max(bitmap.width, bitmap.height));
    const canvas = new OffscreenCanvas(
      Math.max(1, Math.round(bitmap.width * scale)),
      Math.max(1, Math.round(bitmap.height * scale)),
    );
    const ctx = canvas.getContext('2d');
    if (!ctx) return blob;
    ctx.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    bitmap.close();
    const out = await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.8 });
    return out.size < blob.size ? out : blob;
  } catch {
    return blob; // Not decodable here: keep the original (the size limit still applies).
  }
}

/** Opens the file store of `user` for the server at `couchUrl`. */
export function openFileStore(
  couchUrl: string,
  prefix: string,
  user: string,
  opts: {
    readonly connected$: Observable<boolean>;
    readonly fetch?: Fetch;
    readonly budgetBytes?: number;
    readonly idb?: FileIdb;
    /** Local database name (defaults to one per server and user). */
    readonly name?: string;
  },
): FileStore {
  const db = new FilesDb(opts.name ?? `switchboard-files:${couchUrl}:${user}`, opts.idb);
  const base = `${couchUrl.replace(/\/$/, '')}/${databaseName(prefix, 'attachments')}`;
  const budget = opts.budgetBytes ?? DEFAULT_BUDGET_BYTES;
  const files$ = new BehaviorSubject<readonly FileInfo[]>([]);
  let connected = false;
  let running: Promise<void> | null = null;
  let stopped = false;

  const publish = async (): Promise<void> => {
    const all = await db.files.toArray();
    files$.next(all.map(({ blob: _b, ...info }) => info).sort((a, b) => a.at.localeCompare(b.at)));
  };

  const docUrl = (id: string) => `${base}/${encodeURIComponent(id)}`;

  /** Uploads one file; resolves to its new state. */
  const upload = async (f: StoredFile): Promise<Pick<StoredFile, 'state' | 'error'>> => {
    const meta = {
      ticketNumber: f.ticketNumber,
      name: f.name,
      type: f.type,
      size: f.size,
      by: f.by,
      at: f.at,
    };
    let rev: string;
    try {
      rev = (
        await couchJson<{ rev: string }>(
          docUrl(f.id),
          { method: 'PUT', body: JSON.stringify(meta) },
          opts.fetch,
        )
      ).rev;
    } catch (err) {
      if (!(err instanceof CouchHttpError) || err.status !== 409) throw err;
      // Written before (the answer was lost, or the file went up too): look at what is there.
      const doc = await couchJson<{ _rev: string; _attachments?: { data?: { length?: number } } }>(
        docUrl(f.id),
        {},
        opts.fetch,
      );
      if (doc._attachments?.data?.length === f.size) return { state: 'uploaded' };
      rev = doc._rev;
    }
    await couchFetch(
      `${docUrl(f.id)}/data?rev=${encodeURIComponent(rev)}`,
      { method: 'PUT', body: f.blob, headers: { 'content-type': f.type } },
      opts.fetch,
    ).catch(async (err: unknown) => {
      // A lost answer to the file upload: the next attempt sees it on the server.
      if (err instanceof CouchHttpError && err.status === 409) {
        const doc = await couchJson<{ _attachments?: { data?: { length?: number } } }>(
          docUrl(f.id),
          {},
          opts.fetch,
        );
        if (doc._attachments?.data?.length === f.size) return;
      }
      throw err;
    });
    return { state: 'uploaded' };
  };

  const runOnce = async (): Promise<void> => {
    const pending = await db.files.where('state').equals('pending').sortBy('at');
    for (const f of pending) {
      if (!connected || stopped) return;
      try {
        const next = await upload(f);
        await db.files.update(f.id, { state: next.state, error: undefined });
      } catch (err) {
        if (err instanceof NetworkError) return; // Offline again: try later.
        if (err instanceof CouchHttpError && err.status === 401) return; // Sign in again first.
        const reason = err instanceof Error ? err.message : String(err);
        await db.files.update(f.id, { state: 'failed', error: reason.slice(0, 300) });
      }
      await publish();
    }
  };
  const flush = (): Promise<void> => {
    running ??= runOnce().finally(() => {
      running = null;
    });
    return running;
  };

  const makeRoom = async (needed: number): Promise<void> => {
    const all = await db.files.orderBy('at').toArray();
    let used = all.reduce((n, f) => n + f.size, 0);
    if (used + needed <= budget) return;
    for (const f of all) {
      if (f.state !== 'uploaded' && f.state !== 'downloaded') continue;
      await db.files.delete(f.id);
      used -= f.size;
      if (used + needed <= budget) return;
    }
    throw new FileError(
      `Not enough room on this device for another ${Math.ceil(needed / 1024)} KB: ` +
        `${Math.round(used / 1024 / 1024)} MB of files are waiting to be uploaded ` +
        `(budget ${Math.round(budget / 1024 / 1024)} MB). Go online to upload them first.`,
    );
  };

  const subs: Subscription[] = [
    opts.connected$.subscribe((c) => {
      connected = c;
      if (c) void flush();
    }),
  ];
  const timer = setInterval(() => void flush(), 30_000);
  void publish().catch(() => undefined);

  return {
    files$,
    add: async (ticketNumber, picked, name, by) => {
      if (picked.size > MAX_PICKED_BYTES)
        throw new FileError(
          `${name} is ${Math.round(picked.size / 1024 / 1024)} MB; the limit is ${MAX_PICKED_BYTES / 1024 / 1024} MB.`,
        );
      if (!ATTACHMENT_TYPES.includes(picked.type))
        throw new FileError(
          `${name}: only photos (JPEG, PNG, WebP) and PDF files can be attached.`,
        );
      const blob = await compressImage(picked);
      if (blob.size > MAX_ATTACHMENT_BYTES)
        throw new FileError(
          `${name} is still ${Math.round(blob.size / 1024 / 1024)} MB after compression; the limit is ${MAX_ATTACHMENT_BYTES / 1024 / 1024} MB.`,
        );
      await makeRoom(blob.size);
      const file: StoredFile = {
        id: newFileId(ticketNumber),
        ticketNumber,
        name: name.slice(0, 200),
        type: blob.type || picked.type,
        size: blob.size,
        by,
        at: new Date().toISOString(),
        state: 'pending',
        blob,
      };
      await db.files.add(file);
      await publish();
      void flush();
      const { blob: _b, ...info } = file;
      return info;
    },
    get: async (id) => {
      const local = await db.files.get(id);
      if (local) return local.blob;
      if (!connected) return null;
      try {
        const meta = await couchJson<{
          ticketNumber: string;
          name: string;
          type: string;
          size: number;
          by: string;
          at: string;
        }>(docUrl(id), {}, opts.fetch);
        const res = await couchFetch(`${docUrl(id)}/data`, {}, opts.fetch);
        const blob = await res.blob();
        await makeRoom(blob.size).catch(() => undefined);
        await db.files.put({ id, ...meta, state: 'downloaded', blob });
        await publish();
        return blob;
      } catch {
        return null;
      }
    },
    retry: async (id) => {
      await db.files.update(id, { state: 'pending', error: undefined });
      await publish();
      await flush();
    },
    flush,
    stop: () => {
      stopped = true;
      clearInterval(timer);
      subs.forEach((s) => s.unsubscribe());
      db.close();
    },
  };
}

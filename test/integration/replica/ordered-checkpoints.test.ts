/**
 * The replica's storage wrapper (renderer/src/data/ordered-checkpoints.ts) over a real Dexie
 * storage on fake-indexeddb: each write's change checkpoint is the greatest [write time, id] it
 * wrote, and `getChangedDocumentsSince` (one read of the [write time, id] index) answers exactly
 * what RxDB's own query answers, page by page, deleted documents included.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { firstValueFrom } from 'rxjs';
import {
  ensureNotFalsy,
  getChangedDocumentsSinceQuery,
  normalizeMangoQuery,
  prepareQuery,
  type RxStorageInstance,
} from 'rxdb';
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import { openDeskDatabase, type DeskDatabase } from '../../../renderer/src/data/database';
import { demoTicketsForBench } from '../../bench/support/tickets';

type Doc = Record<string, unknown>;
type Position = { id: string; lwt: number };

const open: DeskDatabase[] = [];
afterEach(async () => {
  for (const db of open.splice(0)) await db.close();
});

async function replica(name: string): Promise<DeskDatabase> {
  const { db } = await openDeskDatabase(name, {
    storage: getRxStorageDexie({ indexedDB: new IDBFactory(), IDBKeyRange }),
  });
  open.push(db);
  return db;
}

/** RxDB's own answer: the storage query it falls back to when a storage has no method. */
async function byQuery(
  instance: RxStorageInstance<Doc, unknown, unknown>,
  limit: number,
  since: Position | undefined,
): Promise<string[]> {
  const q = getChangedDocumentsSinceQuery(instance, limit, since);
  const r = await instance.query(
    prepareQuery(instance.schema, normalizeMangoQuery(instance.schema, q)),
  );
  return r.documents.map((d) => String(d.number));
}

describe('ordered checkpoints', () => {
  it('gives each write the greatest [write time, id] it wrote, whatever the order', async () => {
    const db = await replica('ordered-bulk');
    const docs = demoTicketsForBench(40, Date.now());
    // Written in descending id order: the last document written is the smallest.
    docs.sort((a, b) => (String(a.number) < String(b.number) ? 1 : -1));
    const bulk = firstValueFrom(db.tickets.storageInstance.changeStream());
    await db.tickets.bulkInsert(docs);
    const { checkpoint, events } = await bulk;
    const greatest = events
      .map((e) => ({ id: String(e.documentData.number), lwt: e.documentData._meta.lwt }))
      .reduce((a, b) => (b.lwt > a.lwt || (b.lwt === a.lwt && b.id > a.id) ? b : a));
    expect(checkpoint).toEqual(greatest);
    const left = await db.tickets.storageInstance.getChangedDocumentsSince!(100, checkpoint);
    expect(left.documents).toEqual([]);
  });

  it('reads changes since a checkpoint exactly as RxDB would, deleted documents included', async () => {
    const db = await replica('ordered-since');
    const docs = demoTicketsForBench(90, Date.now());
    // Several writes, so several write times; some documents edited and some deleted later.
    for (let i = 0; i < docs.length; i += 25) await db.tickets.bulkInsert(docs.slice(i, i + 25));
    const some = await db.tickets.find({ limit: 30 }).exec();
    for (const [i, d] of some.entries()) {
      if (i % 3 === 0) await d.remove();
      else await d.incrementalPatch({ title: `Edited ${i}` });
    }
    const instance = db.tickets.storageInstance as unknown as RxStorageInstance<
      Doc,
      unknown,
      unknown
    >;
    // (Throws where the storage has no such method: RxDB's Dexie storage alone has none.)
    const fast = (limit: number, since: Position | undefined) =>
      ensureNotFalsy(instance.getChangedDocumentsSince?.(limit, since));
    for (const limit of [1, 7, 25, 1000]) {
      let since: Position | undefined;
      const seen: string[] = [];
      for (;;) {
        const r = await fast(limit, since);
        const ids = r.documents.map((d) => String(d.number));
        expect(ids).toEqual(await byQuery(instance, limit, since));
        if (ids.length === 0) break;
        seen.push(...ids);
        since = r.checkpoint as Position;
      }
      // Every document once, deleted ones too.
      expect(new Set(seen).size).toBe(docs.length);
      expect(seen.length).toBe(docs.length);
    }
    const deleted = await fast(1000, undefined);
    expect(deleted.documents.filter((d) => d._deleted).length).toBe(10);
  });
});

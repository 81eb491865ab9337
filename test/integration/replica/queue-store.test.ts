/**
 * The queue store over a real replica (Dexie over fake-indexeddb, the product's database code):
 * the preview read before the index is exactly the head of the "Recently updated" view, and
 * neither the preview nor the loaded index holds deleted tickets.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { filter, firstValueFrom } from 'rxjs';
import type { RxStorage } from 'rxdb';
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { openDeskDatabase, type DeskDatabase } from '../../../renderer/src/data/database';
import { startQueueStore, PREVIEW_SIZE } from '../../../renderer/src/data/queue-store';
import { BUILT_IN_VIEWS, rowsFromNewest, type QueueContext } from '../../../shared/queue';
import { createRng } from '../../../server/src/provision/random';
import { demoDirectory } from '../../../server/src/provision/demo-directory';
import { demoTickets } from '../../../server/src/provision/demo-tickets';

const open: DeskDatabase[] = [];
afterEach(async () => {
  for (const db of open.splice(0)) await db.close();
});

async function replicaWith(
  count: number,
  days: number,
  seed: number,
  storage: RxStorage<unknown, unknown> = getRxStorageDexie({
    indexedDB: new IDBFactory(),
    IDBKeyRange,
  }),
): Promise<DeskDatabase> {
  const rng = createRng(seed);
  const dir = demoDirectory(rng);
  const tickets = demoTickets(rng, {
    count,
    days,
    now: Date.now(),
    agents: dir.agents,
    callers: dir.callers,
    cis: dir.cis,
    kb: dir.kb,
  });
  const { db } = await openDeskDatabase(`queue-store-${seed}`, { storage });
  open.push(db);
  await db.tickets.bulkInsert(tickets);
  return db;
}

/** Starts the store; resolves with the preview it showed and the store once its index is in. */
async function load(db: DeskDatabase) {
  const store = startQueueStore(db, 'alice');
  const preview = firstValueFrom(store.preview$.pipe(filter((p) => p !== null)));
  await firstValueFrom(store.version$.pipe(filter((v) => v > 0)));
  return { store, preview: await preview };
}

const recent = BUILT_IN_VIEWS.find((v) => v.id === 'recent')!;
const ctx: QueueContext = { me: 'alice', groupIds: [], now: Date.now(), sla: null };

describe('queue store', () => {
  it('previews at most PREVIEW_SIZE of the newest tickets, exactly the head of the full view, and leaves deleted tickets out', async () => {
    const db = await replicaWith(1500, 90, 11);
    const newest = await db.tickets
      .find({ sort: [{ updatedAt: 'desc' }], limit: 5 })
      .exec()
      .then((docs) => docs.map((d) => d.primary));
    const older = await db.tickets
      .find({ sort: [{ updatedAt: 'asc' }], limit: 5 })
      .exec()
      .then((docs) => docs.map((d) => d.primary));
    const gone = [...newest, ...older];
    await db.tickets
      .findByIds(gone)
      .exec()
      .then((m) => Promise.all([...m.values()].map((d) => d.remove())));

    // The store reads RxDB's Dexie table directly (the fast path) on this storage.
    expect(await Promise.resolve(db.tickets.storageInstance.internals)).toHaveProperty(
      'dexieTable',
    );
    const { store, preview } = await load(db);
    try {
      expect(store.index.size).toBe(1500 - gone.length);
      const numbers = new Set(store.index.all().map((t) => t.number));
      for (const n of gone) expect(numbers.has(n)).toBe(false);

      expect(preview.length).toBeGreaterThan(0);
      expect(preview.length).toBeLessThanOrEqual(PREVIEW_SIZE);
      for (const t of preview) expect(gone).not.toContain(t.number);
      const head = rowsFromNewest(preview, recent, ctx);
      const full = store.index.rows(recent, ctx);
      expect(head.map((t) => t.number)).toEqual(full.slice(0, head.length).map((t) => t.number));
    } finally {
      store.stop();
    }
  });

  it('previews every ticket of a desk smaller than the preview', async () => {
    const db = await replicaWith(60, 30, 12);
    const { store, preview } = await load(db);
    try {
      expect(preview.length).toBe(60);
      expect(rowsFromNewest(preview, recent, ctx).map((t) => t.number)).toEqual(
        store.index.rows(recent, ctx).map((t) => t.number),
      );
    } finally {
      store.stop();
    }
  });

  it('reads the same on a storage other than Dexie (the storage query path)', async () => {
    const db = await replicaWith(800, 400, 13, getRxStorageMemory());
    const { store, preview } = await load(db);
    try {
      expect(store.index.size).toBe(800);
      expect(preview.length).toBeGreaterThan(0);
      const head = rowsFromNewest(preview, recent, ctx);
      expect(head.map((t) => t.number)).toEqual(
        store.index
          .rows(recent, ctx)
          .slice(0, head.length)
          .map((t) => t.number),
      );
    } finally {
      store.stop();
    }
  });
});

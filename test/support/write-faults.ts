/**
 * Fault injection for the replica's storage in integration tests: a real Dexie storage (over
 * fake-indexeddb) whose writes can be delayed or lost, as a slow disk or a crash between two
 * transactions would. Nothing is simulated but the timing and the loss.
 */
import { IDBKeyRange, type IDBFactory } from 'fake-indexeddb';
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import type {
  BulkWriteRow,
  RxStorage,
  RxStorageInstance,
  RxStorageInstanceCreationParams,
} from 'rxdb';
import { wrapStorageInstances } from '../../renderer/src/data/storage-wrapper';

/**
 * What happens to one write: it goes through (after the promise, if any), is lost, or goes
 * through and then `afterWrite` runs (before the caller hears of it: a crash right after it).
 */
export type WriteFault = 'lose' | Promise<void> | { readonly afterWrite: () => void } | undefined;

/** Dexie storage on `indexedDB` asking `fault(collectionName, context, rows)` before each write. */
export function storageWithWriteFaults(
  indexedDB: IDBFactory,
  fault: (
    collectionName: string,
    context: string,
    rows: readonly BulkWriteRow<unknown>[],
  ) => WriteFault,
): RxStorage<unknown, unknown> {
  const dexie = getRxStorageDexie({ indexedDB, IDBKeyRange }) as RxStorage<unknown, unknown>;
  return wrapStorageInstances(
    dexie,
    <D>(
      instance: RxStorageInstance<D, unknown, unknown>,
      params: RxStorageInstanceCreationParams<D, unknown>,
    ): Partial<RxStorageInstance<D, unknown, unknown>> => {
      const write = instance.bulkWrite.bind(instance);
      return {
        bulkWrite: async (rows, context) => {
          const f = fault(params.collectionName, context, rows);
          if (f === 'lose') return { error: [] };
          if (f && 'afterWrite' in f) {
            const result = await write(rows, context);
            f.afterWrite();
            return result;
          }
          if (f) await f;
          return write(rows, context);
        },
      };
    },
  );
}

/**
 * A storage wrapper that keeps RxDB's "pulled from the server" mark on the documents a pull
 * inserts.
 *
 * RxDB's replication writes each pulled document to the replica and then, in a second
 * transaction, its record of the server's version (the replication metadata). So that a crash
 * between the two cannot make a pulled document look like a local edit, the pull marks each
 * document it writes (`_meta.o`: the replication's hash and the revision height it wrote). RxDB's
 * storage layer (17.6, `rx-storage-helper.js`) replaces `_meta` with a fresh `{ lwt }` on every
 * insert, and drops the mark: every document of a cold sync lost it. After a kill -9 between the
 * two writes, the next start found documents with neither metadata nor mark, took them for
 * unpushed local edits, and skipped every later server change to them for good (the push never
 * saw them either: its checkpoint was already past the pull's write).
 *
 * The wrapper sits under RxDB's layer and puts the mark back on inserts written by a pull, for
 * the replication registered with `markPulledInserts`. Updates keep their mark in RxDB already.
 * Test: test/integration/sync/crash-after-pull.test.ts.
 */
import type {
  RxCollection,
  RxStorage,
  RxStorageInstance,
  RxStorageInstanceCreationParams,
} from 'rxdb';

/** RxDB's write context for the documents a pull writes (`replication-downstream-<key>`). */
const PULL_WRITE = 'replication-downstream-';

/** The hash of the replication whose pulls are marked, by storage instance. */
const pullHashes = new WeakMap<object, Promise<string>>();

/**
 * Marks the inserts `collection`'s pull writes as RxDB's replication `identifier` does
 * (`'rxdbreplication' + replicationIdentifier`, hashed with the database's hash function).
 */
export function markPulledInserts(collection: RxCollection, replicationIdentifier: string): void {
  const hash = collection.database.hashFunction(`rxdbreplication${replicationIdentifier}`);
  // Registered before the replication starts, so no pull is written unmarked.
  pullHashes.set(collection.storageInstance.originalStorageInstance, Promise.resolve(hash));
}

type Meta = { lwt: number; o?: { _rev: number; hash: string } };

/** `storage`, with pulled inserts marked (see above). */
export function withPulledMarks<I, O>(storage: RxStorage<I, O>): RxStorage<I, O> {
  return {
    ...storage,
    async createStorageInstance<D>(
      params: RxStorageInstanceCreationParams<D, O>,
    ): Promise<RxStorageInstance<D, I, O>> {
      const instance = await storage.createStorageInstance<D>(params);
      const write = instance.bulkWrite.bind(instance);
      // The instance is a class with private state: keep it, replace what is changed.
      const wrapped = Object.create(instance) as RxStorageInstance<D, I, O>;
      const overrides: Partial<RxStorageInstance<D, I, O>> = {
        bulkWrite: async (rows, context) => {
          const pending = context.startsWith(PULL_WRITE) ? pullHashes.get(wrapped) : undefined;
          if (!pending) return write(rows, context);
          const hash = await pending;
          return write(
            rows.map((row) => {
              const meta = row.document._meta as Meta;
              if (row.previous || meta.o) return row;
              const height = Number.parseInt(row.document._rev, 10);
              return {
                ...row,
                document: { ...row.document, _meta: { ...meta, o: { _rev: height, hash } } },
              };
            }),
            context,
          );
        },
      };
      return Object.assign(wrapped, overrides);
    },
  };
}

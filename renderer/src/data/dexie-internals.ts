/**
 * The part of RxDB's Dexie storage internals read directly (its documents table and which fields
 * it stores booleans for as '1'/'0'), where RxDB's own API walks an IndexedDB cursor instead.
 */
import type { Table } from 'dexie';

export type DexieInternals = {
  readonly table: Table<Record<string, unknown>, string>;
  readonly booleanIndexes: string[];
};

/** The Dexie internals behind a storage instance, or null on another storage. */
export async function dexieInternals(instance: {
  readonly internals: unknown;
}): Promise<DexieInternals | null> {
  // (A promise on the Dexie storage, a plain object on others.)
  const i = (await Promise.resolve(instance.internals)) as {
    dexieTable?: Table<Record<string, unknown>, string>;
    booleanIndexes?: unknown;
  } | null;
  return i?.dexieTable && Array.isArray(i.booleanIndexes)
    ? { table: i.dexieTable, booleanIndexes: i.booleanIndexes as string[] }
    : null;
}

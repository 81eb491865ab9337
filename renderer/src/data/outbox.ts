/**
 * The outbox: one local record per document changed on this device and not yet confirmed by
 * the server. It gives the pending count and the per-record "not yet synced" marker, and it
 * survives reloads because it lives in the replica itself.
 */
import type { DeskDatabase } from './database';

type Doc = Record<string, unknown>;

function versionOf(doc: Doc): string {
  const v = doc.updatedAt ?? doc.at;
  return typeof v === 'string' ? v : '';
}

/** Records that `doc` of `collection` was changed locally. */
export async function markPending(
  db: DeskDatabase,
  collection: string,
  docId: string,
  doc: Doc,
): Promise<void> {
  await db.outbox.upsert({
    key: `${collection}:${docId}`,
    store: collection,
    docId,
    changedAt: new Date().toISOString(),
    version: versionOf(doc),
  });
}

/** Removes outbox records whose pending version is the one the server just accepted. */
export async function clearOutbox(
  db: DeskDatabase,
  collection: string,
  docs: readonly Doc[],
  primaryKey: string,
): Promise<void> {
  const keys = docs.map((d) => `${collection}:${String(d[primaryKey])}`);
  const found = await db.outbox.findByIds(keys).exec();
  const versions = new Map(
    docs.map((d) => [`${collection}:${String(d[primaryKey])}`, versionOf(d)]),
  );
  // A pushed version at least as new as the pending one contains it (a merge keeps the newer
  // updatedAt of both sides); a newer local edit made meanwhile stays pending.
  const done = [...found.values()].filter((o) => {
    const pushed = versions.get(String(o.primary));
    return pushed !== undefined && pushed >= String(o.get('version') ?? '');
  });
  if (done.length > 0) await db.outbox.bulkRemove(done.map((o) => String(o.primary)));
}

/** Drops the outbox record of one document (its change was settled another way). */
export async function dropFromOutbox(
  db: DeskDatabase,
  collection: string,
  docId: string,
): Promise<void> {
  const rec = await db.outbox.findOne(`${collection}:${docId}`).exec();
  if (rec) await rec.remove();
}

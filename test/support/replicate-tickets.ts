/** The product's replication of the tickets database, for sync tests that drive it directly. */
import {
  replicateCollection,
  type CollectionReplication,
} from '../../renderer/src/data/couch-replication';
import type { Fetch } from '../../renderer/src/data/couch-http';
import type { DeskDatabase } from '../../renderer/src/data/database';
import { validateTicket } from '../../shared/domain';

/**
 * Replicates `db.tickets` with `dbUrl` through `fetch`, in batches of `batch`; with
 * `bootstrap: false`, an empty replica is filled by RxDB's own pull instead of the bootstrap.
 */
export function replicateTickets(
  db: DeskDatabase,
  dbUrl: string,
  fetch: Fetch,
  batch: number,
  opts: { readonly bootstrap?: boolean } = {},
): CollectionReplication {
  return replicateCollection({
    bootstrap: opts.bootstrap,
    collection: db.tickets,
    primaryKey: 'number',
    dbUrl,
    pullBatchSize: batch,
    pushBatchSize: batch,
    fetch,
    validate: (doc) => {
      const r = validateTicket(doc);
      return r.ok ? [] : r.errors;
    },
    onQuarantine: () => Promise.resolve(),
    onRejected: () => Promise.resolve(),
    onPushed: () => Promise.resolve(),
    markRejected: () => undefined,
  });
}

/**
 * What the "Pending changes" page shows: changes waiting to be sent, changes the server refused
 * (kept so they can be fixed and resent), documents from the server that failed validation here,
 * and recent merge conflicts. Read-only views over the local-only collections.
 */
import { map, type Observable } from 'rxjs';
import type { DeskDatabase } from './database';
import type { ActivityEntry } from '../../../shared/domain';

export type PendingChange = {
  readonly key: string;
  readonly store: string;
  readonly docId: string;
  readonly changedAt: string;
};
export type RejectedChange = {
  readonly key: string;
  readonly store: string;
  readonly docId: string;
  readonly reason: string;
  readonly at: string;
  readonly doc: Readonly<Record<string, unknown>>;
};
export type QuarantinedDoc = {
  readonly key: string;
  readonly store: string;
  readonly docId: string;
  readonly reasons: readonly string[];
  readonly at: string;
};

type Json = { toJSON: () => unknown };
const json = <T>(d: Json): T => d.toJSON() as T;

/** Changes waiting to be sent, oldest first. */
export function observePendingChanges(db: DeskDatabase): Observable<readonly PendingChange[]> {
  return db.outbox
    .find()
    .$.pipe(
      map((docs) =>
        docs
          .map((d) => json<PendingChange>(d))
          .sort((a, b) => a.changedAt.localeCompare(b.changedAt)),
      ),
    );
}

/** Changes the server refused, newest first. */
export function observeRejections(db: DeskDatabase): Observable<readonly RejectedChange[]> {
  return db.rejections
    .find()
    .$.pipe(
      map((docs) =>
        docs.map((d) => json<RejectedChange>(d)).sort((a, b) => b.at.localeCompare(a.at)),
      ),
    );
}

/** Server documents that failed validation on this device, newest first. */
export function observeQuarantine(db: DeskDatabase): Observable<readonly QuarantinedDoc[]> {
  return db.quarantine
    .find()
    .$.pipe(
      map((docs) =>
        docs.map((d) => json<QuarantinedDoc>(d)).sort((a, b) => b.at.localeCompare(a.at)),
      ),
    );
}

/** The latest merge-conflict records (at most `limit`), newest first. */
export function observeConflicts(
  db: DeskDatabase,
  limit: number,
): Observable<readonly ActivityEntry[]> {
  return db.activity.find({ selector: { type: 'conflict' } }).$.pipe(
    map((docs) =>
      docs
        .map((d) => json<ActivityEntry>(d))
        .sort((a, b) => b.at.localeCompare(a.at))
        .slice(0, limit),
    ),
  );
}

/** Discards a refused change for good (the user chose to; the server's version stays). */
export async function discardRejection(db: DeskDatabase, key: string): Promise<void> {
  const rec = await db.rejections.findOne(key).exec();
  if (rec) await rec.remove();
}
